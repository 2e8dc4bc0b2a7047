package dev.autograd.core;

import dev.autograd.core.engine.SavedTensorHooks;

/**
 * An open {@link Autograd#savedTensorsHooks saved-tensor hooks} scope on this thread (PyTorch's
 * {@code torch.autograd.graph.saved_tensors_hooks}); {@link #close()} ends it. Scopes nest: the
 * innermost pair handles each save.
 */
public final class SavedTensorsHooks implements AutoCloseable {
  private final SavedTensorHooks.Pair pair;
  private boolean closed;

  SavedTensorsHooks(SavedTensorHooks.Pair pair) {
    this.pair = pair;
    SavedTensorHooks.push(pair);
  }

  /**
   * Ends the scope; throws IllegalStateException when an inner scope is still open (close in
   * reverse order).
   */
  @Override
  public void close() {
    if (closed) return;
    SavedTensorHooks.pop(pair);
    closed = true;
  }
}
