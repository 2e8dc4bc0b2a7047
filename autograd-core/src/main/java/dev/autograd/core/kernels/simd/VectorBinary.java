package dev.autograd.core.kernels.simd;

import dev.autograd.core.kernels.BinaryOp;
import dev.autograd.core.kernels.CompareOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector bodies of the float binary maps and comparisons, for contiguous operands or one operand
 * broadcast (stride 0). One method per op with one loop per stride pattern: an operator passed as a
 * value, or a vector chosen per iteration (a phi), is not intrinsified on JDK 17.
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

  /** The vector body of a comparison; returns how many elements it wrote. */
  static int compare(
      CompareOp op,
      float[] a,
      int aOff,
      int aS,
      float[] b,
      int bOff,
      int bS,
      boolean[] out,
      int oOff,
      int n) {
    int end = F.loopBound(n);
    switch (op) {
      case GT:
        compareGt(a, aOff, aS, b, bOff, bS, out, oOff, end);
        return end;
      case LT:
        compareLt(a, aOff, aS, b, bOff, bS, out, oOff, end);
        return end;
      case GE:
        compareGe(a, aOff, aS, b, bOff, bS, out, oOff, end);
        return end;
      case LE:
        compareLe(a, aOff, aS, b, bOff, bS, out, oOff, end);
        return end;
      case EQ:
        compareEq(a, aOff, aS, b, bOff, bS, out, oOff, end);
        return end;
      case NE:
        compareNe(a, aOff, aS, b, bOff, bS, out, oOff, end);
        return end;
      default:
        return 0;
    }
  }

  private static void compareGt(
      float[] a, int aOff, int aS, float[] b, int bOff, int bS, boolean[] out, int oOff, int end) {
    if (aS == 0) {
      FloatVector x = FloatVector.broadcast(F, a[aOff]);
      for (int i = 0; i < end; i += F.length()) {
        FloatVector y = FloatVector.fromArray(F, b, bOff + i);
        x.compare(VectorOperators.GT, y).intoArray(out, oOff + i);
      }
    } else if (bS == 0) {
      FloatVector y = FloatVector.broadcast(F, b[bOff]);
      for (int i = 0; i < end; i += F.length()) {
        FloatVector x = FloatVector.fromArray(F, a, aOff + i);
        x.compare(VectorOperators.GT, y).intoArray(out, oOff + i);
      }
    } else {
      for (int i = 0; i < end; i += F.length()) {
        FloatVector x = FloatVector.fromArray(F, a, aOff + i);
        FloatVector y = FloatVector.fromArray(F, b, bOff + i);
        x.compare(VectorOperators.GT, y).intoArray(out, oOff + i);
      }
    }
  }

  private static void compareLt(
      float[] a, int aOff, int aS, float[] b, int bOff, int bS, boolean[] out, int oOff, int end) {
    if (aS == 0) {
      FloatVector x = FloatVector.broadcast(F, a[aOff]);
      for (int i = 0; i < end; i += F.length()) {
        FloatVector y = FloatVector.fromArray(F, b, bOff + i);
        x.compare(VectorOperators.LT, y).intoArray(out, oOff + i);
      }
    } else if (bS == 0) {
      FloatVector y = FloatVector.broadcast(F, b[bOff]);
      for (int i = 0; i < end; i += F.length()) {
        FloatVector x = FloatVector.fromArray(F, a, aOff + i);
        x.compare(VectorOperators.LT, y).intoArray(out, oOff + i);
      }
    } else {
      for (int i = 0; i < end; i += F.length()) {
        FloatVector x = FloatVector.fromArray(F, a, aOff + i);
        FloatVector y = FloatVector.fromArray(F, b, bOff + i);
        x.compare(VectorOperators.LT, y).intoArray(out, oOff + i);
      }
    }
  }

  private static void compareGe(
      float[] a, int aOff, int aS, float[] b, int bOff, int bS, boolean[] out, int oOff, int end) {
    if (aS == 0) {
      FloatVector x = FloatVector.broadcast(F, a[aOff]);
      for (int i = 0; i < end; i += F.length()) {
        FloatVector y = FloatVector.fromArray(F, b, bOff + i);
        x.compare(VectorOperators.GE, y).intoArray(out, oOff + i);
      }
    } else if (bS == 0) {
      FloatVector y = FloatVector.broadcast(F, b[bOff]);
      for (int i = 0; i < end; i += F.length()) {
        FloatVector x = FloatVector.fromArray(F, a, aOff + i);
        x.compare(VectorOperators.GE, y).intoArray(out, oOff + i);
      }
    } else {
      for (int i = 0; i < end; i += F.length()) {
        FloatVector x = FloatVector.fromArray(F, a, aOff + i);
        FloatVector y = FloatVector.fromArray(F, b, bOff + i);
        x.compare(VectorOperators.GE, y).intoArray(out, oOff + i);
      }
    }
  }

  private static void compareLe(
      float[] a, int aOff, int aS, float[] b, int bOff, int bS, boolean[] out, int oOff, int end) {
    if (aS == 0) {
      FloatVector x = FloatVector.broadcast(F, a[aOff]);
      for (int i = 0; i < end; i += F.length()) {
        FloatVector y = FloatVector.fromArray(F, b, bOff + i);
        x.compare(VectorOperators.LE, y).intoArray(out, oOff + i);
      }
    } else if (bS == 0) {
      FloatVector y = FloatVector.broadcast(F, b[bOff]);
      for (int i = 0; i < end; i += F.length()) {
        FloatVector x = FloatVector.fromArray(F, a, aOff + i);
        x.compare(VectorOperators.LE, y).intoArray(out, oOff + i);
      }
    } else {
      for (int i = 0; i < end; i += F.length()) {
        FloatVector x = FloatVector.fromArray(F, a, aOff + i);
        FloatVector y = FloatVector.fromArray(F, b, bOff + i);
        x.compare(VectorOperators.LE, y).intoArray(out, oOff + i);
      }
    }
  }

  private static void compareEq(
      float[] a, int aOff, int aS, float[] b, int bOff, int bS, boolean[] out, int oOff, int end) {
    if (aS == 0) {
      FloatVector x = FloatVector.broadcast(F, a[aOff]);
      for (int i = 0; i < end; i += F.length()) {
        FloatVector y = FloatVector.fromArray(F, b, bOff + i);
        x.compare(VectorOperators.EQ, y).intoArray(out, oOff + i);
      }
    } else if (bS == 0) {
      FloatVector y = FloatVector.broadcast(F, b[bOff]);
      for (int i = 0; i < end; i += F.length()) {
        FloatVector x = FloatVector.fromArray(F, a, aOff + i);
        x.compare(VectorOperators.EQ, y).intoArray(out, oOff + i);
      }
    } else {
      for (int i = 0; i < end; i += F.length()) {
        FloatVector x = FloatVector.fromArray(F, a, aOff + i);
        FloatVector y = FloatVector.fromArray(F, b, bOff + i);
        x.compare(VectorOperators.EQ, y).intoArray(out, oOff + i);
      }
    }
  }

  private static void compareNe(
      float[] a, int aOff, int aS, float[] b, int bOff, int bS, boolean[] out, int oOff, int end) {
    if (aS == 0) {
      FloatVector x = FloatVector.broadcast(F, a[aOff]);
      for (int i = 0; i < end; i += F.length()) {
        FloatVector y = FloatVector.fromArray(F, b, bOff + i);
        x.compare(VectorOperators.NE, y).intoArray(out, oOff + i);
      }
    } else if (bS == 0) {
      FloatVector y = FloatVector.broadcast(F, b[bOff]);
      for (int i = 0; i < end; i += F.length()) {
        FloatVector x = FloatVector.fromArray(F, a, aOff + i);
        x.compare(VectorOperators.NE, y).intoArray(out, oOff + i);
      }
    } else {
      for (int i = 0; i < end; i += F.length()) {
        FloatVector x = FloatVector.fromArray(F, a, aOff + i);
        FloatVector y = FloatVector.fromArray(F, b, bOff + i);
        x.compare(VectorOperators.NE, y).intoArray(out, oOff + i);
      }
    }
  }
}
