package dev.autograd.nn;

import dev.autograd.core.Reduction;
import dev.autograd.core.Tensor;

/**
 * Negative log-likelihood of log-probabilities [N, C] at INT64 class indices, with class weights
 * and ignoreIndex.
 */
public class NLLLoss extends Loss {
  private final long ignoreIndex;

  /**
   * Negative log-likelihood of log-probabilities against class indices, averaged ({@code
   * nn.NLLLoss()}).
   */
  public NLLLoss() {
    this(null, Reduction.MEAN, Functional.IGNORE_INDEX);
  }

  /**
   * Negative log-likelihood with class weights (null for none), a reduction and a target index to
   * ignore.
   */
  public NLLLoss(Tensor weight, Reduction reduction, long ignoreIndex) {
    super(reduction);
    if (weight != null) registerBuffer("weight", weight);
    this.ignoreIndex = ignoreIndex;
  }

  @Override
  public Tensor forward(Tensor input, Tensor target) {
    return Functional.nllLoss(input, target, namedBuffers().get("weight"), reduction, ignoreIndex);
  }
}
