package dev.autograd.core.kernels.simd;

import dev.autograd.core.kernels.BinaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector bodies of {@code (a op b) · c} for the fused chains of compiled functions: a binary map
 * whose result only feeds a product with one value, in one pass instead of two (the same
 * operations, so the same bits). Like {@link VectorBinary}: one loop per op and stride pattern.
 */
final class FusedBinary {
  private FusedBinary() {}

  private static final VectorSpecies<Float> F = VectorKernels.F;

  /** The vector body; returns how many elements it wrote (0 for an op without one). */
  static int binaryTimes(
      BinaryOp op,
      float[] a,
      int aOff,
      int aS,
      float[] b,
      int bOff,
      int bS,
      float c,
      float[] out,
      int oOff,
      int n) {
    int end = F.loopBound(n);
    switch (op) {
      case ADD:
        addTimes(a, aOff, aS, b, bOff, bS, c, out, oOff, end);
        return end;
      case SUB:
        subTimes(a, aOff, aS, b, bOff, bS, c, out, oOff, end);
        return end;
      case MUL:
        mulTimes(a, aOff, aS, b, bOff, bS, c, out, oOff, end);
        return end;
      case DIV:
        divTimes(a, aOff, aS, b, bOff, bS, c, out, oOff, end);
        return end;
      default:
        return 0;
    }
  }

  private static void addTimes(
      float[] a,
      int aOff,
      int aS,
      float[] b,
      int bOff,
      int bS,
      float c,
      float[] out,
      int oOff,
      int end) {
    if (aS == 0) {
      FloatVector x = FloatVector.broadcast(F, a[aOff]);
      for (int i = 0; i < end; i += F.length()) {
        FloatVector y = FloatVector.fromArray(F, b, bOff + i);
        x.add(y).mul(c).intoArray(out, oOff + i);
      }
    } else if (bS == 0) {
      FloatVector y = FloatVector.broadcast(F, b[bOff]);
      for (int i = 0; i < end; i += F.length()) {
        FloatVector x = FloatVector.fromArray(F, a, aOff + i);
        x.add(y).mul(c).intoArray(out, oOff + i);
      }
    } else {
      for (int i = 0; i < end; i += F.length()) {
        FloatVector x = FloatVector.fromArray(F, a, aOff + i);
        FloatVector y = FloatVector.fromArray(F, b, bOff + i);
        x.add(y).mul(c).intoArray(out, oOff + i);
      }
    }
  }

  private static void subTimes(
      float[] a,
      int aOff,
      int aS,
      float[] b,
      int bOff,
      int bS,
      float c,
      float[] out,
      int oOff,
      int end) {
    if (aS == 0) {
      FloatVector x = FloatVector.broadcast(F, a[aOff]);
      for (int i = 0; i < end; i += F.length()) {
        FloatVector y = FloatVector.fromArray(F, b, bOff + i);
        x.sub(y).mul(c).intoArray(out, oOff + i);
      }
    } else if (bS == 0) {
      FloatVector y = FloatVector.broadcast(F, b[bOff]);
      for (int i = 0; i < end; i += F.length()) {
        FloatVector x = FloatVector.fromArray(F, a, aOff + i);
        x.sub(y).mul(c).intoArray(out, oOff + i);
      }
    } else {
      for (int i = 0; i < end; i += F.length()) {
        FloatVector x = FloatVector.fromArray(F, a, aOff + i);
        FloatVector y = FloatVector.fromArray(F, b, bOff + i);
        x.sub(y).mul(c).intoArray(out, oOff + i);
      }
    }
  }

  private static void mulTimes(
      float[] a,
      int aOff,
      int aS,
      float[] b,
      int bOff,
      int bS,
      float c,
      float[] out,
      int oOff,
      int end) {
    if (aS == 0) {
      FloatVector x = FloatVector.broadcast(F, a[aOff]);
      for (int i = 0; i < end; i += F.length()) {
        FloatVector y = FloatVector.fromArray(F, b, bOff + i);
        x.mul(y).mul(c).intoArray(out, oOff + i);
      }
    } else if (bS == 0) {
      FloatVector y = FloatVector.broadcast(F, b[bOff]);
      for (int i = 0; i < end; i += F.length()) {
        FloatVector x = FloatVector.fromArray(F, a, aOff + i);
        x.mul(y).mul(c).intoArray(out, oOff + i);
      }
    } else {
      for (int i = 0; i < end; i += F.length()) {
        FloatVector x = FloatVector.fromArray(F, a, aOff + i);
        FloatVector y = FloatVector.fromArray(F, b, bOff + i);
        x.mul(y).mul(c).intoArray(out, oOff + i);
      }
    }
  }

  private static void divTimes(
      float[] a,
      int aOff,
      int aS,
      float[] b,
      int bOff,
      int bS,
      float c,
      float[] out,
      int oOff,
      int end) {
    if (aS == 0) {
      FloatVector x = FloatVector.broadcast(F, a[aOff]);
      for (int i = 0; i < end; i += F.length()) {
        FloatVector y = FloatVector.fromArray(F, b, bOff + i);
        x.div(y).mul(c).intoArray(out, oOff + i);
      }
    } else if (bS == 0) {
      FloatVector y = FloatVector.broadcast(F, b[bOff]);
      for (int i = 0; i < end; i += F.length()) {
        FloatVector x = FloatVector.fromArray(F, a, aOff + i);
        x.div(y).mul(c).intoArray(out, oOff + i);
      }
    } else {
      for (int i = 0; i < end; i += F.length()) {
        FloatVector x = FloatVector.fromArray(F, a, aOff + i);
        FloatVector y = FloatVector.fromArray(F, b, bOff + i);
        x.div(y).mul(c).intoArray(out, oOff + i);
      }
    }
  }
}
