package dev.autograd.nn.optim;

import dev.autograd.core.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Adagrad (PyTorch's): g += wd·p; clr = lr / (1 + (t-1)·lr_decay); sum += g²;
 * p -= clr·g/(sqrt(sum) + eps), with sum starting at initial_accumulator_value; eps 1e-10.
 */
public class Adagrad extends Optimizer {
  public Adagrad(List<Tensor> params, double lr) {
    this(params, lr, 0, 0, 0, 1e-10);
  }

  public Adagrad(List<Tensor> params, double lr, double lrDecay, double weightDecay, double initialAccumulatorValue, double eps) {
    super(params, options("lr", lr, "lr_decay", lrDecay, "weight_decay", weightDecay, "initial_accumulator_value", initialAccumulatorValue, "eps", eps));
  }

  @Override
  protected void update(Tensor p, Tensor grad, ParamGroup g, Map<String, Object> st) {
    int step = nextStep(st);
    double wd = g.getDouble("weight_decay");
    Tensor gr = wd != 0 ? grad.add(p, wd) : grad;
    double clr = g.lr() / (1 + (step - 1) * g.getDouble("lr_decay"));
    Tensor sum = buffer(st, "sum", () -> Tensor.fullLike(p, g.getDouble("initial_accumulator_value")));
    sum.add_(gr.mul(gr));
    p.add_(gr.div(sum.sqrt().add(g.getDouble("eps"))), -clr);
  }
}
