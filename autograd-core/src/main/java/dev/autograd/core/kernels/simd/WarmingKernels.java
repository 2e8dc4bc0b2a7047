package dev.autograd.core.kernels.simd;

import dev.autograd.core.kernels.BinaryOp;
import dev.autograd.core.kernels.CompareOp;
import dev.autograd.core.kernels.ScalarKernels;
import dev.autograd.core.kernels.UnaryOp;
import dev.autograd.core.kernels.Warming;

/**
 * The Vector API kernels as a process starts: plain-Java loops until the vector kernels are
 * compiled, then the vector kernels. Until C2 compiles it, Vector API code boxes every vector and
 * runs 10–100× slower than plain Java (the seed's first 100 steps took 7–10 ms each against 2.5–5
 * with plain Java); so {@link VectorWarmup} runs the vector kernels a program calls on a background daemon thread
 * until they run at compiled speed, and only then do calls switch over, family by family.
 * {@code -Dautograd.warmup=false} uses the vector kernels from the first call.
 */
public final class WarmingKernels extends ScalarKernels implements Warming {
  private final VectorKernels vec = new VectorKernels();
  private final VectorWarmup warmup = new VectorWarmup(vec);

  /** Whether calls of family f go to the vector kernel; if not, asks for it to be warmed. */
  private boolean warm(int f) {
    if (warmup.warm(f)) return true;
    warmup.request(f);
    return false;
  }

  @Override
  public boolean awaitWarm(long millis) throws InterruptedException {
    return warmup.awaitWarm(millis);
  }

  @Override
  public String name() {
    return vec.name();
  }

  @Override
  public void unary(UnaryOp op, double p, float[] a, int aOff, int aStride, float[] out, int oOff, int n) {
    if (warm(VectorWarmup.UNARY_F + op.ordinal())) vec.unary(op, p, a, aOff, aStride, out, oOff, n);
    else super.unary(op, p, a, aOff, aStride, out, oOff, n);
  }

  @Override
  public void unary(UnaryOp op, double p, double[] a, int aOff, int aStride, double[] out, int oOff, int n) {
    if (warm(VectorWarmup.UNARY_D + op.ordinal())) vec.unary(op, p, a, aOff, aStride, out, oOff, n);
    else super.unary(op, p, a, aOff, aStride, out, oOff, n);
  }

  @Override
  public void binary(BinaryOp op, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride, float[] out, int oOff, int n) {
    if (warm(VectorWarmup.BINARY_F + op.ordinal())) vec.binary(op, a, aOff, aStride, b, bOff, bStride, out, oOff, n);
    else super.binary(op, a, aOff, aStride, b, bOff, bStride, out, oOff, n);
  }

  @Override
  public void binary(BinaryOp op, double[] a, int aOff, int aStride, double[] b, int bOff, int bStride, double[] out, int oOff, int n) {
    if (warm(VectorWarmup.BINARY_D + op.ordinal())) vec.binary(op, a, aOff, aStride, b, bOff, bStride, out, oOff, n);
    else super.binary(op, a, aOff, aStride, b, bOff, bStride, out, oOff, n);
  }

  @Override
  public void compare(CompareOp op, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride, boolean[] out, int oOff, int n) {
    if (warm(VectorWarmup.COMPARE_F + op.ordinal())) vec.compare(op, a, aOff, aStride, b, bOff, bStride, out, oOff, n);
    else super.compare(op, a, aOff, aStride, b, bOff, bStride, out, oOff, n);
  }

  @Override
  public void compare(CompareOp op, double[] a, int aOff, int aStride, double[] b, int bOff, int bStride, boolean[] out, int oOff, int n) {
    if (warm(VectorWarmup.COMPARE_D + op.ordinal())) vec.compare(op, a, aOff, aStride, b, bOff, bStride, out, oOff, n);
    else super.compare(op, a, aOff, aStride, b, bOff, bStride, out, oOff, n);
  }

  @Override
  public double sum(float[] a, int off, int n) {
    return warm(VectorWarmup.SUM_F) ? vec.sum(a, off, n) : super.sum(a, off, n);
  }

  @Override
  public double sum(double[] a, int off, int n) {
    return warm(VectorWarmup.SUM_D) ? vec.sum(a, off, n) : super.sum(a, off, n);
  }

  @Override
  public void addInto(float[] src, int sOff, float[] acc, int aOff, int n) {
    if (warm(VectorWarmup.ADD_INTO_F)) vec.addInto(src, sOff, acc, aOff, n);
    else super.addInto(src, sOff, acc, aOff, n);
  }

  @Override
  public void addInto(double[] src, int sOff, double[] acc, int aOff, int n) {
    if (warm(VectorWarmup.ADD_INTO_D)) vec.addInto(src, sOff, acc, aOff, n);
    else super.addInto(src, sOff, acc, aOff, n);
  }

  @Override
  public void gemm(int m, int n, int k, float[] a, int aOff, int aRs, int aCs, float[] b, int bOff, int bRs, int bCs,
      float[] c, int cOff, int ldc, boolean accumulate) {
    if (warmup.warm(VectorWarmup.GEMM_F)) vec.gemm(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate);
    else {
      warmup.request(VectorWarmup.GEMM_F);
      super.gemm(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate);
    }
  }

  @Override
  public void gemm(int m, int n, int k, double[] a, int aOff, int aRs, int aCs, double[] b, int bOff, int bRs, int bCs,
      double[] c, int cOff, int ldc, boolean accumulate) {
    if (warmup.warm(VectorWarmup.GEMM_D)) vec.gemm(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate);
    else {
      warmup.request(VectorWarmup.GEMM_D);
      super.gemm(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate);
    }
  }

  @Override
  public void clamp(float[] a, int aOff, float lo, float hi, float[] out, int oOff, int n) {
    if (warm(VectorWarmup.CLAMP_F)) vec.clamp(a, aOff, lo, hi, out, oOff, n);
    else super.clamp(a, aOff, lo, hi, out, oOff, n);
  }

  @Override
  public void maskGrad(float[] g, int gOff, float[] x, int xOff, float lo, float hi, boolean loOpen, float[] out, int oOff, int n) {
    if (warm(VectorWarmup.MASK_F)) vec.maskGrad(g, gOff, x, xOff, lo, hi, loOpen, out, oOff, n);
    else super.maskGrad(g, gOff, x, xOff, lo, hi, loOpen, out, oOff, n);
  }

  @Override
  public void maskGrad(double[] g, int gOff, double[] x, int xOff, double lo, double hi, boolean loOpen, double[] out, int oOff, int n) {
    if (warm(VectorWarmup.MASK_D)) vec.maskGrad(g, gOff, x, xOff, lo, hi, loOpen, out, oOff, n);
    else super.maskGrad(g, gOff, x, xOff, lo, hi, loOpen, out, oOff, n);
  }

  @Override
  public void adam(float[] p, int pOff, float[] g, int gOff, float[] m, int mOff, float[] v, int vOff, float[] vMax, int maxOff, int n, double[] c) {
    if (warm(VectorWarmup.ADAM_F)) vec.adam(p, pOff, g, gOff, m, mOff, v, vOff, vMax, maxOff, n, c);
    else super.adam(p, pOff, g, gOff, m, mOff, v, vOff, vMax, maxOff, n, c);
  }

  @Override
  public void adam(double[] p, int pOff, double[] g, int gOff, double[] m, int mOff, double[] v, int vOff, double[] vMax, int maxOff, int n, double[] c) {
    if (warm(VectorWarmup.ADAM_D)) vec.adam(p, pOff, g, gOff, m, mOff, v, vOff, vMax, maxOff, n, c);
    else super.adam(p, pOff, g, gOff, m, mOff, v, vOff, vMax, maxOff, n, c);
  }
}
