package dev.autograd.nn;

import dev.autograd.core.Reduction;
import dev.autograd.core.Tensor;

/**
 * 0.5 d²/beta where |d| {@literal <} beta, else |d| - 0.5 beta (d = x - y), reduced; beta defaults
 * to 1.
 */
public class SmoothL1Loss extends Loss {
  private final double beta;

  /** Smooth L1 (Huber-like) loss with beta 1, averaged ({@code nn.SmoothL1Loss()}). */
  public SmoothL1Loss() {
    this(Reduction.MEAN, 1.0);
  }

  /** Smooth L1 loss with the given reduction, quadratic below {@code beta} and linear above. */
  public SmoothL1Loss(Reduction reduction, double beta) {
    super(reduction);
    this.beta = beta;
  }

  @Override
  public Tensor forward(Tensor input, Tensor target) {
    return Functional.smoothL1Loss(input, target, reduction, beta);
  }
}
