package dev.autograd.core.kernels;

/** Plain-Java kernels: the reference path, and the fallback when the Vector API is absent. */
public class ScalarKernels implements Kernels {
  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public void unary(UnaryOp op, double p, float[] a, int aOff, int aStride, float[] out, int oOff, int n) {
    // hot ops get their own loop (no enum call per element); the scalar parameter acts in float,
    // as in PyTorch, so both kernel paths agree bit for bit
    float pf = (float) p;
    switch (op) {
      case NEG:
        for (int i = 0; i < n; i++) out[oOff + i] = -a[aOff + i * aStride];
        return;
      case RELU:
        for (int i = 0; i < n; i++) {
          float x = a[aOff + i * aStride];
          out[oOff + i] = x > 0 ? x : (x != x ? x : 0f);
        }
        return;
      case LEAKY_RELU:
        for (int i = 0; i < n; i++) {
          float x = a[aOff + i * aStride];
          out[oOff + i] = x > 0 ? x : x * pf;
        }
        return;
      case ADD_SCALAR:
        for (int i = 0; i < n; i++) out[oOff + i] = a[aOff + i * aStride] + pf;
        return;
      case MUL_SCALAR:
        for (int i = 0; i < n; i++) out[oOff + i] = a[aOff + i * aStride] * pf;
        return;
      case SQUARE:
        for (int i = 0; i < n; i++) {
          float x = a[aOff + i * aStride];
          out[oOff + i] = x * x;
        }
        return;
      case EXP:
        for (int i = 0; i < n; i++) out[oOff + i] = (float) Math.exp(a[aOff + i * aStride]);
        return;
      case LOG:
        for (int i = 0; i < n; i++) out[oOff + i] = (float) Math.log(a[aOff + i * aStride]);
        return;
      case TANH:
        for (int i = 0; i < n; i++) out[oOff + i] = (float) Math.tanh(a[aOff + i * aStride]);
        return;
      case SQRT:
        for (int i = 0; i < n; i++) out[oOff + i] = (float) Math.sqrt(a[aOff + i * aStride]);
        return;
      default:
        for (int i = 0; i < n; i++) out[oOff + i] = (float) op.apply(a[aOff + i * aStride], p);
    }
  }

  @Override
  public void unary(UnaryOp op, double p, double[] a, int aOff, int aStride, double[] out, int oOff, int n) {
    switch (op) { // hot ops get their own loop (no enum call per element)
      case NEG:
        for (int i = 0; i < n; i++) out[oOff + i] = -a[aOff + i * aStride];
        return;
      case ADD_SCALAR:
        for (int i = 0; i < n; i++) out[oOff + i] = a[aOff + i * aStride] + p;
        return;
      case MUL_SCALAR:
        for (int i = 0; i < n; i++) out[oOff + i] = a[aOff + i * aStride] * p;
        return;
      case SQUARE:
        for (int i = 0; i < n; i++) {
          double x = a[aOff + i * aStride];
          out[oOff + i] = x * x;
        }
        return;
      case EXP:
        for (int i = 0; i < n; i++) out[oOff + i] = Math.exp(a[aOff + i * aStride]);
        return;
      case LOG:
        for (int i = 0; i < n; i++) out[oOff + i] = Math.log(a[aOff + i * aStride]);
        return;
      case TANH:
        for (int i = 0; i < n; i++) out[oOff + i] = Math.tanh(a[aOff + i * aStride]);
        return;
      default:
        for (int i = 0; i < n; i++) out[oOff + i] = op.apply(a[aOff + i * aStride], p);
    }
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
        for (int i = 0; i < n; i++) out[oOff + i] = op.apply(a[aOff + i * aStride], b[bOff + i * bStride]);
    }
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
    // four independent double accumulators keep the adds pipelined
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

  @Override
  public void gemm(int m, int n, int k, float[] a, int aOff, int aRs, int aCs, float[] b, int bOff,
      int bRs, int bCs, float[] c, int cOff, int ldc, boolean accumulate) {
    BlockedGemm.gemm(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate);
  }

  @Override
  public void gemm(int m, int n, int k, double[] a, int aOff, int aRs, int aCs, double[] b, int bOff,
      int bRs, int bCs, double[] c, int cOff, int ldc, boolean accumulate) {
    BlockedGemm.gemm(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate);
  }
}
