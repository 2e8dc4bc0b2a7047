package dev.autograd.nn;

import dev.autograd.core.Reduction;
import dev.autograd.core.Tensor;

/** Binary cross entropy of probabilities; optional per-element weight (a buffer, as in PyTorch). */
public class BCELoss extends Loss {
  /** Binary cross-entropy on probabilities, averaged ({@code nn.BCELoss()}). */
  public BCELoss() {
    this(null, Reduction.MEAN);
  }

  /** Binary cross-entropy with per-element weights (null for none) and a reduction. */
  public BCELoss(Tensor weight, Reduction reduction) {
    super(reduction);
    if (weight != null) registerBuffer("weight", weight);
  }

  @Override
  public Tensor forward(Tensor input, Tensor target) {
    Tensor w = namedBuffers().get("weight");
    return Functional.binaryCrossEntropy(input, target, w, reduction);
  }
}
