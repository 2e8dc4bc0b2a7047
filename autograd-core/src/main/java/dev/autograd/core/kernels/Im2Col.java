package dev.autograd.core.kernels;

/**
 * The loops of convolution and pooling on contiguous float or double arrays: unfold (im2col) and
 * its adjoint fold (col2im) through a precomputed map, and the argmax of pooling windows. A map
 * entry is the offset of the input element within one sample's [C, H, W] plane that a column
 * element copies, or -1 where the window lies in padding.
 */
public final class Im2Col {
  private Im2Col() {}

  /** The column map of one sample: [C·kh·kw, Ho·Wo] offsets into [C, H, W], -1 in padding. */
  public static int[] map(
      int c,
      int h,
      int w,
      int kh,
      int kw,
      int sh,
      int sw,
      int ph,
      int pw,
      int dh,
      int dw,
      int oh,
      int ow) {
    int rows = c * kh * kw, cols = oh * ow;
    int[] m = new int[rows * cols];
    java.util.Arrays.fill(m, -1);
    for (int r = 0; r < rows; r++) {
      int ch = r / (kh * kw), i = (r / kw) % kh, j = r % kw;
      for (int y = 0; y < oh; y++) {
        int hy = y * sh - ph + i * dh;
        if (hy < 0 || hy >= h) continue;
        for (int x = 0; x < ow; x++) {
          int wx = x * sw - pw + j * dw;
          if (wx >= 0 && wx < w) m[r * cols + y * ow + x] = (ch * h + hy) * w + wx;
        }
      }
    }
    return m;
  }

  /**
   * Columns of {@code n} samples of {@code plane} elements: [N, rows, cols], or [rows, N·cols] when
   * {@code rowsFirst}; every element written (0 in padding).
   */
  public static void unfold(
      Object src,
      int srcOff,
      int n,
      int plane,
      int[] map,
      int rows,
      int cols,
      boolean rowsFirst,
      Object dst,
      int dstOff) {
    boolean f32 = src instanceof float[];
    for (int b = 0; b < n; b++) {
      int from = srcOff + b * plane;
      for (int r = 0; r < rows; r++) {
        int mi = r * cols, to = dstOff + (rowsFirst ? (r * n + b) * cols : (b * rows + r) * cols);
        if (f32) {
          float[] in = (float[]) src, out = (float[]) dst;
          for (int l = 0; l < cols; l++) {
            int m = map[mi + l];
            out[to + l] = m >= 0 ? in[from + m] : 0f;
          }
        } else {
          double[] in = (double[]) src, out = (double[]) dst;
          for (int l = 0; l < cols; l++) {
            int m = map[mi + l];
            out[to + l] = m >= 0 ? in[from + m] : 0.0;
          }
        }
      }
    }
  }

  /** The adjoint of {@link #unfold}: columns summed back into [N, plane] (zeroed first). */
  public static void fold(
      Object src,
      int srcOff,
      int n,
      int plane,
      int[] map,
      int rows,
      int cols,
      boolean rowsFirst,
      Object dst,
      int dstOff) {
    boolean f32 = src instanceof float[];
    if (f32) java.util.Arrays.fill((float[]) dst, dstOff, dstOff + n * plane, 0f);
    else java.util.Arrays.fill((double[]) dst, dstOff, dstOff + n * plane, 0.0);
    for (int b = 0; b < n; b++) {
      int to = dstOff + b * plane;
      for (int r = 0; r < rows; r++) {
        int mi = r * cols, from = srcOff + (rowsFirst ? (r * n + b) * cols : (b * rows + r) * cols);
        if (f32) {
          float[] in = (float[]) src, out = (float[]) dst;
          for (int l = 0; l < cols; l++) {
            int m = map[mi + l];
            if (m >= 0) out[to + m] += in[from + l];
          }
        } else {
          double[] in = (double[]) src, out = (double[]) dst;
          for (int l = 0; l < cols; l++) {
            int m = map[mi + l];
            if (m >= 0) out[to + m] += in[from + l];
          }
        }
      }
    }
  }

  /**
   * For each of {@code planes} [H, W] planes and each output position, the offset within the plane
   * of its window's maximum (NaN wins; implicit -inf padding).
   */
  public static long[] windowArgmax(
      Object src,
      int off,
      int planes,
      int h,
      int w,
      int kh,
      int kw,
      int sh,
      int sw,
      int ph,
      int pw,
      int dh,
      int dw,
      int oh,
      int ow) {
    float[] vf = src instanceof float[] ? (float[]) src : null;
    double[] vd = vf == null ? (double[]) src : null;
    int l = oh * ow, hw = h * w;
    long[] idx = new long[planes * l];
    for (int p = 0; p < planes; p++) {
      for (int y = 0; y < oh; y++) {
        for (int x = 0; x < ow; x++) {
          int best = -1;
          double bv = Double.NEGATIVE_INFINITY;
          for (int i = 0; i < kh; i++) {
            int hy = y * sh - ph + i * dh;
            if (hy < 0 || hy >= h) continue;
            for (int j = 0; j < kw; j++) {
              int wx = x * sw - pw + j * dw;
              if (wx < 0 || wx >= w) continue;
              int at = off + p * hw + hy * w + wx;
              double e = vf != null ? vf[at] : vd[at];
              if (best < 0 || e > bv || Double.isNaN(e)) {
                best = hy * w + wx;
                bv = e;
                if (Double.isNaN(e)) break;
              }
            }
            if (Double.isNaN(bv)) break;
          }
          idx[p * l + y * ow + x] = best;
        }
      }
    }
    return idx;
  }
}
