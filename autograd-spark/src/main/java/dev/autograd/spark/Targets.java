package dev.autograd.spark;

import dev.autograd.core.DType;
import dev.autograd.core.Tensor;

/** Builds a loss target tensor from packed label values. */
final class Targets {
  private Targets() {}

  /**
   * Rows {@code order[from .. from + n)} of {@code labels} (width {@code width}): INT64 [n] for
   * class indices, else [n, width] in {@code dtype}.
   */
  static Tensor of(
      double[] labels, int width, int[] order, int from, int n, LabelKind kind, DType dtype) {
    if (kind == LabelKind.CLASS_INDEX) {
      if (width != 1)
        throw new IllegalArgumentException(
            "CLASS_INDEX labels need one value per sample, got "
                + width
                + "; use LabelKind.VALUES for target vectors");
      long[] y = new long[n];
      for (int i = 0; i < n; i++) {
        double v = labels[order[from + i]];
        if (v != Math.rint(v) || v < 0)
          throw new IllegalArgumentException(
              "class label "
                  + v
                  + " is not a non-negative integer; use LabelKind.VALUES for regression targets");
        y[i] = (long) v;
      }
      return Tensor.of(y, n);
    }
    if (dtype == DType.FLOAT64) {
      double[] y = new double[n * width];
      for (int i = 0; i < n; i++)
        System.arraycopy(labels, order[from + i] * width, y, i * width, width);
      return Tensor.of(y, n, width);
    }
    float[] y = new float[n * width];
    for (int i = 0; i < n; i++)
      for (int j = 0; j < width; j++)
        y[i * width + j] = (float) labels[order[from + i] * width + j];
    return Tensor.of(y, n, width);
  }
}
