package dev.autograd.core.ops;

import dev.autograd.core.DType;
import dev.autograd.core.Tensor;
import dev.autograd.core.internal.Tensors;
import dev.autograd.core.kernels.Scan;
import dev.autograd.core.tensor.Shapes;
import dev.autograd.core.tensor.StridedLoop;

/** The op table's cumulative family: running sums and running log-sum-exps along one dim. */
public final class Scans {
  private Scans() {}

  /** One scan of a line: n elements from a storage position to another, with strides. */
  @FunctionalInterface
  private interface LineScan {
    void scan(
        dev.autograd.core.tensor.Storage src,
        int from,
        int srcStride,
        dev.autograd.core.tensor.Storage dst,
        int to,
        int dstStride,
        int n);
  }

  // ===============================================================================================
  // Entries. Attribute: the (normalized) dim.
  // ===============================================================================================

  // d cumsum = the reversed running sum of g
  public static final OpDef<Integer> CUMSUM =
      OpDef.<Integer>op("CumsumBackward0")
          .shape(
              (in, d) ->
                  new OpDef.OutSpec(
                      in[0].dtype().isFloatingPoint() ? in[0].dtype() : DType.INT64,
                      in[0].shapeRef()))
          .kernel((in, d, out) -> scanLines(in[0], d, out, Scan::cumsum))
          .derivative((g, n, d) -> new Tensor[] {g.flip(d).cumsum(d).flip(d)})
          .linearTangent()
          .build();

  // d y_j / d x_i = exp(x_i - y_j) for j >= i: grad_i = exp(x_i) * sum_{j>=i} g_j exp(-y_j), summed
  // in log space for the positive and the negative part of g separately (no overflow)
  public static final OpDef<Integer> LOGCUMSUMEXP =
      OpDef.<Integer>op("LogcumsumexpBackward0")
          .shape((in, d) -> new OpDef.OutSpec(in[0].dtype(), in[0].shapeRef()))
          .kernel((in, d, out) -> scanLines(in[0], d, out, Scan::logcumsumexp))
          .saves((in, y, d) -> new Tensor[] {in[0], y})
          .derivative(
              (g, n, d) -> {
                Tensor x = n.saved(0), y = n.saved(1);
                Tensor pos = reversedLogcumsumexp(logOfPositive(g).sub(y), d);
                Tensor neg = reversedLogcumsumexp(logOfPositive(g.neg()).sub(y), d);
                return new Tensor[] {x.add(pos).exp().sub(x.add(neg).exp())};
              })
          // dy_j = sum_{i<=j} t_i exp(x_i - y_j): the positive and negative parts of t summed in
          // log space
          .tangent(
              (t, in, y, d) -> {
                Tensor x = in[0];
                Tensor pos = logOfPositive(t[0]).add(x).logcumsumexp(d).sub(y).exp();
                Tensor neg = logOfPositive(t[0].neg()).add(x).logcumsumexp(d).sub(y).exp();
                return pos.sub(neg)
                    .maskedFill(
                        y.eq(Double.NEGATIVE_INFINITY), 0); // an all -inf prefix has no slope
              })
          .build();

  // log(t) where t > 0, -inf elsewhere, without a log of 0 (whose 0 * inf slope would be NaN)
  private static Tensor logOfPositive(Tensor t) {
    Tensor positive = t.gt(0);
    return Tensor.where(
        positive,
        Tensor.where(positive, t, Tensor.scalar(1, t.dtype())).log(),
        Tensor.scalar(Double.NEGATIVE_INFINITY, t.dtype()));
  }

  private static Tensor reversedLogcumsumexp(Tensor t, int d) {
    return t.flip(d).logcumsumexp(d).flip(d);
  }

  /** Running sum along {@code dim}. */
  public static Tensor cumsum(Tensor x, int dim) {
    if (x.dim() == 0) return Movement.clone(x);
    return CUMSUM.call(Shapes.normalizeDim(dim, x.dim()), x);
  }

  /** log(cumsum(exp(x))) along {@code dim}, computed stably. */
  public static Tensor logcumsumexp(Tensor x, int dim) {
    Creation.requireFloating(x.dtype(), "logcumsumexp");
    if (x.dim() == 0) return Movement.clone(x);
    return LOGCUMSUMEXP.call(Shapes.normalizeDim(dim, x.dim()), x);
  }

  // every line along d: its start offsets in x and out
  private static void scanLines(Tensor x, int d, Tensor out, LineScan scan) {
    int size = x.shapeRef()[d];
    int xs = x.strideRef()[d], ys = out.strideRef()[d];
    int[] lineShape = x.shape();
    lineShape[d] = 1;
    StridedLoop.forEachRow(
        lineShape,
        new int[][] {x.strideRef(), out.strideRef()},
        new int[] {x.storageOffset(), out.storageOffset()},
        (o, inner, len) -> {
          for (int i = 0; i < len; i++)
            scan.scan(
                Tensors.storage(x),
                o[0] + i * inner[0],
                xs,
                Tensors.storage(out),
                o[1] + i * inner[1],
                ys,
                size);
        });
  }
}
