package dev.autograd.core.kernels;

import dev.autograd.core.DType;
import dev.autograd.core.tensor.Storage;
import dev.autograd.core.tensor.StridedLoop;

/**
 * The element loops of advanced indexing ({@code x[i, j]}, {@code x[i] = v}): for every position b
 * of the broadcast index shape, one block of the not-indexed ("sliced") dims is moved from a source
 * offset to a destination offset. The caller computes both offsets per position; this class only
 * moves the blocks, copying or accumulating.
 */
public final class AdvancedIndex {
  private AdvancedIndex() {}

  /** One element moved from storage index {@code from} to storage index {@code to}. */
  @FunctionalInterface
  private interface Move {
    void at(int from, int to);
  }

  /**
   * For each position b: {@code dst[dstOffsets[b] + block] = src[srcOffsets[b] + block]} (or {@code
   * +=} when {@code accumulate}), the block walking {@code blockShape} with each side's strides.
   * Positions are visited in order, so with repeated destinations the last write wins (and
   * accumulation is sequential, hence deterministic). Both storages have the same dtype.
   */
  public static void move(
      Storage src,
      int[] srcOffsets,
      int[] srcStrides,
      Storage dst,
      int[] dstOffsets,
      int[] dstStrides,
      int[] blockShape,
      boolean accumulate) {
    Move m = mover(src, dst, accumulate);
    int blockSize = 1;
    for (int s : blockShape) blockSize *= s;
    if (blockSize == 0) return;
    if (blockSize
        == 1) { // one element per position: x[mask] on the mask's full shape, x[i, j] on a matrix
      for (int b = 0; b < srcOffsets.length; b++) m.at(srcOffsets[b], dstOffsets[b]);
      return;
    }
    int[][] strides = {srcStrides, dstStrides};
    for (int b = 0; b < srcOffsets.length; b++) {
      StridedLoop.forEachRow(
          blockShape,
          strides,
          new int[] {srcOffsets[b], dstOffsets[b]},
          (o, in, n) -> {
            for (int i = 0; i < n; i++) m.at(o[0] + i * in[0], o[1] + i * in[1]);
          });
    }
  }

  private static Move mover(Storage src, Storage dst, boolean accumulate) {
    DType dt = dst.dtype();
    switch (dt) {
      case FLOAT32:
        {
          float[] a = src.floats(), y = dst.floats();
          return accumulate ? (f, t) -> y[t] += a[f] : (f, t) -> y[t] = a[f];
        }
      case FLOAT64:
        {
          double[] a = src.doubles(), y = dst.doubles();
          return accumulate ? (f, t) -> y[t] += a[f] : (f, t) -> y[t] = a[f];
        }
      case INT64:
        {
          long[] a = src.longs(), y = dst.longs();
          return accumulate ? (f, t) -> y[t] += a[f] : (f, t) -> y[t] = a[f];
        }
      default:
        { // BOOL: a sum of booleans is their "or", as PyTorch's index_put_ with accumulate
          boolean[] a = src.bools(), y = dst.bools();
          return accumulate ? (f, t) -> y[t] |= a[f] : (f, t) -> y[t] = a[f];
        }
    }
  }
}
