package dev.autograd.nn;

import dev.autograd.core.Reduction;
import dev.autograd.core.Tensor;

/** Sigmoid + binary cross entropy in one stable formula; optional weight and posWeight buffers. */
public class BCEWithLogitsLoss extends Loss {
  /**
   * Binary cross-entropy on logits (a sigmoid folded in, numerically stable), averaged ({@code
   * nn.BCEWithLogitsLoss()}).
   */
  public BCEWithLogitsLoss() {
    this(null, Reduction.MEAN, null);
  }

  /**
   * Binary cross-entropy on logits with per-element weights, a reduction and a positive-class
   * weight (nulls for none).
   */
  public BCEWithLogitsLoss(Tensor weight, Reduction reduction, Tensor posWeight) {
    super(reduction);
    if (weight != null) registerBuffer("weight", weight);
    if (posWeight != null) registerBuffer("pos_weight", posWeight);
  }

  @Override
  public Tensor forward(Tensor input, Tensor target) {
    Tensor w = namedBuffers().get("weight"), pw = namedBuffers().get("pos_weight");
    return Functional.binaryCrossEntropyWithLogits(input, target, w, pw, reduction);
  }
}
