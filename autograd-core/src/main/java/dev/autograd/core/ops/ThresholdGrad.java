package dev.autograd.core.ops;

import dev.autograd.core.DType;
import dev.autograd.core.Tensor;
import dev.autograd.core.engine.Graph;
import dev.autograd.core.kernels.KernelProvider;
import java.util.Arrays;

/**
 * The gradient through clamp and relu as one op (PyTorch's {@code threshold_backward}): {@code g}
 * where {@code x} lies inside the range, 0 outside, in a single pass instead of a mask and a
 * masked fill. It is linear in {@code g}, so its own derivative is the same mask (higher-order
 * gradients keep working); {@code x} gets no gradient (the mask is piecewise constant).
 */
final class ThresholdGrad {
  private ThresholdGrad() {}

  /** relu's derivative from its output: g where y > 0, else 0 (0 at exactly 0; NaN keeps g); no upper bound. */
  static Tensor relu(Tensor g, Tensor y) {
    return apply("ThresholdBackwardBackward0", g, y, 0, Double.POSITIVE_INFINITY, true);
  }

  /** clamp's derivative: g where lo <= x <= hi, else 0 (NaN keeps g). */
  static Tensor clamp(Tensor g, Tensor x, double lo, double hi) {
    return apply("MaskedFillBackward0", g, x, lo, hi, false);
  }

  private static Tensor apply(String name, Tensor g, Tensor x, double lo, double hi, boolean loOpen) {
    Tensor y = fused(g, x, lo, hi, loOpen) ? forward(g, x, lo, hi, loOpen) : composite(g, x, lo, hi, loOpen);
    return Graph.record(name, y, new Tensor[] {g, null}, new Tensor[] {x},
        (gg, n) -> new Tensor[] {apply(name, gg, n.saved(0), lo, hi, loOpen), null}); // d/dg: the same mask
  }

  private static boolean fused(Tensor g, Tensor x, double lo, double hi, boolean loOpen) {
    DType dt = g.dtype();
    return (dt == DType.FLOAT32 || dt == DType.FLOAT64) && x.dtype() == dt && g.isContiguous() && x.isContiguous()
        && Arrays.equals(g.shapeRef(), x.shapeRef());
  }

  private static Tensor composite(Tensor g, Tensor x, double lo, double hi, boolean loOpen) {
    Tensor zero = loOpen ? x.le(lo) : Select.outside(x, lo, hi); // an open lower bound comes from relu only (hi = +inf)
    try (dev.autograd.core.GradMode.Scope s = dev.autograd.core.GradMode.scope(false)) {
      return g.maskedFill(zero, 0);
    }
  }

  private static Tensor forward(Tensor g, Tensor x, double lo, double hi, boolean loOpen) {
    Tensor y = Creation.uninitialized(g.dtype(), g.shapeRef());
    int n = y.numel();
    if (g.dtype() == DType.FLOAT32) {
      // float bounds that compare with float x exactly as the double bounds do
      float l = (float) lo, h = (float) hi;
      if (loOpen ? l > lo : l < lo) l = loOpen ? Math.nextDown(l) : Math.nextUp(l);
      if (h > hi) h = Math.nextDown(h);
      KernelProvider.get().maskGrad(g.storage().floats(), g.storageOffset(), x.storage().floats(), x.storageOffset(), l, h, loOpen, y.storage().floats(), 0, n);
    } else {
      KernelProvider.get().maskGrad(g.storage().doubles(), g.storageOffset(), x.storage().doubles(), x.storageOffset(), lo, hi, loOpen, y.storage().doubles(), 0, n);
    }
    return y;
  }
}
