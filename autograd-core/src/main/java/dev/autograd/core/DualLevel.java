package dev.autograd.core;

import dev.autograd.core.engine.Forward;

/**
 * A forward-mode AD scope, PyTorch's {@code with fwAD.dual_level():}: dual tensors made inside it
 * ({@link Autograd#makeDual}) carry tangents through every op, and closing it drops every tangent
 * of the level. One level per thread at a time, as PyTorch 1.13 (which has no nested levels);
 * opening a second one on the same thread is an error.
 *
 * <pre>{@code
 * try (DualLevel level = Autograd.dualLevel()) {
 *   Tensor y = Autograd.makeDual(x, v).sin();
 *   Tensor jvp = Autograd.unpackDual(y).tangent(); // cos(x) * v
 * }
 * }</pre>
 */
public final class DualLevel implements AutoCloseable {
  private final Forward.Level level;

  DualLevel() {
    this.level = Forward.enter();
  }

  /** True until {@link #close()}. */
  public boolean isOpen() {
    return level.isOpen();
  }

  /** Leaves the level: every tangent made in it is dropped; closing twice does nothing. */
  @Override
  public void close() {
    Forward.exit(level);
  }
}
