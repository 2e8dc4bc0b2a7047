package dev.autograd.core.tensor;

/**
 * Walks several strided operands of one shape row by row: the innermost run of elements is handed
 * to a callback with each operand's offset and inner stride, so kernels see flat loops. Dimensions
 * that are contiguous for every operand are merged first, so a fully contiguous walk is a single
 * row.
 */
public final class StridedLoop {
  private StridedLoop() {}

  /** Receives one row: {@code offsets[k]} and {@code innerStrides[k]} for operand k. */
  @FunctionalInterface
  public interface Row {
    void run(int[] offsets, int[] innerStrides, int n);
  }

  /**
   * Calls {@code row} for every innermost row of {@code shape}, for operands with the given strides
   * (broadcast operands have stride 0) and base offsets. The offsets array passed to the callback
   * is reused between calls.
   */
  public static void forEachRow(int[] shape, int[][] strides, int[] baseOffsets, Row row) {
    int ops = strides.length;
    int numel = 1;
    for (int s : shape) numel *= s;
    if (numel == 0) return;
    // merge dims: d and d+1 fuse when, for every operand, stride[d] == stride[d+1] * size[d+1]
    int rank = shape.length;
    int[] size = new int[Math.max(rank, 1)];
    int[][] st = new int[ops][Math.max(rank, 1)];
    int r = 0;
    for (int d = 0; d < rank; d++) {
      if (shape[d] == 1) continue;
      if (r > 0) {
        boolean fuse = true;
        for (int k = 0; k < ops && fuse; k++) fuse = st[k][r - 1] == strides[k][d] * shape[d];
        if (fuse) {
          size[r - 1] *= shape[d];
          for (int k = 0; k < ops; k++) st[k][r - 1] = strides[k][d];
          continue;
        }
      }
      size[r] = shape[d];
      for (int k = 0; k < ops; k++) st[k][r] = strides[k][d];
      r++;
    }
    int[] offsets = baseOffsets.clone();
    int[] inner = new int[ops];
    if (r == 0) { // a single element
      row.run(offsets, inner, 1);
      return;
    }
    int last = r - 1;
    for (int k = 0; k < ops; k++) inner[k] = st[k][last];
    int n = size[last];
    int rows = numel / n;
    int[] idx = new int[r];
    int[] cur = baseOffsets.clone();
    for (int it = 0; it < rows; it++) {
      System.arraycopy(cur, 0, offsets, 0, ops);
      row.run(offsets, inner, n);
      // odometer over the outer dims
      for (int d = last - 1; d >= 0; d--) {
        if (++idx[d] < size[d]) {
          for (int k = 0; k < ops; k++) cur[k] += st[k][d];
          break;
        }
        idx[d] = 0;
        for (int k = 0; k < ops; k++) cur[k] -= st[k][d] * (size[d] - 1);
      }
    }
  }
}
