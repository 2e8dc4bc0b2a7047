package dev.autograd.nn;

import dev.autograd.core.Generator;
import dev.autograd.core.Reduction;
import dev.autograd.core.Tensor;
import dev.autograd.core.internal.nn.NnOps;

/**
 * {@code torch.nn.functional} with PyTorch's names and defaults. No math of its own: each method
 * calls one differentiable op of autograd-core ({@link NnOps} or a {@link Tensor} method).
 */
public final class Functional {
  private Functional() {}

  /** PyTorch's default ignore_index for class-index losses. */
  public static final long IGNORE_INDEX = -100;

  /** x · weightᵀ + bias (bias nullable). */
  public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
    return NnOps.linear(x, weight, bias);
  }

  /** max(x, 0). */
  public static Tensor relu(Tensor x) {
    return x.relu();
  }

  /** x where x > 0, else negativeSlope · x. */
  public static Tensor leakyRelu(Tensor x, double negativeSlope) {
    return x.leakyRelu(negativeSlope);
  }

  /** The exact (erf) GELU. */
  public static Tensor gelu(Tensor x) {
    return x.gelu();
  }

  /** x · sigmoid(x). */
  public static Tensor silu(Tensor x) {
    return x.silu();
  }

  /** 1 / (1 + e^-x). */
  public static Tensor sigmoid(Tensor x) {
    return x.sigmoid();
  }

  /** tanh(x). */
  public static Tensor tanh(Tensor x) {
    return x.tanh();
  }

  /** softmax along dim (max-shifted). */
  public static Tensor softmax(Tensor x, int dim) {
    return NnOps.softmax(x, dim);
  }

  /** log(softmax(x)) along dim, computed stably. */
  public static Tensor logSoftmax(Tensor x, int dim) {
    return NnOps.logSoftmax(x, dim);
  }

  /**
   * Zeroes elements with probability p and scales the rest by 1/(1-p) when training; gen nullable.
   */
  public static Tensor dropout(Tensor x, double p, boolean training, Generator gen) {
    return NnOps.dropout(x, p, training, gen);
  }

  /** Rows of weight [V, D] at INT64 indices (note PyTorch's argument order: indices first). */
  public static Tensor embedding(Tensor indices, Tensor weight) {
    return NnOps.embedding(weight, indices);
  }

  /** Embedding whose row {@code paddingIdx} gets no gradient. */
  public static Tensor embedding(Tensor indices, Tensor weight, long paddingIdx) {
    return NnOps.embedding(weight, indices, paddingIdx);
  }

  /** Normalizes over the trailing normalizedShape dims; weight and bias nullable. */
  public static Tensor layerNorm(
      Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
    return NnOps.layerNorm(x, normalizedShape, weight, bias, eps);
  }

  /** Per-channel normalization; in training, updates the running stats (nullable) in place. */
  public static Tensor batchNorm(
      Tensor x,
      Tensor runningMean,
      Tensor runningVar,
      Tensor weight,
      Tensor bias,
      boolean training,
      double momentum,
      double eps) {
    return NnOps.batchNorm(x, runningMean, runningVar, weight, bias, training, momentum, eps);
  }

  /** conv2d with square stride and padding, no dilation, one group. */
  public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
    return NnOps.conv2d(
        x,
        weight,
        bias,
        new int[] {stride, stride},
        new int[] {padding, padding},
        new int[] {1, 1},
        1);
  }

  /** conv2d with {h, w} stride, padding, dilation and channel groups. */
  public static Tensor conv2d(
      Tensor x,
      Tensor weight,
      Tensor bias,
      int[] stride,
      int[] padding,
      int[] dilation,
      int groups) {
    return NnOps.conv2d(x, weight, bias, stride, padding, dilation, groups);
  }

  /** max_pool2d with a square kernel; stride defaults to the kernel size in PyTorch. */
  public static Tensor maxPool2d(Tensor x, int kernel, int stride, int padding) {
    return NnOps.maxPool2d(
        x,
        new int[] {kernel, kernel},
        new int[] {stride, stride},
        new int[] {padding, padding},
        new int[] {1, 1});
  }

  /** avg_pool2d with a square kernel, zero padding counted. */
  public static Tensor avgPool2d(Tensor x, int kernel, int stride, int padding) {
    return NnOps.avgPool2d(
        x, new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {padding, padding});
  }

  /** Mean squared error. */
  public static Tensor mseLoss(Tensor input, Tensor target) {
    return NnOps.mseLoss(input, target, Reduction.MEAN);
  }

  /** Squared error with a reduction. */
  public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
    return NnOps.mseLoss(input, target, reduction);
  }

  /** Absolute error with a reduction. */
  public static Tensor l1Loss(Tensor input, Tensor target, Reduction reduction) {
    return NnOps.l1Loss(input, target, reduction);
  }

  /** Quadratic below beta, linear above. */
  public static Tensor smoothL1Loss(Tensor input, Tensor target, Reduction reduction, double beta) {
    return NnOps.smoothL1Loss(input, target, reduction, beta);
  }

  /** BCE of probabilities; weight nullable. */
  public static Tensor binaryCrossEntropy(
      Tensor input, Tensor target, Tensor weight, Reduction reduction) {
    return NnOps.binaryCrossEntropy(input, target, weight, reduction);
  }

  /** Stable BCE of logits; weight and posWeight nullable. */
  public static Tensor binaryCrossEntropyWithLogits(
      Tensor input, Tensor target, Tensor weight, Tensor posWeight, Reduction reduction) {
    return NnOps.binaryCrossEntropyWithLogits(input, target, weight, posWeight, reduction);
  }

  /** Cross entropy with PyTorch's defaults: mean, no weights, ignore_index -100, no smoothing. */
  public static Tensor crossEntropy(Tensor input, Tensor target) {
    return NnOps.crossEntropy(input, target, null, Reduction.MEAN, IGNORE_INDEX, 0);
  }

  /** Cross entropy with class weights (nullable), ignoreIndex and label smoothing. */
  public static Tensor crossEntropy(
      Tensor input,
      Tensor target,
      Tensor weight,
      Reduction reduction,
      long ignoreIndex,
      double labelSmoothing) {
    return NnOps.crossEntropy(input, target, weight, reduction, ignoreIndex, labelSmoothing);
  }

  /** NLL of log-probabilities with PyTorch's defaults. */
  public static Tensor nllLoss(Tensor input, Tensor target) {
    return NnOps.nllLoss(input, target, null, Reduction.MEAN, IGNORE_INDEX);
  }

  /** NLL with class weights (nullable) and ignoreIndex. */
  public static Tensor nllLoss(
      Tensor input, Tensor target, Tensor weight, Reduction reduction, long ignoreIndex) {
    return NnOps.nllLoss(input, target, weight, reduction, ignoreIndex);
  }
}
