package dev.autograd.nn.optim;

import dev.autograd.core.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Adagrad (PyTorch's): g += wd·p; clr = lr / (1 + (t-1)·lr_decay); sum += g²; p -= clr·g/(sqrt(sum)
 * + eps), with sum starting at initial_accumulator_value; eps 1e-10.
 */
public class Adagrad extends Optimizer {
  /**
   * Adagrad with learning rate {@code lr} and PyTorch's other defaults ({@code
   * torch.optim.Adagrad(params, lr)}); throws IllegalArgumentException for an invalid lr.
   */
  public Adagrad(List<Tensor> params, double lr) {
    this(params, lr, 0, 0, 0, 1e-10);
  }

  /**
   * Adagrad with every option given ({@code torch.optim.Adagrad}); each is checked and a bad one is
   * refused naming it.
   */
  public Adagrad(
      List<Tensor> params,
      double lr,
      double lrDecay,
      double weightDecay,
      double initialAccumulatorValue,
      double eps) {
    super(
        params,
        options(
            "lr",
            lr,
            "lr_decay",
            lrDecay,
            "weight_decay",
            weightDecay,
            "initial_accumulator_value",
            initialAccumulatorValue,
            "eps",
            eps));
    OptionChecks.nonNegative("Adagrad", "lr", lr);
    OptionChecks.nonNegative("Adagrad", "lrDecay", lrDecay);
    OptionChecks.nonNegative("Adagrad", "weightDecay", weightDecay);
    OptionChecks.nonNegative("Adagrad", "initialAccumulatorValue", initialAccumulatorValue);
    OptionChecks.nonNegative("Adagrad", "eps", eps);
  }

  /**
   * Adagrad with its options by name: {@code
   * Adagrad.with(model.parameters()).lr(0.1).lrDecay(1e-4).build()}. PyTorch's defaults: lr 1e-2,
   * lr decay 0, weight decay 0, initial accumulator 0, eps 1e-10.
   */
  public static Builder with(List<Tensor> params) {
    return new Builder(OptionChecks.params("Adagrad", params));
  }

  /** The named options of {@link Adagrad}; {@link #build()} checks them. */
  public static final class Builder {
    private final List<Tensor> params;
    private double lr = 1e-2, lrDecay, weightDecay, initialAccumulatorValue, eps = 1e-10;

    private Builder(List<Tensor> params) {
      this.params = params;
    }

    /** The learning rate ({@code lr}, default 0.01). */
    public Builder lr(double lr) {
      this.lr = lr;
      return this;
    }

    /** The learning-rate decay per step ({@code lr_decay}, default 0). */
    public Builder lrDecay(double lrDecay) {
      this.lrDecay = lrDecay;
      return this;
    }

    /** The L2 penalty added to the gradient ({@code weight_decay}, default 0). */
    public Builder weightDecay(double weightDecay) {
      this.weightDecay = weightDecay;
      return this;
    }

    /**
     * The starting value of the squared-gradient sums ({@code initial_accumulator_value}, default
     * 0).
     */
    public Builder initialAccumulatorValue(double initialAccumulatorValue) {
      this.initialAccumulatorValue = initialAccumulatorValue;
      return this;
    }

    /** The term added to the denominator for stability ({@code eps}, default 1e-10). */
    public Builder eps(double eps) {
      this.eps = eps;
      return this;
    }

    /**
     * The optimizer with the options set so far; throws IllegalArgumentException naming the first
     * invalid one.
     */
    public Adagrad build() {
      return new Adagrad(params, lr, lrDecay, weightDecay, initialAccumulatorValue, eps);
    }
  }

  @Override
  protected void update(Tensor p, Tensor grad, ParamGroup g, Map<String, Object> st) {
    int step = nextStep(st);
    double wd = g.getDouble("weight_decay");
    Tensor gr = wd != 0 ? grad.add(p, wd) : grad;
    double clr = g.lr() / (1 + (step - 1) * g.getDouble("lr_decay"));
    Tensor sum =
        buffer(st, "sum", () -> Tensor.fullLike(p, g.getDouble("initial_accumulator_value")));
    sum.add_(gr.mul(gr));
    p.add_(gr.div(sum.sqrt().add(g.getDouble("eps"))), -clr);
  }
}
