package dev.autograd.core;

/**
 * Whether operations record a graph, per thread (PyTorch's grad mode). Switch it for a block with
 * {@link Autograd#noGrad()} / {@link Autograd#enableGrad()}; the Kotlin DSL carries it into
 * coroutines. A new thread starts with grad mode on.
 */
public final class GradMode {
  private GradMode() {}

  // Note [grad mode is per thread]: a boolean[] holder avoids boxing on the hot path of every op.
  private static final ThreadLocal<boolean[]> ENABLED =
      ThreadLocal.withInitial(() -> new boolean[] {true});

  /** True when ops run on this thread record their derivatives. */
  public static boolean isEnabled() {
    return ENABLED.get()[0];
  }

  /** Sets grad mode on this thread; prefer the scoped {@link Autograd#noGrad()}. */
  public static void setEnabled(boolean enabled) {
    ENABLED.get()[0] = enabled;
  }

  /** Switches grad mode for a try-with-resources block and restores the previous mode on close. */
  public static Scope scope(boolean enabled) {
    boolean[] holder = ENABLED.get();
    Scope s = new Scope(holder, holder[0]);
    holder[0] = enabled;
    return s;
  }

  /** A grad-mode block; {@link #close()} restores the mode that was in force before it. */
  public static final class Scope implements AutoCloseable {
    private final boolean[] holder;
    private final boolean previous;
    private boolean closed;

    private Scope(boolean[] holder, boolean previous) {
      this.holder = holder;
      this.previous = previous;
    }

    @Override
    public void close() {
      if (closed) return;
      closed = true;
      holder[0] = previous;
    }
  }
}
