package dev.autograd.core.ops;

import dev.autograd.core.DType;
import dev.autograd.core.GradMode;
import dev.autograd.core.Tensor;
import dev.autograd.core.internal.Tensors;
import dev.autograd.core.kernels.ActivationBackward;
import dev.autograd.core.kernels.KernelProvider;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The op table's fused-backward family: derivatives that run as one op (PyTorch's {@code
 * threshold_backward}, {@code tanh_backward}, {@code sigmoid_backward}) instead of a chain of
 * element-wise ops, with the same roundings. Each has its own derivative, so higher-order gradients
 * keep working. Inputs are [g, saved value]; the saved value gets no gradient from the threshold
 * ops (their mask is piecewise constant).
 */
public final class BackwardOps {
  private BackwardOps() {}

  // ===============================================================================================
  // threshold_backward: g where the saved value lies inside the range, else 0, in one pass
  // ===============================================================================================

  /** The range in which the gradient passes; {@code loOpen} excludes lo itself (relu: 0 at 0). */
  public record Threshold(double lo, double hi, boolean loOpen) {}

  private static final Threshold RELU = new Threshold(0, Double.POSITIVE_INFINITY, true);

  // relu's derivative from its output: d/dg is the same mask
  public static final OpDef<Threshold> RELU_BACKWARD = thresholdEntry("ThresholdBackwardBackward0");
  // clamp's derivative from its input: d/dg is the same mask
  public static final OpDef<Threshold> CLAMP_BACKWARD = thresholdEntry("MaskedFillBackward0");

  private static OpDef<Threshold> thresholdEntry(String nodeName) {
    // the derivative calls the entry itself; a holder, as a generic array would be a raw type
    AtomicReference<OpDef<Threshold>> self = new AtomicReference<>();
    self.set(
        OpDef.<Threshold>op(nodeName)
            .name("threshold_backward")
            .constantInputs(1)
            .shape((in, t) -> OpDef.OutSpec.of(in[0].dtype(), in[0].shapeRef()))
            .kernel((in, t, out) -> thresholdInto(in[0], in[1], t, out))
            .saves((in, y, t) -> new Tensor[] {in[1]})
            .derivative((gg, n, t) -> new Tensor[] {self.get().call(t, gg, n.saved(0)), null})
            .linearTangent() // linear in g; the mask's input is constant
            .build());
    return self.get();
  }

  static Tensor reluBackward(Tensor g, Tensor y) {
    return RELU_BACKWARD.call(RELU, g, y);
  }

  static Tensor clampBackward(Tensor g, Tensor x, double lo, double hi) {
    return CLAMP_BACKWARD.call(new Threshold(lo, hi, false), g, x);
  }

  private static void thresholdInto(Tensor g, Tensor x, Threshold t, Tensor out) {
    if (!fusable(g, x)) {
      Tensor zero =
          t.loOpen()
              ? x.le(t.lo())
              : Select.outside(x, t.lo(), t.hi()); // an open lower bound comes from relu only
      try (GradMode.Scope s = GradMode.scope(false)) {
        Creation.copyValues(g.maskedFill(zero, 0), out);
      }
      return;
    }
    int n = out.numel();
    if (g.dtype() == DType.FLOAT32) {
      // float bounds that compare with float x exactly as the double bounds do
      float l = (float) t.lo(), h = (float) t.hi();
      if (t.loOpen() ? l > t.lo() : l < t.lo()) l = t.loOpen() ? Math.nextDown(l) : Math.nextUp(l);
      if (h > t.hi()) h = Math.nextDown(h);
      KernelProvider.get()
          .maskGrad(
              Tensors.storage(g).floats(),
              g.storageOffset(),
              Tensors.storage(x).floats(),
              x.storageOffset(),
              l,
              h,
              t.loOpen(),
              Tensors.storage(out).floats(),
              out.storageOffset(),
              n);
    } else {
      KernelProvider.get()
          .maskGrad(
              Tensors.storage(g).doubles(),
              g.storageOffset(),
              Tensors.storage(x).doubles(),
              x.storageOffset(),
              t.lo(),
              t.hi(),
              t.loOpen(),
              Tensors.storage(out).doubles(),
              out.storageOffset(),
              n);
    }
  }

  // ===============================================================================================
  // tanh_backward g·(1 − y²) and sigmoid_backward g·y·(1 − y), from the forward's output y
  // ===============================================================================================

  // d/dg = 1 − y²; d/dy = −2·g·y
  public static final OpDef<Void> TANH_BACKWARD = activationEntry("TanhBackwardBackward0", true);
  // d/dg = y·(1 − y); d/dy = g·(1 − 2y)
  public static final OpDef<Void> SIGMOID_BACKWARD =
      activationEntry("SigmoidBackwardBackward0", false);

  private static OpDef<Void> activationEntry(String nodeName, boolean tanh) {
    return OpDef.<Void>op(nodeName)
        .name(tanh ? "tanh_backward" : "sigmoid_backward")
        .shape((in, none) -> OpDef.OutSpec.of(in[0].dtype(), in[0].shapeRef()))
        .kernel((in, none, out) -> activationInto(in[0], in[1], tanh, out))
        .saves((in, y, none) -> in)
        .derivative(
            (gg, n, none) -> {
              Tensor g = n.saved(0), y = n.saved(1);
              Tensor dy = tanh ? gg.mul(g).mul(y).mul(-2) : gg.mul(g).mul(y.mul(-2).add(1));
              return new Tensor[] {
                n.needsGrad(0) ? (tanh ? tanhBackward(gg, y) : sigmoidBackward(gg, y)) : null,
                n.needsGrad(1) ? dy : null
              };
            })
        .tangent(
            (t, in, out, none) -> { // the same two partials, times the tangents of g and y
              Tensor g = in[0], y = in[1];
              Tensor tg =
                  t[0] == null ? null : tanh ? tanhBackward(t[0], y) : sigmoidBackward(t[0], y);
              Tensor ty =
                  t[1] == null
                      ? null
                      : tanh ? t[1].mul(g).mul(y).mul(-2) : t[1].mul(g).mul(y.mul(-2).add(1));
              return Binary.plus(tg, ty);
            })
        .build();
  }

  static Tensor tanhBackward(Tensor g, Tensor y) {
    return TANH_BACKWARD.call(null, g, y);
  }

  static Tensor sigmoidBackward(Tensor g, Tensor y) {
    return SIGMOID_BACKWARD.call(null, g, y);
  }

  private static void activationInto(Tensor g, Tensor y, boolean tanh, Tensor out) {
    if (!fusable(g, y)) {
      try (GradMode.Scope s = GradMode.scope(false)) {
        Creation.copyValues(tanh ? g.mul(y.square().rsub(1)) : g.mul(y.mul(y.rsub(1))), out);
      }
      return;
    }
    int n = out.numel();
    if (g.dtype() == DType.FLOAT32) {
      ActivationBackward.run(
          tanh,
          Tensors.storage(g).floats(),
          g.storageOffset(),
          Tensors.storage(y).floats(),
          y.storageOffset(),
          Tensors.storage(out).floats(),
          out.storageOffset(),
          n);
    } else {
      ActivationBackward.run(
          tanh,
          Tensors.storage(g).doubles(),
          g.storageOffset(),
          Tensors.storage(y).doubles(),
          y.storageOffset(),
          Tensors.storage(out).doubles(),
          out.storageOffset(),
          n);
    }
  }

  private static boolean fusable(Tensor g, Tensor x) {
    DType dt = g.dtype();
    return (dt == DType.FLOAT32 || dt == DType.FLOAT64)
        && x.dtype() == dt
        && g.isContiguous()
        && x.isContiguous()
        && Arrays.equals(g.shapeRef(), x.shapeRef());
  }
}
