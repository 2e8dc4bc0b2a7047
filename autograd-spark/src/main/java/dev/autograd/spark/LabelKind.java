package dev.autograd.spark;

/** How a sample's label becomes the loss's target tensor. */
public enum LabelKind {
  /** One class index per sample: an INT64 target of shape [n] (CrossEntropyLoss, NLLLoss). */
  CLASS_INDEX,
  /**
   * One or more values per sample: a target of shape [n, k] in the model's dtype (MSELoss, L1Loss,
   * BCELoss, ...).
   */
  VALUES
}
