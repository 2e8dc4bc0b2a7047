package dev.autograd.core.ops;

import dev.autograd.core.DType;
import dev.autograd.core.Tensor;
import dev.autograd.core.engine.Graph;

/**
 * 2-D convolution and pooling. conv2d unfolds the input into columns (im2col) and multiplies
 * them by the flattened kernel; unfold's derivative is fold (col2im) and fold's is unfold, so the
 * convolution has gradients of every order. Max pooling gathers the argmax of each window
 * (implicit -inf padding); average pooling averages the unfolded windows (zero padding counted,
 * PyTorch's default {@code count_include_pad=True}). No {@code ceil_mode}.
 */
public final class Convolution {
  private Convolution() {}

  /** Window geometry of one unfold over [N, C, H, W]. */
  static final class Geometry {
    final int n, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow;

    Geometry(String op, int[] in, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw) {
      this.n = in[0];
      this.c = in[1];
      this.h = in[2];
      this.w = in[3];
      this.kh = kh;
      this.kw = kw;
      this.sh = sh;
      this.sw = sw;
      this.ph = ph;
      this.pw = pw;
      this.dh = dh;
      this.dw = dw;
      if (kh <= 0 || kw <= 0 || sh <= 0 || sw <= 0 || dh <= 0 || dw <= 0 || ph < 0 || pw < 0) {
        throw new IllegalArgumentException(op + ": kernel size, stride and dilation must be positive and padding non-negative");
      }
      this.oh = (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1;
      this.ow = (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1;
      if (h + 2 * ph - dh * (kh - 1) - 1 < 0 || w + 2 * pw - dw * (kw - 1) - 1 < 0) {
        throw new IllegalArgumentException(
            op + ": calculated output size (" + c + "x" + oh + "x" + ow + ") is too small for input (" + c + "x" + h + "x" + w + ") with kernel "
                + kh + "x" + kw + ", padding " + ph + "x" + pw + " and dilation " + dh + "x" + dw);
      }
    }

    int rows() {
      return c * kh * kw;
    }

    int cols() {
      return oh * ow;
    }

    private int[] map;

    /**
     * For each element (r, l) of one sample's [C·kh·kw, Ho·Wo] columns, the offset of the input
     * element it copies within that sample's [C, H, W] plane, or -1 where the window is in padding.
     * Computed once per geometry; unfold gathers with it and fold scatter-adds with it.
     */
    int[] map() {
      if (map != null) return map;
      int rows = rows(), cols = cols();
      int[] m = new int[rows * cols];
      java.util.Arrays.fill(m, -1);
      for (int r = 0; r < rows; r++) {
        int ch = r / (kh * kw), i = (r / kw) % kh, j = r % kw;
        for (int y = 0; y < oh; y++) {
          int hy = y * sh - ph + i * dh;
          if (hy < 0 || hy >= h) continue;
          for (int xx = 0; xx < ow; xx++) {
            int wx = xx * sw - pw + j * dw;
            if (wx >= 0 && wx < w) m[r * cols + y * ow + xx] = (ch * h + hy) * w + wx;
          }
        }
      }
      map = m;
      return m;
    }
  }

  /**
   * [N, C, H, W] -> [N, C·kh·kw, Ho·Wo] (im2col), or [C·kh·kw, N·Ho·Wo] when {@code rowsFirst}
   * (one matrix for the whole batch, so conv2d is a single mm); gradient: fold(g).
   */
  static Tensor unfold(Tensor x, Geometry q, boolean rowsFirst) {
    Tensor src = NnSupport.dense(x);
    int[] map = q.map();
    int rows = q.rows(), cols = q.cols(), plane = q.c * q.h * q.w, off = src.storageOffset();
    Tensor y = rowsFirst ? Tensor.empty(x.dtype(), rows, q.n * cols) : Tensor.empty(x.dtype(), q.n, rows, cols);
    float[] inF = null, outF = null;
    double[] inD = null, outD = null;
    if (x.dtype() == DType.FLOAT32) {
      inF = src.storage().floats();
      outF = y.storage().floats();
    } else {
      inD = src.storage().doubles();
      outD = y.storage().doubles();
    }
    for (int b = 0; b < q.n; b++) {
      int from = off + b * plane;
      for (int r = 0; r < rows; r++) {
        int mi = r * cols, to = rowsFirst ? (r * q.n + b) * cols : (b * rows + r) * cols;
        if (outF != null) {
          for (int l = 0; l < cols; l++) {
            int m = map[mi + l];
            if (m >= 0) outF[to + l] = inF[from + m];
          }
        } else {
          for (int l = 0; l < cols; l++) {
            int m = map[mi + l];
            if (m >= 0) outD[to + l] = inD[from + m];
          }
        }
      }
    }
    return Graph.record("Im2ColBackward0", y, new Tensor[] {x}, null, (g, n) -> new Tensor[] {fold(g, q, rowsFirst)});
  }

  /** The adjoint of unfold: columns -> [N, C, H, W], summing overlapping windows (col2im); gradient: unfold(g). */
  static Tensor fold(Tensor columns, Geometry q, boolean rowsFirst) {
    Tensor src = NnSupport.dense(columns);
    int[] map = q.map();
    int rows = q.rows(), cols = q.cols(), plane = q.c * q.h * q.w, off = src.storageOffset();
    Tensor y = Tensor.empty(columns.dtype(), q.n, q.c, q.h, q.w);
    float[] inF = null, outF = null;
    double[] inD = null, outD = null;
    if (columns.dtype() == DType.FLOAT32) {
      inF = src.storage().floats();
      outF = y.storage().floats();
    } else {
      inD = src.storage().doubles();
      outD = y.storage().doubles();
    }
    for (int b = 0; b < q.n; b++) {
      int to = b * plane;
      for (int r = 0; r < rows; r++) {
        int mi = r * cols, from = off + (rowsFirst ? (r * q.n + b) * cols : (b * rows + r) * cols);
        if (outF != null) {
          for (int l = 0; l < cols; l++) {
            int m = map[mi + l];
            if (m >= 0) outF[to + m] += inF[from + l];
          }
        } else {
          for (int l = 0; l < cols; l++) {
            int m = map[mi + l];
            if (m >= 0) outD[to + m] += inD[from + l];
          }
        }
      }
    }
    return Graph.record("Col2ImBackward0", y, new Tensor[] {columns}, null, (g, n) -> new Tensor[] {unfold(g, q, rowsFirst)});
  }

  private static Tensor batched(String op, Tensor input) {
    NnSupport.requireFloat(op, "input", input);
    if (input.dim() == 3) return input.unsqueeze(0);
    if (input.dim() != 4) {
      throw new IllegalArgumentException(op + ": expected 3D (unbatched) or 4D (batched) input, but got input of size: " + NnSupport.str(input));
    }
    return input;
  }

  /**
   * Cross-correlation of input [N, C, H, W] (or [C, H, W]) with weight [O, C/groups, kh, kw],
   * plus bias [O] (nullable): out [N, O, Ho, Wo]. stride, padding and dilation are (h, w) pairs.
   */
  public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
    Tensor x = batched("conv2d", input);
    if (weight.dim() != 4) throw new IllegalArgumentException("conv2d: expected a 4-D weight [out, in/groups, kh, kw], got " + NnSupport.str(weight));
    int o = weight.size(0), cg = weight.size(1);
    if (groups <= 0 || o % groups != 0 || x.size(1) != cg * groups) {
      throw new IllegalArgumentException(
          "conv2d: Given groups=" + groups + ", weight of size " + NnSupport.str(weight) + ", expected input" + NnSupport.str(x) + " to have "
              + cg * groups + " channels, but got " + x.size(1) + " channels instead");
    }
    if (bias != null && (bias.dim() != 1 || bias.size(0) != o)) {
      throw new IllegalArgumentException("conv2d: expected bias of shape [" + o + "], got " + NnSupport.str(bias));
    }
    Tensor y;
    if (groups == 1) {
      y = convGroup(x, weight, stride, padding, dilation);
    } else {
      int og = o / groups;
      Tensor[] parts = new Tensor[groups];
      for (int g = 0; g < groups; g++) {
        parts[g] = convGroup(x.narrow(1, g * cg, cg), weight.narrow(0, g * og, og), stride, padding, dilation);
      }
      y = Tensor.cat(1, parts);
    }
    if (bias != null) y = y.add(bias.reshape(1, o, 1, 1));
    return input.dim() == 3 ? y.squeeze(0) : y;
  }

  private static Tensor convGroup(Tensor x, Tensor weight, int[] stride, int[] padding, int[] dilation) {
    int o = weight.size(0);
    Geometry q = new Geometry("conv2d", x.shapeRef(), weight.size(2), weight.size(3), stride[0], stride[1], padding[0], padding[1], dilation[0], dilation[1]);
    // one [O, C·kh·kw] x [C·kh·kw, N·Ho·Wo] product for the whole batch, then [O, N, ...] -> [N, O, ...]
    Tensor cols = unfold(x, q, true);
    return weight.reshape(o, q.rows()).mm(cols).reshape(o, q.n, q.oh, q.ow).transpose(0, 1);
  }

  /** The mean of each window, zero padding counted: [N, C, H, W] -> [N, C, Ho, Wo]. */
  public static Tensor avgPool2d(Tensor input, int[] kernel, int[] stride, int[] padding) {
    Tensor x = batched("avg_pool2d", input);
    checkPadding("avg_pool2d", kernel, padding);
    int n = x.size(0), c = x.size(1);
    Geometry q = new Geometry("avg_pool2d", new int[] {n * c, 1, x.size(2), x.size(3)}, kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1], 1, 1);
    Tensor y = unfold(x.reshape(n * c, 1, x.size(2), x.size(3)), q, false).mean(1).reshape(n, c, q.oh, q.ow);
    return input.dim() == 3 ? y.squeeze(0) : y;
  }

  /** The maximum of each window (NaN propagates); gradient flows to the argmax only. */
  public static Tensor maxPool2d(Tensor input, int[] kernel, int[] stride, int[] padding, int[] dilation) {
    Tensor x = batched("max_pool2d", input);
    checkPadding("max_pool2d", kernel, padding);
    int n = x.size(0), c = x.size(1);
    Geometry q = new Geometry("max_pool2d", x.shapeRef(), kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1], dilation[0], dilation[1]);
    Tensor src = NnSupport.dense(x);
    float[] vf = x.dtype() == DType.FLOAT32 ? src.storage().floats() : null;
    double[] vd = vf == null ? src.storage().doubles() : null;
    int off = src.storageOffset();
    int planes = n * c, l = q.cols(), hw = q.h * q.w;
    long[] idx = new long[planes * l];
    for (int p = 0; p < planes; p++) {
      for (int y = 0; y < q.oh; y++) {
        for (int xx = 0; xx < q.ow; xx++) {
          int best = -1;
          double bv = Double.NEGATIVE_INFINITY;
          for (int i = 0; i < q.kh; i++) {
            int hy = y * q.sh - q.ph + i * q.dh;
            if (hy < 0 || hy >= q.h) continue;
            for (int j = 0; j < q.kw; j++) {
              int wx = xx * q.sw - q.pw + j * q.dw;
              if (wx < 0 || wx >= q.w) continue;
              int at = off + p * hw + hy * q.w + wx;
              double e = vf != null ? vf[at] : vd[at];
              if (best < 0 || e > bv || Double.isNaN(e)) {
                best = hy * q.w + wx;
                bv = e;
                if (Double.isNaN(e)) break;
              }
            }
            if (Double.isNaN(bv)) break;
          }
          idx[p * l + y * q.ow + xx] = best;
        }
      }
    }
    Embedding.Plan plan = new Embedding.Plan("MaxPool2DWithIndicesBackward0", "MaxPool2DWithIndicesBackwardBackward0", idx, planes, hw, 1, l,
        x.shape(), new int[] {n, c, q.oh, q.ow});
    Tensor y = Embedding.take(x, plan, false);
    return input.dim() == 3 ? y.squeeze(0) : y;
  }

  private static void checkPadding(String op, int[] kernel, int[] padding) {
    if (padding[0] * 2 > kernel[0] || padding[1] * 2 > kernel[1]) {
      throw new IllegalArgumentException(op + ": pad should be at most half of effective kernel size, but got pad=" + padding[0] + ", kernel_size=" + kernel[0]);
    }
  }
}
