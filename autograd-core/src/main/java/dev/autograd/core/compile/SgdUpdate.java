package dev.autograd.core.compile;

import dev.autograd.core.DType;
import dev.autograd.core.Tensor;
import dev.autograd.core.internal.Tensors;
import dev.autograd.core.kernels.KernelProvider;
import dev.autograd.core.kernels.Kernels;
import dev.autograd.core.ops.ElementwiseOps;
import dev.autograd.core.tensor.Shapes;
import java.util.Arrays;

/**
 * The plain SGD update of a training step, {@code w.sub_(g.mul(lr))} and then often {@code
 * g.zero_()}: three steps that a replay runs as one pass over the weight ({@code Kernels.sgdStep}:
 * each element's product subtracted and its gradient cleared at once) instead of three passes and a
 * buffer for the product. The product and the difference are rounded as the MUL and SUB kernels
 * round them, so the values are those of the three steps.
 */
final class SgdUpdate {
  private SgdUpdate() {}

  /**
   * Per step: how many steps an update starting there covers (2 or 3: the product, {@code sub_},
   * and {@code zero_} of the same gradient), else 0. {@code reads} counts the reads of each root
   * slot (the product must be read by the {@code sub_} alone).
   */
  static int[] plan(Slot[] slots, Step[] steps, int[] reads, int[] groupOf) {
    int[] covers = new int[steps.length];
    for (int k = 0; k + 1 < steps.length; k++) {
      Step mul = steps[k], sub = steps[k + 1];
      if (mul.kind() != Step.Kind.KERNEL
          || (Object) mul.def() != ElementwiseOps.MUL
          || groupOf[k] >= 0
          || (mul.dtype() != DType.FLOAT32 && mul.dtype() != DType.FLOAT64)
          || sub.kind() != Step.Kind.EFFECT
          || !"sub_".equals(sub.name()) // InPlace's direct sub_: w -= other, alpha 1
          || sub.in()[1] != mul.out()
          || reads[mul.out()] != 1
          || mul.in()[0] < 0
          || mul.in()[1] < 0
          || Shapes.numel(slots[mul.in()[1]].shape()) != 1
          || !Arrays.equals(slots[mul.in()[0]].shape(), mul.shape())
          || !Arrays.equals(sub.shape(), mul.shape())) continue;
      covers[k] = 2;
      if (k + 2 < steps.length) {
        Step zero = steps[k + 2];
        if (zero.kind() == Step.Kind.EFFECT
            && "zero_".equals(zero.name())
            && zero.in()[0] == mul.in()[0]) covers[k] = 3;
      }
    }
    return covers;
  }

  /**
   * {@code w -= g * c}, then {@code g = 0} when {@code zero}: false (nothing done) when the layout
   * is not the plain one the pass needs, and the steps then run one by one.
   */
  static boolean run(Tensor g, Tensor c, Tensor w, boolean zero) {
    DType dt = w.dtype();
    if (g.dtype() != dt
        || c.dtype() != dt
        || !g.isContiguous()
        || !w.isContiguous()
        || g.numel() != w.numel()
        || c.numel() != 1
        || Tensors.storage(g) == Tensors.storage(w)
        || Tensors.storage(c) == Tensors.storage(w)
        || (zero && Tensors.storage(c) == Tensors.storage(g))) return false;
    Kernels k = KernelProvider.get();
    int n = w.numel(), go = g.storageOffset(), wo = w.storageOffset(), co = c.storageOffset();
    if (dt == DType.FLOAT32) {
      float[] gs = Tensors.storage(g).floats(), ws = Tensors.storage(w).floats();
      k.sgdStep(ws, wo, gs, go, Tensors.storage(c).floats()[co], zero, n);
    } else {
      double[] gs = Tensors.storage(g).doubles(), ws = Tensors.storage(w).doubles();
      k.sgdStep(ws, wo, gs, go, Tensors.storage(c).doubles()[co], zero, n);
    }
    Tensors.storage(w).bumpVersion(); // as sub_ and zero_ do
    if (zero) Tensors.storage(g).bumpVersion();
    return true;
  }
}
