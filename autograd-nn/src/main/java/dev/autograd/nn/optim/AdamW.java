package dev.autograd.nn.optim;

import dev.autograd.core.Tensor;
import java.util.List;

/** Adam with decoupled weight decay: p *= 1 - lr·wd before the Adam step (default wd 0.01). */
public class AdamW extends Adam {
  /** AdamW with learning rate {@code lr} and PyTorch's other defaults (weight decay 0.01). */
  public AdamW(List<Tensor> params, double lr) {
    this(params, lr, 0.9, 0.999, 1e-8, 1e-2, false);
  }

  /**
   * AdamW with every option given ({@code torch.optim.AdamW}); each is checked and a bad one is
   * refused naming it.
   */
  public AdamW(
      List<Tensor> params,
      double lr,
      double beta1,
      double beta2,
      double eps,
      double weightDecay,
      boolean amsgrad) {
    super(params, lr, beta1, beta2, eps, weightDecay, amsgrad);
  }

  /**
   * AdamW with its options by name: {@code
   * AdamW.with(model.parameters()).lr(1e-3).weightDecay(0.05).build()}. PyTorch's defaults: lr
   * 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 0.01, no amsgrad.
   */
  public static Builder<AdamW> with(List<Tensor> params) {
    return new Builder<>(OptionChecks.params("AdamW", params), 1e-2, AdamW::new);
  }

  @Override
  protected void decoupledDecay(Tensor p, ParamGroup g) {
    double wd = g.getDouble("weight_decay");
    if (wd != 0) p.mul_(1 - g.lr() * wd);
  }

  @Override
  protected boolean decoupled() {
    return true;
  }
}
