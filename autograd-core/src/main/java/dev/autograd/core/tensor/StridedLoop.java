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
   * is reused between calls; callbacks must not keep either array.
   */
  public static void forEachRow(int[] shape, int[][] strides, int[] baseOffsets, Row row) {
    int ops = strides.length;
    int numel = 1;
    for (int s : shape) numel *= s;
    if (numel == 0) return;
    Scratch mine = SCRATCH.get();
    // a walk inside a walk's callback, or one beyond the scratch sizes, gets arrays of its own
    boolean reuse = !mine.busy && ops <= Scratch.OPS && shape.length <= Scratch.RANK;
    Scratch s = reuse ? mine : new Scratch(ops, Math.max(shape.length, 1));
    s.busy = true;
    try {
      walk(shape, strides, baseOffsets, row, ops, numel, s);
    } finally {
      s.busy = false;
    }
  }

  /**
   * Per-thread working arrays of a walk, so that walking a small tensor allocates nothing (a
   * compiled step replays many such walks). Entries beyond the current walk's rank and operand
   * count are ignored.
   */
  private static final class Scratch {
    static final int OPS = 4;
    static final int RANK = 8;
    boolean busy;
    final int[] size;
    final int[][] st;
    final int[] offsets;
    final int[] inner;
    final int[] idx;
    final int[] cur;

    Scratch() {
      this(OPS, RANK);
    }

    Scratch(int ops, int rank) {
      size = new int[rank];
      st = new int[ops][rank];
      offsets = new int[ops];
      inner = new int[ops];
      idx = new int[rank];
      cur = new int[ops];
    }
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private static void walk(
      int[] shape, int[][] strides, int[] baseOffsets, Row row, int ops, int numel, Scratch s) {
    // merge dims: d and d+1 fuse when, for every operand, stride[d] == stride[d+1] * size[d+1]
    int rank = shape.length;
    int[] size = s.size;
    int[][] st = s.st;
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
    int[] offsets = s.offsets;
    int[] inner = s.inner;
    System.arraycopy(baseOffsets, 0, offsets, 0, ops);
    if (r == 0) { // a single element
      java.util.Arrays.fill(inner, 0);
      row.run(offsets, inner, 1);
      return;
    }
    int last = r - 1;
    for (int k = 0; k < ops; k++) inner[k] = st[k][last];
    int n = size[last];
    int rows = numel / n;
    int[] idx = s.idx;
    java.util.Arrays.fill(idx, 0);
    int[] cur = s.cur;
    System.arraycopy(baseOffsets, 0, cur, 0, ops);
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
