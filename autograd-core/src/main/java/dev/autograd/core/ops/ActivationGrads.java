package dev.autograd.core.ops;

import dev.autograd.core.DType;
import dev.autograd.core.GradMode;
import dev.autograd.core.Tensor;
import dev.autograd.core.engine.Graph;
import java.util.Arrays;

/**
 * The derivatives of tanh and sigmoid from their outputs as single ops (PyTorch's {@code
 * tanh_backward} and {@code sigmoid_backward}): one pass and one node instead of three, with the
 * same roundings as the op-by-op formula. Each has its own derivative in g and in y, so
 * higher-order gradients keep working.
 */
final class ActivationGrads {
  private ActivationGrads() {}

  /** g·(1 − y²). */
  static Tensor tanh(Tensor g, Tensor y) {
    Tensor out = fused(g, y) ? forward(g, y, true) : composite(g, y, true);
    // d/dg = 1 − y²; d/dy = −2·g·y
    return Graph.record("TanhBackwardBackward0", out, new Tensor[] {g, y}, new Tensor[] {g, y}, (gg, n) -> new Tensor[] {
      n.needsGrad(0) ? tanh(gg, n.saved(1)) : null,
      n.needsGrad(1) ? gg.mul(n.saved(0)).mul(n.saved(1)).mul(-2) : null});
  }

  /** g·y·(1 − y). */
  static Tensor sigmoid(Tensor g, Tensor y) {
    Tensor out = fused(g, y) ? forward(g, y, false) : composite(g, y, false);
    // d/dg = y·(1 − y); d/dy = g·(1 − 2y)
    return Graph.record("SigmoidBackwardBackward0", out, new Tensor[] {g, y}, new Tensor[] {g, y}, (gg, n) -> new Tensor[] {
      n.needsGrad(0) ? sigmoid(gg, n.saved(1)) : null,
      n.needsGrad(1) ? gg.mul(n.saved(0)).mul(n.saved(1).mul(-2).add(1)) : null});
  }

  private static boolean fused(Tensor g, Tensor y) {
    DType dt = g.dtype();
    return (dt == DType.FLOAT32 || dt == DType.FLOAT64) && y.dtype() == dt && g.isContiguous() && y.isContiguous()
        && Arrays.equals(g.shapeRef(), y.shapeRef());
  }

  private static Tensor composite(Tensor g, Tensor y, boolean tanh) {
    try (GradMode.Scope s = GradMode.scope(false)) {
      return tanh ? g.mul(y.square().rsub(1)) : g.mul(y.mul(y.rsub(1)));
    }
  }

  // the same float (double) operations, in the same order, as the composite
  private static Tensor forward(Tensor g, Tensor y, boolean tanh) {
    Tensor out = Creation.uninitialized(g.dtype(), g.shapeRef());
    int n = out.numel(), go = g.storageOffset(), yo = y.storageOffset();
    if (g.dtype() == DType.FLOAT32) {
      float[] a = g.storage().floats(), b = y.storage().floats(), o = out.storage().floats();
      if (tanh) for (int i = 0; i < n; i++) o[i] = a[go + i] * (1f - b[yo + i] * b[yo + i]);
      else for (int i = 0; i < n; i++) o[i] = a[go + i] * (b[yo + i] * (1f - b[yo + i]));
    } else {
      double[] a = g.storage().doubles(), b = y.storage().doubles(), o = out.storage().doubles();
      if (tanh) for (int i = 0; i < n; i++) o[i] = a[go + i] * (1 - b[yo + i] * b[yo + i]);
      else for (int i = 0; i < n; i++) o[i] = a[go + i] * (b[yo + i] * (1 - b[yo + i]));
    }
    return out;
  }
}
