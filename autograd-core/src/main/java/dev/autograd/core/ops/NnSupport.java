package dev.autograd.core.ops;

import dev.autograd.core.DType;
import dev.autograd.core.GradMode;
import dev.autograd.core.Tensor;
import dev.autograd.core.internal.Tensors;
import dev.autograd.core.tensor.Shapes;

/** Small helpers shared by the nn primitives: value access without history, argument checks. */
final class NnSupport {
  private NnSupport() {}

  /** Row-major values of {@code t} as doubles (no history). */
  static double[] values(Tensor t) {
    return t.toDoubleArray();
  }

  /**
   * {@code t} itself when it is contiguous, else a contiguous copy; no history. Read its elements
   * from {@code storage().floats()} / {@code doubles()} starting at {@code storageOffset()}: the nn
   * kernels work on the FLOAT32 / FLOAT64 arrays directly, without a double[] round trip.
   */
  static Tensor dense(Tensor t) {
    if (t.isContiguous()) return t;
    try (GradMode.Scope s = GradMode.scope(false)) {
      return t.contiguous();
    }
  }

  /** A new tensor of {@code dtype} holding {@code values}; no history. */
  static Tensor tensor(double[] values, int[] shape, DType dtype) {
    Tensor t = Creation.zeros(dtype, shape);
    if (dtype == DType.FLOAT64) {
      System.arraycopy(values, 0, Tensors.storage(t).doubles(), 0, values.length);
    } else if (dtype == DType.FLOAT32) {
      float[] out = Tensors.storage(t).floats();
      for (int i = 0; i < values.length; i++) out[i] = (float) values[i];
    } else {
      for (int i = 0; i < values.length; i++) Tensors.storage(t).set(i, values[i]);
    }
    return t;
  }

  static void requireFloat(String op, String what, Tensor t) {
    if (!t.dtype().isFloatingPoint()) {
      throw new IllegalArgumentException(
          op
              + ": expected "
              + what
              + " to be a floating-point tensor, got "
              + t.dtype().torchName());
    }
  }

  static void requireLong(String op, String what, Tensor t) {
    if (t.dtype() != DType.INT64) {
      throw new IllegalArgumentException(
          op
              + ": expected "
              + what
              + " to be an INT64 tensor (class indices), got "
              + t.dtype().torchName()
              + " (convert with .to(DType.INT64))");
    }
  }

  static String str(Tensor t) {
    return Shapes.str(t.shapeRef());
  }
}
