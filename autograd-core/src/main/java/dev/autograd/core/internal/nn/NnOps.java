package dev.autograd.core.internal.nn;

import dev.autograd.core.Generator;
import dev.autograd.core.Reduction;
import dev.autograd.core.Tensor;
import dev.autograd.core.ops.Convolution;
import dev.autograd.core.ops.Embedding;
import dev.autograd.core.ops.Linear;
import dev.autograd.core.ops.Losses;
import dev.autograd.core.ops.Normalization;
import dev.autograd.core.ops.Softmax;

/**
 * The differentiable neural-network primitives behind {@code dev.autograd.nn.Functional} (users'
 * {@code torch.nn.functional}): dense layers, convolution and pooling, normalization, dropout,
 * embedding and the losses, each one call into its family file. Internal: reached by autograd-nn
 * only.
 */
public final class NnOps {
  private NnOps() {}

  // --- dense, embedding, dropout (ops.Linear, ops.Embedding, ops.Normalization) ---

  /** x · weightᵀ + bias: x [*, in], weight [out, in], bias [out] or null. */
  public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
    return Linear.linear(x, weight, bias);
  }

  /** Rows of weight [V, D] at INT64 indices: [*indices.shape, D]; gradient scatter-adds rows. */
  public static Tensor embedding(Tensor weight, Tensor indices) {
    return Embedding.embedding(weight, indices);
  }

  /** Embedding whose row {@code paddingIdx} receives no gradient (PyTorch's padding_idx). */
  public static Tensor embedding(Tensor weight, Tensor indices, long paddingIdx) {
    return Embedding.embedding(weight, indices, paddingIdx);
  }

  /** Zeroes elements with probability p and scales the rest by 1/(1-p) when training. */
  public static Tensor dropout(Tensor x, double p, boolean training, Generator gen) {
    return Normalization.dropout(x, p, training, gen);
  }

  // --- softmax family (ops.Softmax; max-shifted, differentiable to any order) ---

  /** softmax along dim. */
  public static Tensor softmax(Tensor x, int dim) {
    return Softmax.softmax(x, dim);
  }

  /** log(softmax(x)) along dim, computed stably. */
  public static Tensor logSoftmax(Tensor x, int dim) {
    return Softmax.logSoftmax(x, dim);
  }

  // --- normalization (ops.Normalization) ---

  /**
   * Normalizes over the trailing normalizedShape dims, then applies weight and bias (both
   * nullable).
   */
  public static Tensor layerNorm(
      Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
    return Normalization.layerNorm(x, normalizedShape, weight, bias, eps);
  }

  /**
   * Per-channel (dim 1) normalization; in training, updates the running stats without recording.
   */
  public static Tensor batchNorm(
      Tensor x,
      Tensor runningMean,
      Tensor runningVar,
      Tensor weight,
      Tensor bias,
      boolean training,
      double momentum,
      double eps) {
    return Normalization.batchNorm(
        x, runningMean, runningVar, weight, bias, training, momentum, eps);
  }

  // --- convolution and pooling (ops.Convolution) ---

  /** 2-D cross-correlation; stride, padding, dilation are {h, w}; groups divides the channels. */
  public static Tensor conv2d(
      Tensor x,
      Tensor weight,
      Tensor bias,
      int[] stride,
      int[] padding,
      int[] dilation,
      int groups) {
    return Convolution.conv2d(x, weight, bias, stride, padding, dilation, groups);
  }

  /** Max over each window (implicit -inf padding); gradient to the argmax. */
  public static Tensor maxPool2d(
      Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation) {
    return Convolution.maxPool2d(x, kernel, stride, padding, dilation);
  }

  /** Mean over each window, counting zero padding. */
  public static Tensor avgPool2d(Tensor x, int[] kernel, int[] stride, int[] padding) {
    return Convolution.avgPool2d(x, kernel, stride, padding);
  }

  // --- losses (ops.Losses) ---

  /** (x - y)², reduced. */
  public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
    return Losses.mseLoss(input, target, reduction);
  }

  /** |x - y|, reduced. */
  public static Tensor l1Loss(Tensor input, Tensor target, Reduction reduction) {
    return Losses.l1Loss(input, target, reduction);
  }

  /** Huber-like loss: quadratic below beta, linear above. */
  public static Tensor smoothL1Loss(Tensor input, Tensor target, Reduction reduction, double beta) {
    return Losses.smoothL1Loss(input, target, reduction, beta);
  }

  /** BCE on probabilities in [0, 1]; weight (nullable) scales each element. */
  public static Tensor binaryCrossEntropy(
      Tensor input, Tensor target, Tensor weight, Reduction reduction) {
    return Losses.binaryCrossEntropy(input, target, weight, reduction);
  }

  /** Numerically stable BCE on logits; weight and posWeight are nullable. */
  public static Tensor binaryCrossEntropyWithLogits(
      Tensor input, Tensor target, Tensor weight, Tensor posWeight, Reduction reduction) {
    return Losses.binaryCrossEntropyWithLogits(input, target, weight, posWeight, reduction);
  }

  /**
   * Negative log-likelihood of INT64 class targets; weight nullable; targets equal to ignoreIndex
   * are skipped.
   */
  public static Tensor nllLoss(
      Tensor input, Tensor target, Tensor weight, Reduction reduction, long ignoreIndex) {
    return Losses.nllLoss(input, target, weight, reduction, ignoreIndex);
  }

  /**
   * Cross entropy of logits with INT64 class targets, class weights, ignoreIndex and label
   * smoothing.
   */
  public static Tensor crossEntropy(
      Tensor input,
      Tensor target,
      Tensor weight,
      Reduction reduction,
      long ignoreIndex,
      double labelSmoothing) {
    return Losses.crossEntropy(input, target, weight, reduction, ignoreIndex, labelSmoothing);
  }
}
