package dev.autograd.core.kernels;

/** Plain-Java kernels: the reference path, and the fallback when the Vector API is absent. */
public class ScalarKernels implements Kernels {
  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public void unary(UnaryOp op, double p, float[] a, int aOff, int aStride, float[] out, int oOff, int n) {
    for (int i = 0; i < n; i++) out[oOff + i] = (float) op.apply(a[aOff + i * aStride], p);
  }

  @Override
  public void unary(UnaryOp op, double p, double[] a, int aOff, int aStride, double[] out, int oOff, int n) {
    for (int i = 0; i < n; i++) out[oOff + i] = op.apply(a[aOff + i * aStride], p);
  }

  @Override
  public void binary(BinaryOp op, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
      float[] out, int oOff, int n) {
    switch (op) {
      case ADD:
        for (int i = 0; i < n; i++) out[oOff + i] = a[aOff + i * aStride] + b[bOff + i * bStride];
        return;
      case SUB:
        for (int i = 0; i < n; i++) out[oOff + i] = a[aOff + i * aStride] - b[bOff + i * bStride];
        return;
      case MUL:
        for (int i = 0; i < n; i++) out[oOff + i] = a[aOff + i * aStride] * b[bOff + i * bStride];
        return;
      case DIV:
        for (int i = 0; i < n; i++) out[oOff + i] = a[aOff + i * aStride] / b[bOff + i * bStride];
        return;
      default:
        for (int i = 0; i < n; i++) {
          out[oOff + i] = (float) op.apply(a[aOff + i * aStride], b[bOff + i * bStride]);
        }
    }
  }

  @Override
  public void binary(BinaryOp op, double[] a, int aOff, int aStride, double[] b, int bOff, int bStride,
      double[] out, int oOff, int n) {
    for (int i = 0; i < n; i++) out[oOff + i] = op.apply(a[aOff + i * aStride], b[bOff + i * bStride]);
  }

  @Override
  public void compare(CompareOp op, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
      boolean[] out, int oOff, int n) {
    for (int i = 0; i < n; i++) out[oOff + i] = op.test(a[aOff + i * aStride], b[bOff + i * bStride]);
  }

  @Override
  public void compare(CompareOp op, double[] a, int aOff, int aStride, double[] b, int bOff, int bStride,
      boolean[] out, int oOff, int n) {
    for (int i = 0; i < n; i++) out[oOff + i] = op.test(a[aOff + i * aStride], b[bOff + i * bStride]);
  }

  @Override
  public double sum(float[] a, int off, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) s += a[off + i];
    return s;
  }

  @Override
  public double sum(double[] a, int off, int n) {
    // pairwise blocks of 4 independent accumulators keep rounding error small and pipelines busy
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    int i = 0;
    for (; i + 3 < n; i += 4) {
      s0 += a[off + i];
      s1 += a[off + i + 1];
      s2 += a[off + i + 2];
      s3 += a[off + i + 3];
    }
    for (; i < n; i++) s0 += a[off + i];
    return (s0 + s1) + (s2 + s3);
  }

  @Override
  public void addInto(float[] src, int sOff, float[] acc, int aOff, int n) {
    for (int i = 0; i < n; i++) acc[aOff + i] += src[sOff + i];
  }

  @Override
  public void addInto(double[] src, int sOff, double[] acc, int aOff, int n) {
    for (int i = 0; i < n; i++) acc[aOff + i] += src[sOff + i];
  }

  // Blocked i-k-j product: the inner loop runs along a contiguous row of B and C, which the JIT
  // auto-vectorises; B is packed first when its rows are not contiguous.
  private static final int KC = 256;
  private static final int NC = 1024;

  @Override
  public void gemm(int m, int n, int k, float[] a, int aOff, int aRs, int aCs, float[] b, int bOff,
      int bRs, int bCs, float[] c, int cOff, int ldc, boolean accumulate) {
    if (!accumulate) for (int i = 0; i < m; i++) java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
    if (m == 0 || n == 0 || k == 0) return;
    if (bCs != 1) {
      float[] packed = new float[k * n];
      for (int p = 0; p < k; p++) for (int j = 0; j < n; j++) packed[p * n + j] = b[bOff + p * bRs + j * bCs];
      b = packed;
      bOff = 0;
      bRs = n;
    }
    for (int p0 = 0; p0 < k; p0 += KC) {
      int p1 = Math.min(k, p0 + KC);
      for (int j0 = 0; j0 < n; j0 += NC) {
        int j1 = Math.min(n, j0 + NC);
        for (int i = 0; i < m; i++) {
          int ci = cOff + i * ldc;
          for (int p = p0; p < p1; p++) {
            float av = a[aOff + i * aRs + p * aCs];
            if (av == 0f) continue;
            int bp = bOff + p * bRs;
            for (int j = j0; j < j1; j++) c[ci + j] += av * b[bp + j];
          }
        }
      }
    }
  }

  @Override
  public void gemm(int m, int n, int k, double[] a, int aOff, int aRs, int aCs, double[] b, int bOff,
      int bRs, int bCs, double[] c, int cOff, int ldc, boolean accumulate) {
    if (!accumulate) for (int i = 0; i < m; i++) java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0d);
    if (m == 0 || n == 0 || k == 0) return;
    if (bCs != 1) {
      double[] packed = new double[k * n];
      for (int p = 0; p < k; p++) for (int j = 0; j < n; j++) packed[p * n + j] = b[bOff + p * bRs + j * bCs];
      b = packed;
      bOff = 0;
      bRs = n;
    }
    for (int p0 = 0; p0 < k; p0 += KC) {
      int p1 = Math.min(k, p0 + KC);
      for (int j0 = 0; j0 < n; j0 += NC) {
        int j1 = Math.min(n, j0 + NC);
        for (int i = 0; i < m; i++) {
          int ci = cOff + i * ldc;
          for (int p = p0; p < p1; p++) {
            double av = a[aOff + i * aRs + p * aCs];
            int bp = bOff + p * bRs;
            for (int j = j0; j < j1; j++) c[ci + j] += av * b[bp + j];
          }
        }
      }
    }
  }
}
