package dev.autograd.nn;

import dev.autograd.core.Reduction;
import dev.autograd.core.Tensor;

/**
 * Cross entropy of logits [N, C] against INT64 class indices [N], with optional class weights (a
 * buffer), ignoreIndex (default -100) and labelSmoothing, reduced as in PyTorch.
 */
public class CrossEntropyLoss extends Loss {
  private final long ignoreIndex;
  private final double labelSmoothing;

  /**
   * Cross-entropy of logits against class indices or probabilities, averaged ({@code
   * nn.CrossEntropyLoss()}).
   */
  public CrossEntropyLoss() {
    this(null, Reduction.MEAN, Functional.IGNORE_INDEX, 0);
  }

  /**
   * Cross-entropy with class weights (null for none), a reduction, a target index to ignore and
   * label smoothing in [0, 1].
   */
  public CrossEntropyLoss(
      Tensor weight, Reduction reduction, long ignoreIndex, double labelSmoothing) {
    super(reduction);
    if (weight != null) registerBuffer("weight", weight);
    this.ignoreIndex = ignoreIndex;
    this.labelSmoothing = labelSmoothing;
  }

  @Override
  public Tensor forward(Tensor input, Tensor target) {
    return Functional.crossEntropy(
        input, target, namedBuffers().get("weight"), reduction, ignoreIndex, labelSmoothing);
  }
}
