package dev.autograd.core.ops;

import dev.autograd.core.DType;
import dev.autograd.core.Tensor;
import dev.autograd.core.internal.Tensors;
import dev.autograd.core.kernels.Im2Col;

/**
 * 2-D convolution and pooling. conv2d unfolds the input into columns (im2col) and multiplies them
 * by the flattened kernel; unfold's derivative is fold (col2im) and fold's is unfold, so the
 * convolution has gradients of every order. Max pooling gathers the argmax of each window (implicit
 * -inf padding); average pooling averages the unfolded windows (zero padding counted, PyTorch's
 * default {@code count_include_pad=True}). No {@code ceil_mode}.
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
        throw new IllegalArgumentException(
            op + ": kernel size, stride and dilation must be positive and padding non-negative");
      }
      this.oh = (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1;
      this.ow = (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1;
      if (h + 2 * ph - dh * (kh - 1) - 1 < 0 || w + 2 * pw - dw * (kw - 1) - 1 < 0) {
        throw new IllegalArgumentException(
            op
                + ": calculated output size ("
                + c
                + "x"
                + oh
                + "x"
                + ow
                + ") is too small for input ("
                + c
                + "x"
                + h
                + "x"
                + w
                + ") with kernel "
                + kh
                + "x"
                + kw
                + ", padding "
                + ph
                + "x"
                + pw
                + " and dilation "
                + dh
                + "x"
                + dw);
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
      if (map == null) map = Im2Col.map(c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow);
      return map;
    }
  }

  // ===============================================================================================
  // Entries: unfold (im2col) and fold (col2im), each the other's derivative; max pooling as a
  // row gather of each window's argmax (its derivative a put). conv2d and avg_pool2d compose them.
  // ===============================================================================================

  /**
   * The window geometry, and the column layout: [C·kh·kw, N·Ho·Wo] when rowsFirst, else [N,
   * C·kh·kw, Ho·Wo].
   */
  public record Windows(Geometry q, boolean rowsFirst) {
    int[] columnsShape() {
      return rowsFirst ? new int[] {q.rows(), q.n * q.cols()} : new int[] {q.n, q.rows(), q.cols()};
    }
  }

  // d unfold = fold(g)
  public static final OpDef<Windows> UNFOLD =
      OpDef.<Windows>op("Im2ColBackward0")
          .name("unfold")
          .shape((in, w) -> new OpDef.OutSpec(in[0].dtype(), w.columnsShape()))
          .kernel(
              (in, w, out) -> {
                Tensor src = NnSupport.dense(in[0]);
                Geometry q = w.q();
                Im2Col.unfold(
                    Tensors.storage(src).array(),
                    src.storageOffset(),
                    q.n,
                    q.c * q.h * q.w,
                    q.map(),
                    q.rows(),
                    q.cols(),
                    w.rowsFirst(),
                    Tensors.storage(out).array(),
                    out.storageOffset());
              })
          .derivative((g, n, w) -> new Tensor[] {Convolution.FOLD.call(w, g)})
          .linearTangent()
          .build();

  // d fold = unfold(g)
  public static final OpDef<Windows> FOLD =
      OpDef.<Windows>op("Col2ImBackward0")
          .name("fold")
          .shape(
              (in, w) ->
                  new OpDef.OutSpec(in[0].dtype(), new int[] {w.q().n, w.q().c, w.q().h, w.q().w}))
          .kernel(
              (in, w, out) -> {
                Tensor src = NnSupport.dense(in[0]);
                Geometry q = w.q();
                Im2Col.fold(
                    Tensors.storage(src).array(),
                    src.storageOffset(),
                    q.n,
                    q.c * q.h * q.w,
                    q.map(),
                    q.rows(),
                    q.cols(),
                    w.rowsFirst(),
                    Tensors.storage(out).array(),
                    out.storageOffset());
              })
          .derivative((g, n, w) -> new Tensor[] {Convolution.UNFOLD.call(w, g)})
          .linearTangent()
          .build();

  // d max_pool2d = the window gradients added back at each argmax
  // (max_pool2d_with_indices_backward)
  public static final OpDef<RowGather.Rows> MAX_POOL2D =
      RowGather.takeEntry("MaxPool2DWithIndicesBackward0", () -> Convolution.MAX_POOL2D_BACKWARD);
  // d max_pool2d_with_indices_backward = gg gathered at the argmax again
  public static final OpDef<RowGather.Rows> MAX_POOL2D_BACKWARD =
      RowGather.putEntry("MaxPool2DWithIndicesBackwardBackward0", () -> Convolution.MAX_POOL2D);

  // INT64 offsets within each [H, W] plane of every window's maximum (NaN wins); no derivative
  public static final OpDef<Geometry> WINDOW_ARGMAX =
      OpDef.<Geometry>op("max_pool2d_indices")
          .nondifferentiable()
          .shape((in, q) -> new OpDef.OutSpec(DType.INT64, new int[] {q.n * q.c, q.cols()}))
          .kernel(
              (in, q, out) -> {
                Tensor src = NnSupport.dense(in[0]);
                long[] idx =
                    Im2Col.windowArgmax(
                        Tensors.storage(src).array(),
                        src.storageOffset(),
                        q.n * q.c,
                        q.h,
                        q.w,
                        q.kh,
                        q.kw,
                        q.sh,
                        q.sw,
                        q.ph,
                        q.pw,
                        q.dh,
                        q.dw,
                        q.oh,
                        q.ow);
                System.arraycopy(
                    idx, 0, Tensors.storage(out).longs(), out.storageOffset(), idx.length);
              })
          .build();

  static Tensor unfold(Tensor x, Geometry q, boolean rowsFirst) {
    return UNFOLD.call(new Windows(q, rowsFirst), x);
  }

  private static Tensor batched(String op, Tensor input) {
    NnSupport.requireFloat(op, "input", input);
    if (input.dim() == 3) return input.unsqueeze(0);
    if (input.dim() != 4) {
      throw new IllegalArgumentException(
          op
              + ": expected 3D (unbatched) or 4D (batched) input, but got input of size: "
              + NnSupport.str(input));
    }
    return input;
  }

  /**
   * Cross-correlation of input [N, C, H, W] (or [C, H, W]) with weight [O, C/groups, kh, kw], plus
   * bias [O] (nullable): out [N, O, Ho, Wo]. stride, padding and dilation are (h, w) pairs.
   */
  public static Tensor conv2d(
      Tensor input,
      Tensor weight,
      Tensor bias,
      int[] stride,
      int[] padding,
      int[] dilation,
      int groups) {
    Tensor x = batched("conv2d", input);
    if (weight.dim() != 4)
      throw new IllegalArgumentException(
          "conv2d: expected a 4-D weight [out, in/groups, kh, kw], got " + NnSupport.str(weight));
    int o = weight.size(0), cg = weight.size(1);
    if (groups <= 0 || o % groups != 0 || x.size(1) != cg * groups) {
      throw new IllegalArgumentException(
          "conv2d: Given groups="
              + groups
              + ", weight of size "
              + NnSupport.str(weight)
              + ", expected input"
              + NnSupport.str(x)
              + " to have "
              + cg * groups
              + " channels, but got "
              + x.size(1)
              + " channels instead");
    }
    if (bias != null && (bias.dim() != 1 || bias.size(0) != o)) {
      throw new IllegalArgumentException(
          "conv2d: expected bias of shape [" + o + "], got " + NnSupport.str(bias));
    }
    Tensor y;
    if (groups == 1) {
      y = convGroup(x, weight, stride, padding, dilation);
    } else {
      int og = o / groups;
      Tensor[] parts = new Tensor[groups];
      for (int g = 0; g < groups; g++) {
        parts[g] =
            convGroup(
                x.narrow(1, g * cg, cg), weight.narrow(0, g * og, og), stride, padding, dilation);
      }
      y = Tensor.cat(1, parts);
    }
    if (bias != null) y = y.add(bias.reshape(1, o, 1, 1));
    return input.dim() == 3 ? y.squeeze(0) : y;
  }

  private static Tensor convGroup(
      Tensor x, Tensor weight, int[] stride, int[] padding, int[] dilation) {
    int o = weight.size(0);
    Geometry q =
        new Geometry(
            "conv2d",
            x.shapeRef(),
            weight.size(2),
            weight.size(3),
            stride[0],
            stride[1],
            padding[0],
            padding[1],
            dilation[0],
            dilation[1]);
    // one [O, C·kh·kw] x [C·kh·kw, N·Ho·Wo] product for the whole batch, then [O, N, ...] -> [N, O,
    // ...]
    Tensor cols = unfold(x, q, true);
    return weight.reshape(o, q.rows()).mm(cols).reshape(o, q.n, q.oh, q.ow).transpose(0, 1);
  }

  /** The mean of each window, zero padding counted: [N, C, H, W] -> [N, C, Ho, Wo]. */
  public static Tensor avgPool2d(Tensor input, int[] kernel, int[] stride, int[] padding) {
    Tensor x = batched("avg_pool2d", input);
    checkPadding("avg_pool2d", kernel, padding);
    int n = x.size(0), c = x.size(1);
    Geometry q =
        new Geometry(
            "avg_pool2d",
            new int[] {n * c, 1, x.size(2), x.size(3)},
            kernel[0],
            kernel[1],
            stride[0],
            stride[1],
            padding[0],
            padding[1],
            1,
            1);
    Tensor y =
        unfold(x.reshape(n * c, 1, x.size(2), x.size(3)), q, false)
            .mean(1)
            .reshape(n, c, q.oh, q.ow);
    return input.dim() == 3 ? y.squeeze(0) : y;
  }

  /** The maximum of each window (NaN propagates); gradient flows to the argmax only. */
  public static Tensor maxPool2d(
      Tensor input, int[] kernel, int[] stride, int[] padding, int[] dilation) {
    Tensor x = batched("max_pool2d", input);
    checkPadding("max_pool2d", kernel, padding);
    int n = x.size(0), c = x.size(1);
    Geometry q =
        new Geometry(
            "max_pool2d",
            x.shapeRef(),
            kernel[0],
            kernel[1],
            stride[0],
            stride[1],
            padding[0],
            padding[1],
            dilation[0],
            dilation[1]);
    Tensor idx = WINDOW_ARGMAX.call(q, x.detach());
    RowGather.Rows rows =
        new RowGather.Rows(
            n * c, q.h * q.w, 1, q.cols(), x.shape(), new int[] {n, c, q.oh, q.ow}, -1, false);
    Tensor y = MAX_POOL2D.call(rows, x, idx);
    return input.dim() == 3 ? y.squeeze(0) : y;
  }

  private static void checkPadding(String op, int[] kernel, int[] padding) {
    if (padding[0] * 2 > kernel[0] || padding[1] * 2 > kernel[1]) {
      throw new IllegalArgumentException(
          op
              + ": pad should be at most half of effective kernel size, but got pad="
              + padding[0]
              + ", kernel_size="
              + kernel[0]);
    }
  }
}
