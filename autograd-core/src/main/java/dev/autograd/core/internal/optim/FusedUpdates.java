package dev.autograd.core.internal.optim;

import dev.autograd.core.Tensor;
import dev.autograd.core.ops.FusedOptim;

/**
 * Fused optimizer steps for {@code autograd-nn}'s optimizers: one in-place pass over a parameter
 * and its state. Exported to the {@code dev.autograd.nn} module only: these updates trust their
 * caller to pass a parameter and its own moments, as an optimizer does.
 */
public final class FusedUpdates {
  private FusedUpdates() {}

  /**
   * One Adam step of {@code param} in place, PyTorch 1.13's formulas in one pass over the
   * parameter, its gradient and its moments ({@code expAvg}, {@code expAvgSq}, and {@code
   * maxExpAvgSq} for amsgrad, else null), all updated in place; {@code weightDecay} is the coupled
   * decay of Adam and {@code step} counts from 1. Runs under no-grad, like an optimizer.
   */
  public static Tensor adam_(
      Tensor param,
      Tensor grad,
      Tensor expAvg,
      Tensor expAvgSq,
      Tensor maxExpAvgSq,
      double lr,
      double beta1,
      double beta2,
      double eps,
      double weightDecay,
      int step) {
    return FusedOptim.adam(
        param, grad, expAvg, expAvgSq, maxExpAvgSq, lr, beta1, beta2, eps, weightDecay, step);
  }

  /**
   * {@link #adam_(Tensor, Tensor, Tensor, Tensor, Tensor, double, double, double, double, double,
   * int)} with the step number held in the one-element tensor {@code step} (already incremented),
   * as PyTorch keeps it: a compiled training step then replays the update reading the count afresh.
   */
  public static Tensor adam_(
      Tensor param,
      Tensor grad,
      Tensor expAvg,
      Tensor expAvgSq,
      Tensor maxExpAvgSq,
      double lr,
      double beta1,
      double beta2,
      double eps,
      double weightDecay,
      Tensor step) {
    return FusedOptim.adam(
        param, grad, expAvg, expAvgSq, maxExpAvgSq, lr, beta1, beta2, eps, weightDecay, step);
  }
}
