package dev.autograd.core.kernels;

import dev.autograd.core.tensor.Storage;

/** The indices of the k first elements of each row in sorted order (stable; NaN sorts as the largest). */
public final class SortKernel {
  private SortKernel() {}

  /** Rows of {@code size} contiguous elements from {@code base}; writes {@code outer × k} indices. */
  public static void pick(Storage s, int base, int outer, int size, int k, boolean largest, long[] picked) {
    if (outer == 0) return; // no rows (a [huge, 0] tensor, say): no scratch sized by the long dim
    Integer[] order = new Integer[size];
    double[] v = new double[size];
    for (int i = 0; i < outer; i++) {
      for (int j = 0; j < size; j++) {
        v[j] = s.get(base + i * size + j);
        order[j] = j;
      }
      // Double.compare orders NaN above +inf, as PyTorch's sort does
      java.util.Arrays.sort(order, largest ? (a, b) -> Double.compare(v[b], v[a]) : (a, b) -> Double.compare(v[a], v[b]));
      for (int j = 0; j < k; j++) picked[i * k + j] = order[j];
    }
  }
}
