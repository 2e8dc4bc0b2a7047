package dev.autograd.nn.optim;

import dev.autograd.core.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with PyTorch's momentum: d = g + wd·p; buf = d (first step) or
 * momentum·buf + (1 - dampening)·d; d = d + momentum·buf (nesterov) or buf; p -= lr·d.
 */
public class SGD extends Optimizer {
  /**
   * Plain SGD with learning rate {@code lr} ({@code torch.optim.SGD(params, lr)}); throws
   * IllegalArgumentException for an invalid lr.
   */
  public SGD(List<Tensor> params, double lr) {
    this(params, lr, 0, 0, 0, false);
  }

  /**
   * SGD with every option given ({@code torch.optim.SGD}); each is checked and a bad one is refused
   * naming it.
   */
  public SGD(
      List<Tensor> params,
      double lr,
      double momentum,
      double dampening,
      double weightDecay,
      boolean nesterov) {
    super(
        params,
        options(
            "lr",
            lr,
            "momentum",
            momentum,
            "dampening",
            dampening,
            "weight_decay",
            weightDecay,
            "nesterov",
            nesterov));
    OptionChecks.nonNegative("SGD", "lr", lr);
    OptionChecks.nonNegative("SGD", "momentum", momentum);
    OptionChecks.nonNegative("SGD", "weightDecay", weightDecay);
    if (!Double.isFinite(dampening))
      throw new IllegalArgumentException("SGD: dampening must be finite, got " + dampening);
    if (nesterov && (momentum <= 0 || dampening != 0)) {
      throw new IllegalArgumentException(
          "SGD: nesterov requires momentum > 0 and dampening 0, got momentum "
              + momentum
              + ", dampening "
              + dampening);
    }
  }

  /**
   * SGD with its options by name, PyTorch's keywords in Java: {@code
   * SGD.with(model.parameters()).lr(0.01).momentum(0.9).build()}. {@code lr} is required (as in
   * PyTorch 1.13); the others default to 0 and false.
   */
  public static Builder with(List<Tensor> params) {
    return new Builder(OptionChecks.params("SGD", params));
  }

  /** The named options of {@link SGD}; {@link #build()} checks them. */
  public static final class Builder {
    private final List<Tensor> params;
    private Double lr;
    private double momentum, dampening, weightDecay;
    private boolean nesterov;

    private Builder(List<Tensor> params) {
      this.params = params;
    }

    /** The learning rate ({@code lr}; required, as in PyTorch 1.13). */
    public Builder lr(double lr) {
      this.lr = lr;
      return this;
    }

    /** The momentum factor ({@code momentum}, default 0). */
    public Builder momentum(double momentum) {
      this.momentum = momentum;
      return this;
    }

    /** The dampening of momentum ({@code dampening}, default 0). */
    public Builder dampening(double dampening) {
      this.dampening = dampening;
      return this;
    }

    /** The L2 penalty added to the gradient ({@code weight_decay}, default 0). */
    public Builder weightDecay(double weightDecay) {
      this.weightDecay = weightDecay;
      return this;
    }

    /**
     * Whether to use Nesterov momentum ({@code nesterov}, default false; needs momentum and no
     * dampening).
     */
    public Builder nesterov(boolean nesterov) {
      this.nesterov = nesterov;
      return this;
    }

    /**
     * The optimizer with the options set so far; throws IllegalArgumentException naming the first
     * invalid one (lr is required).
     */
    public SGD build() {
      if (lr == null)
        throw new IllegalArgumentException(
            "SGD: lr is required (it has no default): SGD.with(params).lr(0.01).build()");
      return new SGD(params, lr, momentum, dampening, weightDecay, nesterov);
    }
  }

  @Override
  protected void update(Tensor p, Tensor grad, ParamGroup g, Map<String, Object> st) {
    double wd = g.getDouble("weight_decay"),
        momentum = g.getDouble("momentum"),
        dampening = g.getDouble("dampening");
    Tensor d = wd != 0 ? grad.add(p, wd) : grad;
    if (momentum != 0) {
      Tensor buf = (Tensor) st.get("momentum_buffer");
      if (buf == null) {
        buf = d.clone();
        st.put("momentum_buffer", buf);
      } else {
        buf.mul_(momentum).add_(d, 1 - dampening);
      }
      d = g.getBoolean("nesterov") ? d.add(buf, momentum) : buf;
    }
    p.add_(d, -g.lr());
  }
}
