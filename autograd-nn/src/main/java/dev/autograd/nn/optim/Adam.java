package dev.autograd.nn.optim;

import dev.autograd.core.Tensor;
import dev.autograd.core.internal.optim.FusedUpdates;
import java.util.List;
import java.util.Map;

/**
 * Adam (PyTorch 1.13 formulas): g += wd·p; m = β1·m + (1-β1)·g; v = β2·v + (1-β2)·g²; p -=
 * lr/(1-β1^t) · m / (sqrt(v̂)/sqrt(1-β2^t) + eps), with v̂ = v or its running max (amsgrad).
 */
public class Adam extends Optimizer {
  /**
   * Adam with learning rate {@code lr} and PyTorch's other defaults ({@code
   * torch.optim.Adam(params, lr)}).
   */
  public Adam(List<Tensor> params, double lr) {
    this(params, lr, 0.9, 0.999, 1e-8, 0, false);
  }

  /**
   * Adam with every option given ({@code torch.optim.Adam}); each is checked and a bad one is
   * refused naming it.
   */
  public Adam(
      List<Tensor> params,
      double lr,
      double beta1,
      double beta2,
      double eps,
      double weightDecay,
      boolean amsgrad) {
    super(
        params,
        options(
            "lr",
            lr,
            "beta1",
            beta1,
            "beta2",
            beta2,
            "eps",
            eps,
            "weight_decay",
            weightDecay,
            "amsgrad",
            amsgrad));
    String name = getClass().getSimpleName();
    OptionChecks.nonNegative(name, "lr", lr);
    OptionChecks.inUnitInterval(name, "beta1", beta1);
    OptionChecks.inUnitInterval(name, "beta2", beta2);
    OptionChecks.nonNegative(name, "eps", eps);
    OptionChecks.nonNegative(name, "weightDecay", weightDecay);
  }

  /**
   * Adam with its options by name: {@code Adam.with(model.parameters()).lr(1e-3).betas(0.9,
   * 0.99).build()}. PyTorch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 0, no
   * amsgrad.
   */
  public static Builder<? extends Adam> with(List<Tensor> params) {
    return new Builder<>(OptionChecks.params("Adam", params), 0, Adam::new);
  }

  /** The named options of {@link Adam} and {@link AdamW}; {@link #build()} checks them. */
  public static final class Builder<O extends Adam> {
    /** The constructor the builder ends in (Adam's or AdamW's). */
    interface Factory<O> {
      O make(
          List<Tensor> params,
          double lr,
          double beta1,
          double beta2,
          double eps,
          double weightDecay,
          boolean amsgrad);
    }

    private final List<Tensor> params;
    private final Factory<O> factory;
    private double lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay;
    private boolean amsgrad;

    Builder(List<Tensor> params, double weightDecay, Factory<O> factory) {
      this.params = params;
      this.weightDecay = weightDecay;
      this.factory = factory;
    }

    /** The learning rate ({@code lr}, default 1e-3). */
    public Builder<O> lr(double lr) {
      this.lr = lr;
      return this;
    }

    /** PyTorch's {@code betas=(beta1, beta2)}. */
    public Builder<O> betas(double beta1, double beta2) {
      this.beta1 = beta1;
      this.beta2 = beta2;
      return this;
    }

    /** The term added to the denominator for stability ({@code eps}, default 1e-8). */
    public Builder<O> eps(double eps) {
      this.eps = eps;
      return this;
    }

    /** The weight decay ({@code weight_decay}: an L2 penalty for Adam, decoupled for AdamW). */
    public Builder<O> weightDecay(double weightDecay) {
      this.weightDecay = weightDecay;
      return this;
    }

    /** Whether to use the AMSGrad variant ({@code amsgrad}, default false). */
    public Builder<O> amsgrad(boolean amsgrad) {
      this.amsgrad = amsgrad;
      return this;
    }

    /**
     * The optimizer with the options set so far; throws IllegalArgumentException naming the first
     * invalid one.
     */
    public O build() {
      return factory.make(params, lr, beta1, beta2, eps, weightDecay, amsgrad);
    }
  }

  /** The decoupled decay of AdamW, applied before the moments (0 for Adam). */
  protected void decoupledDecay(Tensor p, ParamGroup g) {}

  @Override
  protected void update(Tensor p, Tensor grad, ParamGroup g, Map<String, Object> st) {
    double lr = g.lr(),
        b1 = g.getDouble("beta1"),
        b2 = g.getDouble("beta2"),
        eps = g.getDouble("eps"),
        wd = g.getDouble("weight_decay");
    Tensor step = stepCount(st);
    step.add_(1); // a tensor, as PyTorch keeps it: a compiled training step replays the count
    Tensor m = buffer(st, "exp_avg", () -> Tensor.zerosLike(p));
    Tensor v = buffer(st, "exp_avg_sq", () -> Tensor.zerosLike(p));
    decoupledDecay(p, g);
    Tensor max =
        g.getBoolean("amsgrad") ? buffer(st, "max_exp_avg_sq", () -> Tensor.zerosLike(p)) : null;
    FusedUpdates.adam_(
        p,
        grad,
        m,
        v,
        max,
        lr,
        b1,
        b2,
        eps,
        decoupled() ? 0 : wd,
        step); // one pass over p, grad, m, v
  }

  // the step count: a 0-dim float32 tensor (a count saved as a number by an older state dict
  // becomes one)
  private static Tensor stepCount(Map<String, Object> st) {
    Object s = st.get("step");
    if (s instanceof Number n) st.put("step", Tensor.scalar(n.doubleValue()));
    return buffer(st, "step", () -> Tensor.scalar(0));
  }

  /** True when weight decay is decoupled from the gradient (AdamW). */
  protected boolean decoupled() {
    return false;
  }
}
