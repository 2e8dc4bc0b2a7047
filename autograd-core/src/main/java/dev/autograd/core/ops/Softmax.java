package dev.autograd.core.ops;

import dev.autograd.core.GradMode;
import dev.autograd.core.Tensor;
import dev.autograd.core.engine.Graph;
import dev.autograd.core.tensor.Shapes;

/** softmax and logSoftmax along one dim: max-subtracted forwards, derivatives from the output. */
public final class Softmax {
  private Softmax() {}

  /** exp(x - max) / sum(exp(x - max)) along {@code dim}; gradient y * (g - sum(g * y)). */
  public static Tensor softmax(Tensor x, int dim) {
    Creation.requireFloating(x.dtype(), "softmax");
    int d = x.dim() == 0 ? 0 : Shapes.normalizeDim(dim, x.dim());
    Tensor y;
    try (GradMode.Scope s = GradMode.scope(false)) {
      Tensor e = x.sub(rowMax(x, d)).exp();
      y = e.div(e.sum(d, true)).contiguous();
    }
    // d softmax = y * (g - sum(g * y))
    return Graph.record("SoftmaxBackward0", y, new Tensor[] {x}, new Tensor[] {y}, (g, n) -> {
      Tensor ys = n.saved(0);
      return new Tensor[] {ys.mul(g.sub(g.mul(ys).sum(d, true)))};
    });
  }

  /** x - max - log(sum(exp(x - max))) along {@code dim}; gradient g - exp(y) * sum(g). */
  public static Tensor logSoftmax(Tensor x, int dim) {
    Creation.requireFloating(x.dtype(), "log_softmax");
    int d = x.dim() == 0 ? 0 : Shapes.normalizeDim(dim, x.dim());
    Tensor y;
    try (GradMode.Scope s = GradMode.scope(false)) {
      Tensor shifted = x.sub(rowMax(x, d));
      y = shifted.sub(shifted.exp().sum(d, true).log()).contiguous();
    }
    // d log_softmax = g - softmax * sum(g)
    return Graph.record("LogSoftmaxBackward0", y, new Tensor[] {x}, new Tensor[] {y},
        (g, n) -> new Tensor[] {g.sub(n.saved(0).exp().mul(g.sum(d, true)))});
  }

  // NOTE: the row max (0 where it is infinite, so that -inf rows do not become NaN) keeps exp <= 1
  private static Tensor rowMax(Tensor x, int d) {
    if (x.dim() == 0 || x.numel() == 0) return Tensor.zeros(x.dtype());
    Tensor m = x.amax(new int[] {d}, true);
    return m.maskedFill(m.abs().eq(Double.POSITIVE_INFINITY), 0);
  }
}
