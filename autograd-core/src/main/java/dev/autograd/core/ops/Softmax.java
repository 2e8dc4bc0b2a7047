package dev.autograd.core.ops;

import dev.autograd.core.Tensor;
import dev.autograd.core.tensor.Shapes;

/** softmax and logSoftmax along one dim: max-subtracted forwards, derivatives from the output. */
public final class Softmax {
  private Softmax() {}

  // ===============================================================================================
  // Entries: softmax and log_softmax along one (normalized) dim; derivatives from the output
  // ===============================================================================================

  // d softmax = y * (g - sum(g * y))
  public static final OpDef<Integer> SOFTMAX =
      OpDef.<Integer>op("SoftmaxBackward0")
          .compute(
              (in, d) -> {
                Tensor e = in[0].sub(rowMax(in[0], d)).exp();
                return e.div(e.sum(d, true)).contiguous();
              })
          .saves((in, y, d) -> new Tensor[] {y})
          .derivative(
              (g, n, d) -> {
                Tensor y = n.saved(0);
                return new Tensor[] {y.mul(g.sub(g.mul(y).sum(d, true)))};
              })
          .tangent(
              (t, in, y, d) -> y.mul(t[0].sub(t[0].mul(y).sum(d, true)))) // the same, self-adjoint
          .build();

  // d log_softmax = g - softmax * sum(g)
  public static final OpDef<Integer> LOG_SOFTMAX =
      OpDef.<Integer>op("LogSoftmaxBackward0")
          .compute(
              (in, d) -> {
                Tensor shifted = in[0].sub(rowMax(in[0], d));
                return shifted.sub(shifted.exp().sum(d, true).log()).contiguous();
              })
          .saves((in, y, d) -> new Tensor[] {y})
          .derivative((g, n, d) -> new Tensor[] {g.sub(n.saved(0).exp().mul(g.sum(d, true)))})
          .tangent((t, in, y, d) -> t[0].sub(t[0].mul(y.exp()).sum(d, true))) // t - sum(t softmax)
          .build();

  /** exp(x - max) / sum(exp(x - max)) along {@code dim}. */
  public static Tensor softmax(Tensor x, int dim) {
    Creation.requireFloating(x.dtype(), "softmax");
    return SOFTMAX.call(x.dim() == 0 ? 0 : Shapes.normalizeDim(dim, x.dim()), x);
  }

  /** x - max - log(sum(exp(x - max))) along {@code dim}. */
  public static Tensor logSoftmax(Tensor x, int dim) {
    Creation.requireFloating(x.dtype(), "log_softmax");
    return LOG_SOFTMAX.call(x.dim() == 0 ? 0 : Shapes.normalizeDim(dim, x.dim()), x);
  }

  // NOTE: the row max keeps exp <= 1. A row holding +inf, or only -inf, becomes NaN (inf - inf),
  // exactly as in PyTorch, which subtracts the max unguarded too.
  private static Tensor rowMax(Tensor x, int d) {
    if (x.dim() == 0 || x.numel() == 0) return Tensor.zeros(x.dtype());
    return x.amax(new int[] {d}, true);
  }
}
