package dev.autograd.core.kernels.simd;

import dev.autograd.core.kernels.BinaryOp;
import dev.autograd.core.kernels.ScalarKernels;
import dev.autograd.core.kernels.UnaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Kernels on the JDK Vector API (the only class importing {@code jdk.incubator.vector}). It
 * extends the scalar kernels, so an op without a vector body still works. One float species is
 * used everywhere: on JDK 17, mixing vector sizes in one JVM slows every kernel down.
 */
public class VectorKernels extends ScalarKernels {
  static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

  /**
   * Whether kernels may use fused multiply-add ({@code -Dautograd.fma=false} turns it off): FMA is
   * one instruction on current x86 and ARM cores but a slow software routine where the CPU lacks it.
   */
  static final boolean FAST_FMA = Boolean.parseBoolean(System.getProperty("autograd.fma", "true"));

  public VectorKernels() {
    if (F.length() < 4) throw new UnsupportedOperationException("vector lanes < 4: " + F.length());
  }

  @Override
  public String name() {
    return "vector (" + F.length() + " float lanes)";
  }

  @Override
  public void unary(UnaryOp op, double p, float[] a, int aOff, int aStride, float[] out, int oOff, int n) {
    VectorOperators.Unary vop = vectorOp(op);
    if (aStride != 1 || (vop == null && op != UnaryOp.RELU && op != UnaryOp.MUL_SCALAR && op != UnaryOp.ADD_SCALAR && op != UnaryOp.SQUARE)) {
      super.unary(op, p, a, aOff, aStride, out, oOff, n);
      return;
    }
    int i = 0;
    float pf = (float) p;
    for (int end = F.loopBound(n); i < end; i += F.length()) { // vector body
      FloatVector x = FloatVector.fromArray(F, a, aOff + i);
      FloatVector y;
      switch (op) {
        case RELU:
          y = x.max(0f);
          break;
        case MUL_SCALAR:
          y = x.mul(pf);
          break;
        case ADD_SCALAR:
          y = x.add(pf);
          break;
        case SQUARE:
          y = x.mul(x);
          break;
        default:
          y = x.lanewise(vop);
      }
      y.intoArray(out, oOff + i);
    }
    if (i < n) super.unary(op, p, a, aOff + i, 1, out, oOff + i, n - i); // scalar tail
  }

  private static VectorOperators.Unary vectorOp(UnaryOp op) {
    switch (op) {
      case NEG:
        return VectorOperators.NEG;
      case ABS:
        return VectorOperators.ABS;
      case SQRT:
        return VectorOperators.SQRT;
      case EXP:
        return VectorOperators.EXP;
      case LOG:
        return VectorOperators.LOG;
      case TANH:
        return VectorOperators.TANH;
      case SIN:
        return VectorOperators.SIN;
      case COS:
        return VectorOperators.COS;
      default:
        return null;
    }
  }

  @Override
  public void binary(BinaryOp op, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
      float[] out, int oOff, int n) {
    VectorOperators.Binary vop = vectorOp(op);
    if (vop == null || aStride > 1 || bStride > 1 || aStride < 0 || bStride < 0) {
      super.binary(op, a, aOff, aStride, b, bOff, bStride, out, oOff, n);
      return;
    }
    int i = 0;
    FloatVector av = aStride == 0 ? FloatVector.broadcast(F, a[aOff]) : null;
    FloatVector bv = bStride == 0 ? FloatVector.broadcast(F, b[bOff]) : null;
    for (int end = F.loopBound(n); i < end; i += F.length()) { // vector body
      FloatVector x = av != null ? av : FloatVector.fromArray(F, a, aOff + i);
      FloatVector y = bv != null ? bv : FloatVector.fromArray(F, b, bOff + i);
      x.lanewise(vop, y).intoArray(out, oOff + i);
    }
    if (i < n) { // scalar tail
      super.binary(op, a, aOff + i * aStride, aStride, b, bOff + i * bStride, bStride, out, oOff + i, n - i);
    }
  }

  private static VectorOperators.Binary vectorOp(BinaryOp op) {
    switch (op) {
      case ADD:
        return VectorOperators.ADD;
      case SUB:
        return VectorOperators.SUB;
      case MUL:
        return VectorOperators.MUL;
      case DIV:
        return VectorOperators.DIV;
      case MAX:
        return VectorOperators.MAX;
      case MIN:
        return VectorOperators.MIN;
      default:
        return null;
    }
  }

  @Override
  public double sum(float[] a, int off, int n) {
    // several independent accumulators hide add latency; folding into a double every block
    // keeps the rounding error of long sums small
    double total = 0;
    int i = 0;
    int step = F.length() * 4;
    while (i + step <= n) {
      int blockEnd = Math.min(n - step + 1, i + 4096);
      FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
      for (; i < blockEnd; i += step) { // vector body
        s0 = s0.add(FloatVector.fromArray(F, a, off + i));
        s1 = s1.add(FloatVector.fromArray(F, a, off + i + F.length()));
        s2 = s2.add(FloatVector.fromArray(F, a, off + i + 2 * F.length()));
        s3 = s3.add(FloatVector.fromArray(F, a, off + i + 3 * F.length()));
      }
      total += s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD); // reduce
    }
    for (; i < n; i++) total += a[off + i]; // scalar tail
    return total;
  }

  @Override
  public void addInto(float[] src, int sOff, float[] acc, int aOff, int n) {
    int i = 0;
    for (int end = F.loopBound(n); i < end; i += F.length()) {
      FloatVector.fromArray(F, acc, aOff + i).add(FloatVector.fromArray(F, src, sOff + i)).intoArray(acc, aOff + i);
    }
    for (; i < n; i++) acc[aOff + i] += src[sOff + i];
  }

  @Override
  public void gemm(int m, int n, int k, float[] a, int aOff, int aRs, int aCs, float[] b, int bOff,
      int bRs, int bCs, float[] c, int cOff, int ldc, boolean accumulate) {
    FloatGemm.gemm(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate);
  }
}
