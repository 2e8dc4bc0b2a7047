package dev.autograd.core.kernels;

/** Plain-Java kernels: the reference path, and the fallback when the Vector API is absent. */
public class ScalarKernels implements Kernels {
  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public void unary(
      UnaryOp op, double p, float[] a, int aOff, int aStride, float[] out, int oOff, int n) {
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
  public void unary(
      UnaryOp op, double p, double[] a, int aOff, int aStride, double[] out, int oOff, int n) {
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
  public void binary(
      BinaryOp op,
      float[] a,
      int aOff,
      int aStride,
      float[] b,
      int bOff,
      int bStride,
      float[] out,
      int oOff,
      int n) {
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
  public void binary(
      BinaryOp op,
      double[] a,
      int aOff,
      int aStride,
      double[] b,
      int bOff,
      int bStride,
      double[] out,
      int oOff,
      int n) {
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
        for (int i = 0; i < n; i++)
          out[oOff + i] = op.apply(a[aOff + i * aStride], b[bOff + i * bStride]);
    }
  }

  @Override
  public void compare(
      CompareOp op,
      float[] a,
      int aOff,
      int aStride,
      float[] b,
      int bOff,
      int bStride,
      boolean[] out,
      int oOff,
      int n) {
    for (int i = 0; i < n; i++)
      out[oOff + i] = op.test(a[aOff + i * aStride], b[bOff + i * bStride]);
  }

  @Override
  public void compare(
      CompareOp op,
      double[] a,
      int aOff,
      int aStride,
      double[] b,
      int bOff,
      int bStride,
      boolean[] out,
      int oOff,
      int n) {
    for (int i = 0; i < n; i++)
      out[oOff + i] = op.test(a[aOff + i * aStride], b[bOff + i * bStride]);
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
  public void gemm(
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
      boolean accumulate) {
    BlockedGemm.gemm(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate);
  }

  @Override
  public void gemm(
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
      boolean accumulate) {
    BlockedGemm.gemm(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate);
  }

  @Override
  public void clamp(float[] a, int aOff, float lo, float hi, float[] out, int oOff, int n) {
    for (int i = 0; i < n; i++) {
      float v = a[aOff + i];
      float t = v < lo ? lo : v; // min(max(v, lo), hi), as PyTorch: hi wins when lo > hi
      out[oOff + i] = t > hi ? hi : t;
    }
  }

  @Override
  public void maskGrad(
      float[] g,
      int gOff,
      float[] x,
      int xOff,
      float lo,
      float hi,
      boolean loOpen,
      float[] out,
      int oOff,
      int n) {
    if (loOpen) {
      for (int i = 0; i < n; i++) {
        float v = x[xOff + i];
        out[oOff + i] = v <= lo || v > hi ? 0f : g[gOff + i];
      }
    } else {
      for (int i = 0; i < n; i++) {
        float v = x[xOff + i];
        out[oOff + i] =
            v >= lo && v <= hi ? g[gOff + i] : 0f; // NaN gets 0, as PyTorch's clamp_backward
      }
    }
  }

  @Override
  public void maskGrad(
      double[] g,
      int gOff,
      double[] x,
      int xOff,
      double lo,
      double hi,
      boolean loOpen,
      double[] out,
      int oOff,
      int n) {
    for (int i = 0; i < n; i++) {
      double v = x[xOff + i];
      boolean zero =
          loOpen
              ? v <= lo || v > hi
              : !(v >= lo && v <= hi); // relu keeps NaN's gradient, clamp does not
      out[oOff + i] = zero ? 0 : g[gOff + i];
    }
  }

  @Override
  public void adam(
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
      double[] c) {
    boolean decay = c[0] != 0;
    float wd = (float) c[0],
        b1 = (float) c[1],
        c1 = (float) c[2],
        b2 = (float) c[3],
        c2 = (float) c[4];
    float bc2Sqrt = (float) c[5], eps = (float) c[6], step = (float) c[7];
    for (int i = 0; i < n; i++) {
      float gr = decay ? g[gOff + i] + p[pOff + i] * wd : g[gOff + i];
      float mi = m[mOff + i] * b1 + gr * c1;
      float vi = v[vOff + i] * b2 + (gr * gr) * c2;
      m[mOff + i] = mi;
      v[vOff + i] = vi;
      if (vMax != null) vi = vMax[maxOff + i] = Math.max(vMax[maxOff + i], vi);
      float denom = (float) Math.sqrt(vi) / bc2Sqrt + eps;
      p[pOff + i] += (mi / denom) * step;
    }
  }

  @Override
  public void adam(
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
      double[] c) {
    boolean decay = c[0] != 0;
    double wd = c[0],
        b1 = c[1],
        c1 = c[2],
        b2 = c[3],
        c2 = c[4],
        bc2Sqrt = c[5],
        eps = c[6],
        step = c[7];
    for (int i = 0; i < n; i++) {
      double gr = decay ? g[gOff + i] + p[pOff + i] * wd : g[gOff + i];
      double mi = m[mOff + i] * b1 + gr * c1;
      double vi = v[vOff + i] * b2 + (gr * gr) * c2;
      m[mOff + i] = mi;
      v[vOff + i] = vi;
      if (vMax != null) vi = vMax[maxOff + i] = Math.max(vMax[maxOff + i], vi);
      double denom = Math.sqrt(vi) / bc2Sqrt + eps;
      p[pOff + i] += (mi / denom) * step;
    }
  }
}
