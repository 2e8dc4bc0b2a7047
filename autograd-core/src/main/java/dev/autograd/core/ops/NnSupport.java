package dev.autograd.core.ops;

import dev.autograd.core.DType;
import dev.autograd.core.GradMode;
import dev.autograd.core.Tensor;
import dev.autograd.core.tensor.Shapes;

/** Small helpers shared by the nn primitives: value access without history, argument checks. */
@SuppressWarnings("try") // grad-mode scopes are used only for their side effect
final class NnSupport {
  private NnSupport() {}

  /** Row-major values of {@code t} as doubles (no history). */
  static double[] values(Tensor t) {
    return t.toDoubleArray();
  }

  /** A new tensor of {@code dtype} holding {@code values}; no history. */
  static Tensor tensor(double[] values, int[] shape, DType dtype) {
    Tensor t = Tensor.empty(dtype, shape);
    if (dtype == DType.FLOAT64) {
      System.arraycopy(values, 0, t.storage().doubles(), 0, values.length);
    } else if (dtype == DType.FLOAT32) {
      float[] out = t.storage().floats();
      for (int i = 0; i < values.length; i++) out[i] = (float) values[i];
    } else {
      for (int i = 0; i < values.length; i++) t.storage().set(i, values[i]);
    }
    return t;
  }

  static void requireFloat(String op, String what, Tensor t) {
    if (!t.dtype().isFloatingPoint()) {
      throw new IllegalArgumentException(op + ": expected " + what + " to be a floating-point tensor, got " + t.dtype().torchName());
    }
  }

  static void requireLong(String op, String what, Tensor t) {
    if (t.dtype() != DType.INT64) {
      throw new IllegalArgumentException(
          op + ": expected " + what + " to be an INT64 tensor (class indices), got " + t.dtype().torchName()
              + " (convert with .to(DType.INT64))");
    }
  }

  static String str(Tensor t) {
    return Shapes.str(t.shapeRef());
  }

  /** The maximum of {@code x} along {@code dim}, kept as size 1; a constant (no history). */
  static Tensor maxAlong(Tensor x, int dim) {
    int d = Shapes.normalizeDim(dim, x.dim());
    try (GradMode.Scope s = GradMode.scope(false)) {
      Tensor moved = x.transpose(d, x.dim() - 1);
      double[] v = values(moved);
      int n = x.size(d);
      int rows = n == 0 ? 0 : v.length / n;
      double[] m = new double[rows];
      for (int r = 0; r < rows; r++) {
        double best = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
          double e = v[r * n + j];
          if (e > best || Double.isNaN(e)) best = e;
          if (Double.isNaN(best)) break;
        }
        // an all -inf row would give -inf - -inf = NaN; shifting by 0 keeps it -inf like PyTorch
        m[r] = Double.isInfinite(best) ? 0 : best;
      }
      int[] shape = moved.shape();
      shape[shape.length - 1] = 1;
      return tensor(m, shape, x.dtype()).transpose(d, x.dim() - 1);
    }
  }
}
