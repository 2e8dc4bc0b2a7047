package dev.autograd.core.ops;

import dev.autograd.core.DType;
import dev.autograd.core.Tensor;
import dev.autograd.core.internal.Tensors;
import dev.autograd.core.kernels.KernelProvider;
import dev.autograd.core.tensor.Storage;
import java.util.Arrays;

/**
 * Optimizer updates as one in-place pass over a parameter and its state (PyTorch's fused Adam):
 * each element is read and written once instead of once per op, with no temporaries. The same
 * roundings as the update written op by op; any layout the kernel does not take (views, mixed
 * dtypes, shared storage) runs op by op.
 */
public final class FusedOptim {
  private FusedOptim() {}

  /**
   * One Adam step of {@code p} in place (moments {@code m}, {@code v}, and {@code vMax} for amsgrad
   * or null): PyTorch 1.13's formulas with coupled weight decay {@code wd}, at step number {@code
   * step} (1 for the first).
   */
  public static Tensor adam(
      Tensor p,
      Tensor grad,
      Tensor m,
      Tensor v,
      Tensor vMax,
      double lr,
      double b1,
      double b2,
      double eps,
      double wd,
      int step) {
    if (dev.autograd.core.compile.Tracer
        .active) { // a Java step count would be baked into a trace: the recordings differ, so it
      // stays eager
      dev.autograd.core.compile.Tracer.unsupported(
          "adam_ with a step count kept as a Java number (keep it in a tensor)");
    }
    return update(p, grad, m, v, vMax, lr, b1, b2, eps, wd, step);
  }

  /**
   * {@link #adam} with the step number read from {@code step} (a one-element tensor the caller
   * increments), as PyTorch keeps it: inside a compiled training step the update is a traced write
   * that reads the count afresh on every replay.
   */
  public static Tensor adam(
      Tensor p,
      Tensor grad,
      Tensor m,
      Tensor v,
      Tensor vMax,
      double lr,
      double b1,
      double b2,
      double eps,
      double wd,
      Tensor step) {
    InPlace.checkAllowed(p, "adam_");
    if (dev.autograd.core.compile.Tracer.active) {
      Tensor[] in =
          vMax == null
              ? new Tensor[] {p, grad, m, v, step}
              : new Tensor[] {p, grad, m, v, step, vMax};
      if (dev.autograd.core.compile.Tracer.effect(new AdamStep(lr, b1, b2, eps, wd), in)) return p;
    }
    return update(p, grad, m, v, vMax, lr, b1, b2, eps, wd, stepOf(step));
  }

  private static int stepOf(Tensor step) {
    return (int) Tensors.storage(step).get(step.storageOffset());
  }

  /** One traced Adam update: in = p, grad, m, v, step (, vMax). */
  private record AdamStep(double lr, double b1, double b2, double eps, double wd)
      implements dev.autograd.core.compile.Effect {
    @Override
    public void run(Tensor[] in, Tensor scratch) {
      update(
          in[0],
          in[1],
          in[2],
          in[3],
          in.length > 5 ? in[5] : null,
          lr,
          b1,
          b2,
          eps,
          wd,
          stepOf(in[4]));
    }

    @Override
    public String name() {
      return "adam_";
    }
  }

  private static Tensor update(
      Tensor p,
      Tensor grad,
      Tensor m,
      Tensor v,
      Tensor vMax,
      double lr,
      double b1,
      double b2,
      double eps,
      double wd,
      int step) {
    InPlace.checkAllowed(p, "adam_");
    double bc1 = 1 - Math.pow(b1, step), bc2Sqrt = Math.sqrt(1 - Math.pow(b2, step));
    if (!fusable(p, grad, m, v, vMax))
      return composite(p, grad, m, v, vMax, lr, b1, b2, eps, wd, bc1, bc2Sqrt);
    double[] c = {wd, b1, 1 - b1, b2, 1 - b2, bc2Sqrt, eps, -lr / bc1};
    int n = p.numel();
    int maxOff = vMax == null ? 0 : vMax.storageOffset();
    if (p.dtype() == DType.FLOAT32) {
      KernelProvider.get()
          .adam(
              Tensors.storage(p).floats(),
              p.storageOffset(),
              Tensors.storage(grad).floats(),
              grad.storageOffset(),
              Tensors.storage(m).floats(),
              m.storageOffset(),
              Tensors.storage(v).floats(),
              v.storageOffset(),
              vMax == null ? null : Tensors.storage(vMax).floats(),
              maxOff,
              n,
              c);
    } else {
      KernelProvider.get()
          .adam(
              Tensors.storage(p).doubles(),
              p.storageOffset(),
              Tensors.storage(grad).doubles(),
              grad.storageOffset(),
              Tensors.storage(m).doubles(),
              m.storageOffset(),
              Tensors.storage(v).doubles(),
              v.storageOffset(),
              vMax == null ? null : Tensors.storage(vMax).doubles(),
              maxOff,
              n,
              c);
    }
    Tensors.storage(p).bumpVersion();
    Tensors.storage(m).bumpVersion();
    Tensors.storage(v).bumpVersion();
    if (vMax != null) Tensors.storage(vMax).bumpVersion();
    return p;
  }

  // one dtype, one shape, all contiguous, no history to record, and every written tensor in a
  // storage of its own. Straight-line checks, no loops over the operands: C2 built loop predicates
  // from the first shapes it profiled and deoptimized this (and the update it was inlined into)
  // with reason profile_predicate when a data-parallel task's 1-D slices of the parameters came.
  private static boolean fusable(Tensor p, Tensor g, Tensor m, Tensor v, Tensor vMax) {
    DType dt = p.dtype();
    if (dt != DType.FLOAT32 && dt != DType.FLOAT64) return false;
    if (dev.autograd.core.GradMode.isEnabled()
        && (p.requiresGrad() || g.requiresGrad() || m.requiresGrad() || v.requiresGrad()))
      return false;
    int[] shape = p.shapeRef();
    if (!p.isContiguous()
        || !sameLayout(g, dt, shape)
        || !sameLayout(m, dt, shape)
        || !sameLayout(v, dt, shape)
        || vMax != null && !sameLayout(vMax, dt, shape)) return false;
    Storage sp = Tensors.storage(p), sg = Tensors.storage(g);
    Storage sm = Tensors.storage(m), sv = Tensors.storage(v);
    if (sp == sg || sp == sm || sp == sv || sg == sm || sg == sv || sm == sv) return false;
    if (vMax == null) return true;
    Storage sx = Tensors.storage(vMax);
    return sx != sp && sx != sg && sx != sm && sx != sv;
  }

  private static boolean sameLayout(Tensor t, DType dt, int[] shape) {
    return t.dtype() == dt && t.isContiguous() && Arrays.equals(t.shapeRef(), shape);
  }

  private static Tensor composite(
      Tensor p,
      Tensor grad,
      Tensor m,
      Tensor v,
      Tensor vMax,
      double lr,
      double b1,
      double b2,
      double eps,
      double wd,
      double bc1,
      double bc2Sqrt) {
    Tensor gr = wd != 0 ? grad.add(p, wd) : grad;
    m.mul_(b1).add_(gr, 1 - b1);
    v.mul_(b2).add_(gr.mul(gr), 1 - b2);
    Tensor vHat = v;
    if (vMax != null) {
      vMax.copy_(vMax.maximum(v));
      vHat = vMax;
    }
    Tensor denom = vHat.sqrt().div_(bc2Sqrt).add_(eps);
    return p.add_(m.div(denom), -lr / bc1);
  }
}
