package dev.autograd.core.kernels;

/**
 * The derivatives of tanh and sigmoid from their outputs in one pass: the same float (double)
 * operations, in the same order, as the op-by-op formulas, so both give identical bits.
 */
public final class ActivationBackward {
  private ActivationBackward() {}

  /** out = g·(1 − y²) when {@code tanh}, else g·(y·(1 − y)) (sigmoid). */
  public static void run(
      boolean tanh, float[] g, int go, float[] y, int yo, float[] out, int oo, int n) {
    if (tanh) for (int i = 0; i < n; i++) out[oo + i] = g[go + i] * (1f - y[yo + i] * y[yo + i]);
    else for (int i = 0; i < n; i++) out[oo + i] = g[go + i] * (y[yo + i] * (1f - y[yo + i]));
  }

  /** The FLOAT64 twin of {@link #run(boolean, float[], int, float[], int, float[], int, int)}. */
  public static void run(
      boolean tanh, double[] g, int go, double[] y, int yo, double[] out, int oo, int n) {
    if (tanh) for (int i = 0; i < n; i++) out[oo + i] = g[go + i] * (1 - y[yo + i] * y[yo + i]);
    else for (int i = 0; i < n; i++) out[oo + i] = g[go + i] * (y[yo + i] * (1 - y[yo + i]));
  }
}
