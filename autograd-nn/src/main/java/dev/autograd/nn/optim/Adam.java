package dev.autograd.nn.optim;

import dev.autograd.core.Tensor;
import dev.autograd.core.internal.optim.FusedUpdates;
import java.util.List;
import java.util.Map;

/**
 * Adam (PyTorch 1.13 formulas): g += wd·p; m = β1·m + (1-β1)·g; v = β2·v + (1-β2)·g²;
 * p -= lr/(1-β1^t) · m / (sqrt(v̂)/sqrt(1-β2^t) + eps), with v̂ = v or its running max (amsgrad).
 */
public class Adam extends Optimizer {
  public Adam(List<Tensor> params, double lr) {
    this(params, lr, 0.9, 0.999, 1e-8, 0, false);
  }

  public Adam(List<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
    super(params, options("lr", lr, "beta1", beta1, "beta2", beta2, "eps", eps, "weight_decay", weightDecay, "amsgrad", amsgrad));
    if (lr < 0 || eps < 0 || beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1) {
      throw new IllegalArgumentException("Invalid Adam option: lr=" + lr + ", betas=(" + beta1 + ", " + beta2 + "), eps=" + eps);
    }
  }

  /** The decoupled decay of AdamW, applied before the moments (0 for Adam). */
  protected void decoupledDecay(Tensor p, ParamGroup g) {}

  @Override
  protected void update(Tensor p, Tensor grad, ParamGroup g, Map<String, Object> st) {
    double lr = g.lr(), b1 = g.getDouble("beta1"), b2 = g.getDouble("beta2"), eps = g.getDouble("eps"), wd = g.getDouble("weight_decay");
    int step = nextStep(st);
    Tensor m = buffer(st, "exp_avg", () -> Tensor.zerosLike(p));
    Tensor v = buffer(st, "exp_avg_sq", () -> Tensor.zerosLike(p));
    decoupledDecay(p, g);
    Tensor max = g.getBoolean("amsgrad") ? buffer(st, "max_exp_avg_sq", () -> Tensor.zerosLike(p)) : null;
    FusedUpdates.adam_(p, grad, m, v, max, lr, b1, b2, eps, decoupled() ? 0 : wd, step); // one pass over p, grad, m, v
  }

  /** True when weight decay is decoupled from the gradient (AdamW). */
  protected boolean decoupled() {
    return false;
  }
}
