package dev.autograd.nn.optim;

import dev.autograd.core.Tensor;
import java.util.List;
import java.util.Map;

/**
 * RMSprop (PyTorch's): g += wd·p; s = α·s + (1-α)·g²; avg = sqrt(s - ḡ²) (centered, ḡ the running
 * mean of g) or sqrt(s), plus eps; p -= lr·g/avg, or through a momentum buffer. Defaults lr 0.01,
 * alpha 0.99, eps 1e-8.
 */
public class RMSprop extends Optimizer {
  /**
   * RMSprop with learning rate {@code lr} and PyTorch's other defaults ({@code
   * torch.optim.RMSprop(params, lr)}).
   */
  public RMSprop(List<Tensor> params, double lr) {
    this(params, lr, 0.99, 1e-8, 0, 0, false);
  }

  /**
   * RMSprop with every option given ({@code torch.optim.RMSprop}); each is checked and a bad one is
   * refused naming it.
   */
  public RMSprop(
      List<Tensor> params,
      double lr,
      double alpha,
      double eps,
      double weightDecay,
      double momentum,
      boolean centered) {
    super(
        params,
        options(
            "lr",
            lr,
            "alpha",
            alpha,
            "eps",
            eps,
            "weight_decay",
            weightDecay,
            "momentum",
            momentum,
            "centered",
            centered));
    OptionChecks.nonNegative("RMSprop", "lr", lr);
    OptionChecks.nonNegative("RMSprop", "alpha", alpha);
    OptionChecks.nonNegative("RMSprop", "eps", eps);
    OptionChecks.nonNegative("RMSprop", "weightDecay", weightDecay);
    OptionChecks.nonNegative("RMSprop", "momentum", momentum);
  }

  /**
   * RMSprop with its options by name: {@code
   * RMSprop.with(model.parameters()).lr(1e-3).momentum(0.9).build()}. PyTorch's defaults: lr 1e-2,
   * alpha 0.99, eps 1e-8, weight decay 0, momentum 0, not centered.
   */
  public static Builder with(List<Tensor> params) {
    return new Builder(OptionChecks.params("RMSprop", params));
  }

  /** The named options of {@link RMSprop}; {@link #build()} checks them. */
  public static final class Builder {
    private final List<Tensor> params;
    private double lr = 1e-2, alpha = 0.99, eps = 1e-8, weightDecay, momentum;
    private boolean centered;

    private Builder(List<Tensor> params) {
      this.params = params;
    }

    /** The learning rate ({@code lr}, default 0.01). */
    public Builder lr(double lr) {
      this.lr = lr;
      return this;
    }

    /** The smoothing constant of the squared-gradient average ({@code alpha}, default 0.99). */
    public Builder alpha(double alpha) {
      this.alpha = alpha;
      return this;
    }

    /** The term added to the denominator for stability ({@code eps}, default 1e-8). */
    public Builder eps(double eps) {
      this.eps = eps;
      return this;
    }

    /** The L2 penalty added to the gradient ({@code weight_decay}, default 0). */
    public Builder weightDecay(double weightDecay) {
      this.weightDecay = weightDecay;
      return this;
    }

    /** The momentum factor ({@code momentum}, default 0). */
    public Builder momentum(double momentum) {
      this.momentum = momentum;
      return this;
    }

    /** Whether to normalise by the centred variance ({@code centered}, default false). */
    public Builder centered(boolean centered) {
      this.centered = centered;
      return this;
    }

    /**
     * The optimizer with the options set so far; throws IllegalArgumentException naming the first
     * invalid one.
     */
    public RMSprop build() {
      return new RMSprop(params, lr, alpha, eps, weightDecay, momentum, centered);
    }
  }

  @Override
  protected void update(Tensor p, Tensor grad, ParamGroup g, Map<String, Object> st) {
    double lr = g.lr(),
        alpha = g.getDouble("alpha"),
        eps = g.getDouble("eps"),
        wd = g.getDouble("weight_decay"),
        momentum = g.getDouble("momentum");
    nextStep(st);
    Tensor gr = wd != 0 ? grad.add(p, wd) : grad;
    Tensor sq = buffer(st, "square_avg", () -> Tensor.zerosLike(p));
    sq.mul_(alpha).add_(gr.mul(gr), 1 - alpha);
    Tensor avg;
    if (g.getBoolean("centered")) {
      Tensor ga = buffer(st, "grad_avg", () -> Tensor.zerosLike(p));
      ga.mul_(alpha).add_(gr, 1 - alpha);
      avg = sq.sub(ga.mul(ga)).sqrt().add(eps);
    } else {
      avg = sq.sqrt().add(eps);
    }
    if (momentum > 0) {
      Tensor buf = buffer(st, "momentum_buffer", () -> Tensor.zerosLike(p));
      buf.mul_(momentum).add_(gr.div(avg));
      p.add_(buf, -lr);
    } else {
      p.add_(gr.div(avg), -lr);
    }
  }
}
