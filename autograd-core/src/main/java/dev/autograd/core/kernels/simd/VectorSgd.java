package dev.autograd.core.kernels.simd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector body of {@code Kernels.sgdStep}: {@code w -= g·lr} and {@code g = 0} in one pass, the
 * product and the difference each rounded as the MUL and SUB kernels round them (no fused
 * multiply-add), so the bits are those of the two ops.
 */
final class VectorSgd {
  private VectorSgd() {}

  private static final VectorSpecies<Float> F = VectorKernels.F;
  private static final VectorSpecies<Double> D = VectorKernels.D;

  /** Steps the first whole vectors of {@code n}; returns how many elements it did. */
  static int step(float[] w, int wOff, float[] g, int gOff, float lr, boolean zeroGrad, int n) {
    int end = F.loopBound(n);
    FloatVector zero = FloatVector.zero(F);
    for (int i = 0; i < end; i += F.length()) { // vector body
      FloatVector gv = FloatVector.fromArray(F, g, gOff + i);
      FloatVector.fromArray(F, w, wOff + i).sub(gv.mul(lr)).intoArray(w, wOff + i);
      if (zeroGrad) zero.intoArray(g, gOff + i);
    }
    return end;
  }

  static int step(double[] w, int wOff, double[] g, int gOff, double lr, boolean zeroGrad, int n) {
    int end = D.loopBound(n);
    DoubleVector zero = DoubleVector.zero(D);
    for (int i = 0; i < end; i += D.length()) { // vector body
      DoubleVector gv = DoubleVector.fromArray(D, g, gOff + i);
      DoubleVector.fromArray(D, w, wOff + i).sub(gv.mul(lr)).intoArray(w, wOff + i);
      if (zeroGrad) zero.intoArray(g, gOff + i);
    }
    return end;
  }
}
