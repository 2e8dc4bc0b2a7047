package dev.autograd.core.compile;

import dev.autograd.core.kernels.ActivationBackward;
import dev.autograd.core.kernels.Kernels;
import dev.autograd.core.ops.BackwardOps;
import dev.autograd.core.ops.ElementwiseOps;

/**
 * The element-wise ops a fused group runs that are neither a {@code UnaryOp} nor a {@code BinaryOp}
 * kernel: clamp, and the backward kernels of clamp, relu, tanh and sigmoid (each takes the upstream
 * gradient and a saved value, both contiguous). Each runs the same kernel, with the same bounds, as
 * its op's eager path over a block, so the values are eager's bit for bit.
 */
final class FusedKernels {
  private FusedKernels() {}

  /** Which op, with its attributes. */
  record Op(Kind kind, double lo, double hi, boolean loOpen) {
    /** The kernel family. */
    enum Kind {
      CLAMP,
      MASK_GRAD,
      TANH_BACKWARD,
      SIGMOID_BACKWARD
    }

    /** True for ops of two operands (gradient, saved value). */
    boolean binary() {
      return kind != Kind.CLAMP;
    }
  }

  /** The op of a step, or null when the step is none of these. */
  static Op of(Step s) {
    Object def = s.def(), attrs = s.attrs();
    if ((def == ElementwiseOps.CLAMP
            || def == ElementwiseOps.CLAMP_MIN
            || def == ElementwiseOps.CLAMP_MAX)
        && attrs instanceof ElementwiseOps.Range r)
      return new Op(Op.Kind.CLAMP, r.lo(), r.hi(), false);
    if ((def == BackwardOps.RELU_BACKWARD || def == BackwardOps.CLAMP_BACKWARD)
        && attrs instanceof BackwardOps.Threshold t)
      return new Op(Op.Kind.MASK_GRAD, t.lo(), t.hi(), t.loOpen());
    if (def == BackwardOps.TANH_BACKWARD) return new Op(Op.Kind.TANH_BACKWARD, 0, 0, false);
    if (def == BackwardOps.SIGMOID_BACKWARD) return new Op(Op.Kind.SIGMOID_BACKWARD, 0, 0, false);
    return null;
  }

  /** Runs {@code op} over n elements: a (and b) contiguous from their offsets into out. */
  static void run(
      Op op, Kernels k, float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int n) {
    switch (op.kind()) {
      case CLAMP -> k.clamp(a, aOff, (float) op.lo(), (float) op.hi(), out, oOff, n);
      case MASK_GRAD -> {
        // float bounds that compare with float x exactly as the double bounds do (as eager)
        float l = (float) op.lo(), h = (float) op.hi();
        if (op.loOpen() ? l > op.lo() : l < op.lo())
          l = op.loOpen() ? Math.nextDown(l) : Math.nextUp(l);
        if (h > op.hi()) h = Math.nextDown(h);
        k.maskGrad(a, aOff, b, bOff, l, h, op.loOpen(), out, oOff, n);
      }
      case TANH_BACKWARD -> ActivationBackward.run(true, a, aOff, b, bOff, out, oOff, n);
      case SIGMOID_BACKWARD -> ActivationBackward.run(false, a, aOff, b, bOff, out, oOff, n);
    }
  }

  /**
   * The FLOAT64 twin of {@link #run(Op, Kernels, float[], int, float[], int, float[], int, int)}.
   */
  static void run(
      Op op, Kernels k, double[] a, int aOff, double[] b, int bOff, double[] out, int oOff, int n) {
    switch (op.kind()) {
      case CLAMP -> {
        double lo = op.lo(), hi = op.hi();
        for (int i = 0; i < n; i++) {
          double v = a[aOff + i];
          double t = v < lo ? lo : v; // NaN passes through; hi wins when lo > hi (as eager)
          out[oOff + i] = t > hi ? hi : t;
        }
      }
      case MASK_GRAD -> k.maskGrad(a, aOff, b, bOff, op.lo(), op.hi(), op.loOpen(), out, oOff, n);
      case TANH_BACKWARD -> ActivationBackward.run(true, a, aOff, b, bOff, out, oOff, n);
      case SIGMOID_BACKWARD -> ActivationBackward.run(false, a, aOff, b, bOff, out, oOff, n);
    }
  }
}
