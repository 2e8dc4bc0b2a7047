package dev.autograd.core.kernels;

import dev.autograd.core.tensor.Storage;

/**
 * The indices of the k first elements of each row in sorted order (stable; NaN sorts as the
 * largest).
 */
public final class SortKernel {
  private SortKernel() {}

  /**
   * Rows of {@code size} contiguous elements from {@code base}; writes {@code outer × k} indices.
   */
  public static void pick(
      Storage s, int base, int outer, int size, int k, boolean largest, long[] picked) {
    if (outer == 0) return; // no rows (a [huge, 0] tensor, say): no scratch sized by the long dim
    Integer[] order = new Integer[size];
    double[] v = new double[size];
    for (int i = 0; i < outer; i++) {
      for (int j = 0; j < size; j++) {
        v[j] = s.get(base + i * size + j);
        order[j] = j;
      }
      // NaN above +inf, as PyTorch's sort; -0 and 0 are equal (a tie keeps the index order)
      java.util.Arrays.sort(
          order, largest ? (a, b) -> compare(v[b], v[a]) : (a, b) -> compare(v[a], v[b]));
      for (int j = 0; j < k; j++) picked[i * k + j] = order[j];
    }
  }

  // Double.compare, except that -0 equals 0 (Double.compare puts -0 first)
  private static int compare(double a, double b) {
    return a == b ? 0 : Double.compare(a, b);
  }
}
