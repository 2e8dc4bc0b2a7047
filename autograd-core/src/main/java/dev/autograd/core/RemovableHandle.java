package dev.autograd.core;

/**
 * What registering a hook returns: {@link #remove()} unregisters it (PyTorch's {@code
 * RemovableHandle}).
 */
@FunctionalInterface
public interface RemovableHandle {
  /** Unregisters the hook; removing it twice does nothing. */
  void remove();
}
