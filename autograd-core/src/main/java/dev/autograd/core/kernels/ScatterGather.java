package dev.autograd.core.kernels;

import dev.autograd.core.tensor.Storage;

/**
 * The element loops of gather and scatter-add along one dim {@code d}: every element of the index
 * (any shape and strides, row-major order) names a position along d in x; the other coordinates are
 * the index element's own. Indices were checked by the caller (in range, or negative counting from
 * the end).
 */
public final class ScatterGather {
  private ScatterGather() {}

  /** Where one index element reads or writes. */
  private interface Visit {
    void at(int position, int xOffset, int srcOffset);
  }

  /**
   * out[p] = x[..., index[p], ...] for each index element p, out contiguous from {@code outOff}.
   */
  public static void gather(
      Storage x,
      int xOff,
      int[] xStrides,
      int size,
      int d,
      Storage index,
      int iOff,
      int[] iShape,
      int[] iStrides,
      Storage out,
      int outOff) {
    walk(
        xOff,
        xStrides,
        size,
        d,
        index,
        iOff,
        iShape,
        iStrides,
        null,
        0,
        (p, xo, so) -> out.set(outOff + p, x.get(xo)));
  }

  /**
   * y[..., index[p], ...] += src[p] for each index element p (src indexed with the index's
   * coordinates).
   */
  public static void scatterAdd(
      Storage y,
      int yOff,
      int[] yStrides,
      int size,
      int d,
      Storage index,
      int iOff,
      int[] iShape,
      int[] iStrides,
      Storage src,
      int sOff,
      int[] sStrides) {
    walk(
        yOff,
        yStrides,
        size,
        d,
        index,
        iOff,
        iShape,
        iStrides,
        sStrides,
        sOff,
        (p, yo, so) -> y.set(yo, y.get(yo) + src.get(so)));
  }

  /** dst += src element-wise over {@code shape} (any strides). */
  public static void addInto(
      Storage src, int sOff, int[] sStrides, Storage dst, int dOff, int[] dStrides, int[] shape) {
    dev.autograd.core.tensor.StridedLoop.forEachRow(
        shape,
        new int[][] {sStrides, dStrides},
        new int[] {sOff, dOff},
        (o, in, n) -> {
          for (int i = 0; i < n; i++) {
            int to = o[1] + i * in[1];
            dst.set(to, dst.get(to) + src.get(o[0] + i * in[0]));
          }
        });
  }

  private static void walk(
      int xOff,
      int[] xStr,
      int size,
      int d,
      Storage index,
      int iOff,
      int[] shape,
      int[] iStr,
      int[] sStr,
      int sOff,
      Visit v) {
    int rank = shape.length;
    int n = 1;
    for (int s : shape) n *= s;
    if (n == 0) return;
    int[] pos = new int[Math.max(rank, 1)];
    for (int p = 0; p < n; p++) {
      int io = iOff, xo = xOff, so = sOff;
      for (int k = 0; k < rank; k++) {
        io += pos[k] * iStr[k];
        if (k != d) xo += pos[k] * xStr[k];
        if (sStr != null) so += pos[k] * sStr[k];
      }
      long i = (long) index.get(io);
      v.at(p, xo + (int) (i < 0 ? i + size : i) * xStr[d], so);
      for (int k = rank - 1; k >= 0; k--) {
        if (++pos[k] < shape[k]) break;
        pos[k] = 0;
      }
    }
  }
}
