package dev.autograd.nn;

import dev.autograd.core.Reduction;
import dev.autograd.core.Tensor;

/** Binary cross entropy of probabilities; optional per-element weight (a buffer, as in PyTorch). */
public class BCELoss extends Loss {
  public BCELoss() {
    this(null, Reduction.MEAN);
  }

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
