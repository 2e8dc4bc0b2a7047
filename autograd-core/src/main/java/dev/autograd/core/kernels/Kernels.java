package dev.autograd.core.kernels;

/**
 * The primitive loops every op runs on: element-wise maps, reductions and matrix products over flat
 * arrays with offsets and strides. Two implementations exist, chosen once at start-up by {@link
 * KernelProvider}: {@link ScalarKernels} (plain Java) and {@code simd.VectorKernels} (JDK Vector
 * API). Kernels know nothing of tensors, shapes or gradients.
 *
 * <p>Element-wise kernels read {@code a[aOff + i*aStride]} (a stride of 0 broadcasts one value) and
 * write {@code out[oOff + i]} contiguously.
 */
public interface Kernels {
  /** "vector (16 float lanes)" or "scalar": which path runs. */
  String name();

  void unary(UnaryOp op, double p, float[] a, int aOff, int aStride, float[] out, int oOff, int n);

  void unary(
      UnaryOp op, double p, double[] a, int aOff, int aStride, double[] out, int oOff, int n);

  void binary(
      BinaryOp op,
      float[] a,
      int aOff,
      int aStride,
      float[] b,
      int bOff,
      int bStride,
      float[] out,
      int oOff,
      int n);

  void binary(
      BinaryOp op,
      double[] a,
      int aOff,
      int aStride,
      double[] b,
      int bOff,
      int bStride,
      double[] out,
      int oOff,
      int n);

  void compare(
      CompareOp op,
      float[] a,
      int aOff,
      int aStride,
      float[] b,
      int bOff,
      int bStride,
      boolean[] out,
      int oOff,
      int n);

  void compare(
      CompareOp op,
      double[] a,
      int aOff,
      int aStride,
      double[] b,
      int bOff,
      int bStride,
      boolean[] out,
      int oOff,
      int n);

  /** Sum of {@code a[off .. off+n)}, accumulated accurately (the result is a double). */
  double sum(float[] a, int off, int n);

  double sum(double[] a, int off, int n);

  /** Adds {@code src[sOff .. sOff+n)} into {@code acc[aOff ..]} (column sums, accumulation). */
  void addInto(float[] src, int sOff, float[] acc, int aOff, int n);

  void addInto(double[] src, int sOff, double[] acc, int aOff, int n);

  /**
   * One plain SGD step over contiguous, non-overlapping arrays, in one pass: {@code w[i] = w[i] -
   * g[i]·lr} (the product rounded to float, then the difference: the same bits as a MUL by {@code
   * lr} and then a SUB, i.e. {@code w.sub_(g.mul(lr))}), then {@code g[i] = 0} when {@code
   * zeroGrad} ({@code g.zero_()}).
   */
  default void sgdStep(
      float[] w, int wOff, float[] g, int gOff, float lr, boolean zeroGrad, int n) {
    for (int i = 0; i < n; i++) w[wOff + i] = w[wOff + i] - g[gOff + i] * lr;
    if (zeroGrad) java.util.Arrays.fill(g, gOff, gOff + n, 0f);
  }

  /** The double form of {@link #sgdStep(float[], int, float[], int, float, boolean, int)}. */
  default void sgdStep(
      double[] w, int wOff, double[] g, int gOff, double lr, boolean zeroGrad, int n) {
    for (int i = 0; i < n; i++) w[wOff + i] = w[wOff + i] - g[gOff + i] * lr;
    if (zeroGrad) java.util.Arrays.fill(g, gOff, gOff + n, 0d);
  }

  /**
   * C = A·B, or C += A·B when {@code accumulate}. A is m×k with element (i, p) at {@code a[aOff +
   * i*aRs + p*aCs]}, B is k×n likewise, and C is row-major with row stride {@code ldc}. Transposed
   * operands are just swapped strides: no copy is needed by the caller. Products of more than a few
   * MFLOP are split over the fixed {@link Parallel} pool; the call returns when C is complete.
   */
  void gemm(
      int m,
      int n,
      int k,
      float[] a,
      int aOff,
      int aRs,
      int aCs,
      float[] b,
      int bOff,
      int bRs,
      int bCs,
      float[] c,
      int cOff,
      int ldc,
      boolean accumulate);

  void gemm(
      int m,
      int n,
      int k,
      double[] a,
      int aOff,
      int aRs,
      int aCs,
      double[] b,
      int bOff,
      int bRs,
      int bCs,
      double[] c,
      int cOff,
      int ldc,
      boolean accumulate);

  /**
   * {@code out[i] = a[i] < lo ? lo : (a[i] > hi ? hi : a[i])} over contiguous arrays (NaN passes
   * through, -0 stays -0).
   */
  void clamp(float[] a, int aOff, float lo, float hi, float[] out, int oOff, int n);

  /**
   * The gradient through a clamp or threshold, in one pass: {@code out[i] = 0} where {@code x[i] <
   * lo} ({@code x[i] <= lo} when {@code loOpen}) or {@code x[i] > hi}, else {@code g[i]}; a NaN in
   * x keeps g. All three arrays are read contiguously.
   */
  void maskGrad(
      float[] g,
      int gOff,
      float[] x,
      int xOff,
      float lo,
      float hi,
      boolean loOpen,
      float[] out,
      int oOff,
      int n);

  void maskGrad(
      double[] g,
      int gOff,
      double[] x,
      int xOff,
      double lo,
      double hi,
      boolean loOpen,
      double[] out,
      int oOff,
      int n);

  /**
   * One Adam step over {@code n} contiguous elements, in place in p, m, v (and {@code vMax} when
   * not null: amsgrad), with PyTorch's op order and no fused multiply-add, so it equals the same
   * update written op by op: {@code gr = g + p·wd} (when {@code c[0] != 0}); {@code m = m·b1 +
   * gr·(1-b1)}; {@code v = v·b2 + gr²·(1-b2)}; {@code vMax = max(vMax, v)}; {@code p = p + m /
   * (sqrt(v̂)/bc2Sqrt + eps) · step}. {@code c = {wd, b1, 1-b1, b2, 1-b2, bc2Sqrt, eps, step}},
   * each rounded to the array's precision.
   */
  void adam(
      float[] p,
      int pOff,
      float[] g,
      int gOff,
      float[] m,
      int mOff,
      float[] v,
      int vOff,
      float[] vMax,
      int maxOff,
      int n,
      double[] c);

  void adam(
      double[] p,
      int pOff,
      double[] g,
      int gOff,
      double[] m,
      int mOff,
      double[] v,
      int vOff,
      double[] vMax,
      int maxOff,
      int n,
      double[] c);

  /**
   * {@code out[i] = (a[i] op b[i]) · c}: a binary map and a product with one value in one pass (the
   * fused chains of compiled functions); the same bits as the two calls. Strides as in {@link
   * #binary}.
   */
  default void binaryTimes(
      BinaryOp op,
      float[] a,
      int aOff,
      int aStride,
      float[] b,
      int bOff,
      int bStride,
      float c,
      float[] out,
      int oOff,
      int n) {
    binary(op, a, aOff, aStride, b, bOff, bStride, out, oOff, n);
    unary(UnaryOp.MUL_SCALAR, c, out, oOff, 1, out, oOff, n);
  }

  /**
   * The double form of {@link #binaryTimes(BinaryOp, float[], int, int, float[], int, int, float,
   * float[], int, int)}.
   */
  default void binaryTimes(
      BinaryOp op,
      double[] a,
      int aOff,
      int aStride,
      double[] b,
      int bOff,
      int bStride,
      double c,
      double[] out,
      int oOff,
      int n) {
    binary(op, a, aOff, aStride, b, bOff, bStride, out, oOff, n);
    unary(UnaryOp.MUL_SCALAR, c, out, oOff, 1, out, oOff, n);
  }
}
