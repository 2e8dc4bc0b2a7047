package dev.autograd.core.kernels.simd;

import dev.autograd.core.kernels.BinaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector bodies of the float binary maps, for contiguous operands or one operand broadcast (stride
 * 0). Comparisons stay scalar: on JDK 17 {@code VectorMask.intoArray(boolean[])} is not
 * intrinsified and boxes a mask per vector. One method per op with one loop per stride pattern: an
 * operator passed as a value, or a vector chosen per iteration (a phi), is not intrinsified on JDK
 * 17.
 */
final class VectorBinary {
  private VectorBinary() {}

  private static final VectorSpecies<Float> F = VectorKernels.F;

  /** Contiguous operands, or one of them broadcast (stride 0). */
  static boolean vectorisable(int aStride, int bStride) {
    return (aStride == 1 && (bStride == 1 || bStride == 0)) || (aStride == 0 && bStride == 1);
  }

  /** The vector body of a binary map; returns how many elements it wrote. */
  static int binary(
      BinaryOp op,
      float[] a,
      int aOff,
      int aS,
      float[] b,
      int bOff,
      int bS,
      float[] out,
      int oOff,
      int n) {
    int end = F.loopBound(n);
    switch (op) {
      case ADD:
        add(a, aOff, aS, b, bOff, bS, out, oOff, end);
        return end;
      case SUB:
        sub(a, aOff, aS, b, bOff, bS, out, oOff, end);
        return end;
      case MUL:
        mul(a, aOff, aS, b, bOff, bS, out, oOff, end);
        return end;
      case DIV:
        div(a, aOff, aS, b, bOff, bS, out, oOff, end);
        return end;
      case MAX:
        max(a, aOff, aS, b, bOff, bS, out, oOff, end);
        return end;
      case MIN:
        min(a, aOff, aS, b, bOff, bS, out, oOff, end);
        return end;
      default:
        return 0;
    }
  }

  private static void add(
      float[] a, int aOff, int aS, float[] b, int bOff, int bS, float[] out, int oOff, int end) {
    if (aS == 0) {
      FloatVector x = FloatVector.broadcast(F, a[aOff]);
      for (int i = 0; i < end; i += F.length()) {
        FloatVector y = FloatVector.fromArray(F, b, bOff + i);
        x.add(y).intoArray(out, oOff + i);
      }
    } else if (bS == 0) {
      FloatVector y = FloatVector.broadcast(F, b[bOff]);
      for (int i = 0; i < end; i += F.length()) {
        FloatVector x = FloatVector.fromArray(F, a, aOff + i);
        x.add(y).intoArray(out, oOff + i);
      }
    } else {
      for (int i = 0; i < end; i += F.length()) {
        FloatVector x = FloatVector.fromArray(F, a, aOff + i);
        FloatVector y = FloatVector.fromArray(F, b, bOff + i);
        x.add(y).intoArray(out, oOff + i);
      }
    }
  }

  private static void sub(
      float[] a, int aOff, int aS, float[] b, int bOff, int bS, float[] out, int oOff, int end) {
    if (aS == 0) {
      FloatVector x = FloatVector.broadcast(F, a[aOff]);
      for (int i = 0; i < end; i += F.length()) {
        FloatVector y = FloatVector.fromArray(F, b, bOff + i);
        x.sub(y).intoArray(out, oOff + i);
      }
    } else if (bS == 0) {
      FloatVector y = FloatVector.broadcast(F, b[bOff]);
      for (int i = 0; i < end; i += F.length()) {
        FloatVector x = FloatVector.fromArray(F, a, aOff + i);
        x.sub(y).intoArray(out, oOff + i);
      }
    } else {
      for (int i = 0; i < end; i += F.length()) {
        FloatVector x = FloatVector.fromArray(F, a, aOff + i);
        FloatVector y = FloatVector.fromArray(F, b, bOff + i);
        x.sub(y).intoArray(out, oOff + i);
      }
    }
  }

  private static void mul(
      float[] a, int aOff, int aS, float[] b, int bOff, int bS, float[] out, int oOff, int end) {
    if (aS == 0) {
      FloatVector x = FloatVector.broadcast(F, a[aOff]);
      for (int i = 0; i < end; i += F.length()) {
        FloatVector y = FloatVector.fromArray(F, b, bOff + i);
        x.mul(y).intoArray(out, oOff + i);
      }
    } else if (bS == 0) {
      FloatVector y = FloatVector.broadcast(F, b[bOff]);
      for (int i = 0; i < end; i += F.length()) {
        FloatVector x = FloatVector.fromArray(F, a, aOff + i);
        x.mul(y).intoArray(out, oOff + i);
      }
    } else {
      for (int i = 0; i < end; i += F.length()) {
        FloatVector x = FloatVector.fromArray(F, a, aOff + i);
        FloatVector y = FloatVector.fromArray(F, b, bOff + i);
        x.mul(y).intoArray(out, oOff + i);
      }
    }
  }

  private static void div(
      float[] a, int aOff, int aS, float[] b, int bOff, int bS, float[] out, int oOff, int end) {
    if (aS == 0) {
      FloatVector x = FloatVector.broadcast(F, a[aOff]);
      for (int i = 0; i < end; i += F.length()) {
        FloatVector y = FloatVector.fromArray(F, b, bOff + i);
        x.div(y).intoArray(out, oOff + i);
      }
    } else if (bS == 0) {
      FloatVector y = FloatVector.broadcast(F, b[bOff]);
      for (int i = 0; i < end; i += F.length()) {
        FloatVector x = FloatVector.fromArray(F, a, aOff + i);
        x.div(y).intoArray(out, oOff + i);
      }
    } else {
      for (int i = 0; i < end; i += F.length()) {
        FloatVector x = FloatVector.fromArray(F, a, aOff + i);
        FloatVector y = FloatVector.fromArray(F, b, bOff + i);
        x.div(y).intoArray(out, oOff + i);
      }
    }
  }

  private static void max(
      float[] a, int aOff, int aS, float[] b, int bOff, int bS, float[] out, int oOff, int end) {
    if (aS == 0) {
      FloatVector x = FloatVector.broadcast(F, a[aOff]);
      for (int i = 0; i < end; i += F.length()) {
        FloatVector y = FloatVector.fromArray(F, b, bOff + i);
        x.max(y).intoArray(out, oOff + i);
      }
    } else if (bS == 0) {
      FloatVector y = FloatVector.broadcast(F, b[bOff]);
      for (int i = 0; i < end; i += F.length()) {
        FloatVector x = FloatVector.fromArray(F, a, aOff + i);
        x.max(y).intoArray(out, oOff + i);
      }
    } else {
      for (int i = 0; i < end; i += F.length()) {
        FloatVector x = FloatVector.fromArray(F, a, aOff + i);
        FloatVector y = FloatVector.fromArray(F, b, bOff + i);
        x.max(y).intoArray(out, oOff + i);
      }
    }
  }

  private static void min(
      float[] a, int aOff, int aS, float[] b, int bOff, int bS, float[] out, int oOff, int end) {
    if (aS == 0) {
      FloatVector x = FloatVector.broadcast(F, a[aOff]);
      for (int i = 0; i < end; i += F.length()) {
        FloatVector y = FloatVector.fromArray(F, b, bOff + i);
        x.min(y).intoArray(out, oOff + i);
      }
    } else if (bS == 0) {
      FloatVector y = FloatVector.broadcast(F, b[bOff]);
      for (int i = 0; i < end; i += F.length()) {
        FloatVector x = FloatVector.fromArray(F, a, aOff + i);
        x.min(y).intoArray(out, oOff + i);
      }
    } else {
      for (int i = 0; i < end; i += F.length()) {
        FloatVector x = FloatVector.fromArray(F, a, aOff + i);
        FloatVector y = FloatVector.fromArray(F, b, bOff + i);
        x.min(y).intoArray(out, oOff + i);
      }
    }
  }
}
