package dev.autograd.nn;

import dev.autograd.core.Reduction;
import dev.autograd.core.Tensor;

/** Absolute error |x - y|, reduced. */
public class L1Loss extends Loss {
  /** Mean absolute error ({@code nn.L1Loss()}). */
  public L1Loss() {
    this(Reduction.MEAN);
  }

  /** Absolute error with the given reduction. */
  public L1Loss(Reduction reduction) {
    super(reduction);
  }

  @Override
  public Tensor forward(Tensor input, Tensor target) {
    return Functional.l1Loss(input, target, reduction);
  }
}
