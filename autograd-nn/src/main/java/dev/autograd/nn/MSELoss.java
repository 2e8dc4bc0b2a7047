package dev.autograd.nn;

import dev.autograd.core.Reduction;
import dev.autograd.core.Tensor;

/** Squared error (x - y)², reduced. */
public class MSELoss extends Loss {
  /** Mean squared error ({@code nn.MSELoss()}). */
  public MSELoss() {
    this(Reduction.MEAN);
  }

  /** Squared error with the given reduction. */
  public MSELoss(Reduction reduction) {
    super(reduction);
  }

  @Override
  public Tensor forward(Tensor input, Tensor target) {
    return Functional.mseLoss(input, target, reduction);
  }
}
