package dev.autograd.core.kernels;

/**
 * Row gathers by index and their adjoint scatter-adds, on contiguous float or double arrays. With x
 * as [P, M, D] and indices [P, L] into M: {@code take} writes y[p, l, :] = x[p, idx, :], {@code
 * put} adds g[p, l, :] into y[p, idx, :] (y zeroed first). A row {@code skip} (or -1) is left out
 * of {@code put}, and of {@code take} when {@code zeroSkipped}. An index outside [0, M) fails with
 * the index named, never with a wrong row.
 */
public final class RowGather {
  private RowGather() {}

  public static void take(
      Object src,
      int srcOff,
      long[] idx,
      int idxOff,
      int p,
      int m,
      int d,
      int l,
      long skip,
      boolean zeroSkipped,
      Object dst,
      int dstOff) {
    boolean f32 = src instanceof float[];
    for (int b = 0; b < p; b++) {
      for (int k = 0; k < l; k++) {
        long i = idx[idxOff + b * l + k];
        int to = dstOff + (b * l + k) * d;
        if (zeroSkipped && i == skip) {
          if (f32) java.util.Arrays.fill((float[]) dst, to, to + d, 0f);
          else java.util.Arrays.fill((double[]) dst, to, to + d, 0.0);
          continue;
        }
        checkRow(i, m);
        int from = srcOff + (b * m + (int) i) * d;
        if (d == 1 && f32) ((float[]) dst)[to] = ((float[]) src)[from];
        else System.arraycopy(src, from, dst, to, d);
      }
    }
  }

  public static void put(
      Object src,
      int srcOff,
      long[] idx,
      int idxOff,
      int p,
      int m,
      int d,
      int l,
      long skip,
      Object dst,
      int dstOff) {
    if (src instanceof float[]) {
      float[] in = (float[]) src, out = (float[]) dst;
      java.util.Arrays.fill(out, dstOff, dstOff + p * m * d, 0f);
      for (int b = 0; b < p; b++) {
        for (int k = 0; k < l; k++) {
          long i = idx[idxOff + b * l + k];
          if (i == skip) continue;
          checkRow(i, m);
          int to = dstOff + (b * m + (int) i) * d, from = srcOff + (b * l + k) * d;
          for (int j = 0; j < d; j++) out[to + j] += in[from + j];
        }
      }
    } else {
      double[] in = (double[]) src, out = (double[]) dst;
      java.util.Arrays.fill(out, dstOff, dstOff + p * m * d, 0.0);
      for (int b = 0; b < p; b++) {
        for (int k = 0; k < l; k++) {
          long i = idx[idxOff + b * l + k];
          if (i == skip) continue;
          checkRow(i, m);
          int to = dstOff + (b * m + (int) i) * d, from = srcOff + (b * l + k) * d;
          for (int j = 0; j < d; j++) out[to + j] += in[from + j];
        }
      }
    }
  }

  private static void checkRow(long i, int m) {
    if (i < 0 || i >= m)
      throw new IndexOutOfBoundsException("index " + i + " is out of range for " + m + " rows");
  }
}
