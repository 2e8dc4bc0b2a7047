package dev.autograd.nn;

import dev.autograd.core.Generator;
import dev.autograd.core.NN;
import dev.autograd.core.Reduction;
import dev.autograd.core.Tensor;

/**
 * {@code torch.nn.functional} with PyTorch's names and defaults. No math of its own: each method
 * calls one differentiable op of autograd-core ({@link NN} or a {@link Tensor} method).
 */
public final class Functional {
  private Functional() {}

  /** PyTorch's default ignore_index for class-index losses. */
  public static final long IGNORE_INDEX = -100;

  public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
    return NN.linear(x, weight, bias);
  }

  public static Tensor relu(Tensor x) {
    return x.relu();
  }

  public static Tensor leakyRelu(Tensor x, double negativeSlope) {
    return x.leakyRelu(negativeSlope);
  }

  /** The exact (erf) GELU. */
  public static Tensor gelu(Tensor x) {
    return x.gelu();
  }

  public static Tensor silu(Tensor x) {
    return x.silu();
  }

  public static Tensor sigmoid(Tensor x) {
    return x.sigmoid();
  }

  public static Tensor tanh(Tensor x) {
    return x.tanh();
  }

  public static Tensor softmax(Tensor x, int dim) {
    return NN.softmax(x, dim);
  }

  public static Tensor logSoftmax(Tensor x, int dim) {
    return NN.logSoftmax(x, dim);
  }

  public static Tensor dropout(Tensor x, double p, boolean training, Generator gen) {
    return NN.dropout(x, p, training, gen);
  }

  public static Tensor embedding(Tensor indices, Tensor weight) {
    return NN.embedding(weight, indices);
  }

  /** Embedding whose row {@code paddingIdx} gets no gradient. */
  public static Tensor embedding(Tensor indices, Tensor weight, long paddingIdx) {
    return NN.embedding(weight, indices, paddingIdx);
  }

  public static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
    return NN.layerNorm(x, normalizedShape, weight, bias, eps);
  }

  public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias, boolean training, double momentum, double eps) {
    return NN.batchNorm(x, runningMean, runningVar, weight, bias, training, momentum, eps);
  }

  /** conv2d with square stride and padding, no dilation, one group. */
  public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
    return NN.conv2d(x, weight, bias, new int[] {stride, stride}, new int[] {padding, padding}, new int[] {1, 1}, 1);
  }

  public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
    return NN.conv2d(x, weight, bias, stride, padding, dilation, groups);
  }

  /** max_pool2d with a square kernel; stride defaults to the kernel size in PyTorch. */
  public static Tensor maxPool2d(Tensor x, int kernel, int stride, int padding) {
    return NN.maxPool2d(x, new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {padding, padding}, new int[] {1, 1});
  }

  public static Tensor avgPool2d(Tensor x, int kernel, int stride, int padding) {
    return NN.avgPool2d(x, new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {padding, padding});
  }

  public static Tensor mseLoss(Tensor input, Tensor target) {
    return NN.mseLoss(input, target, Reduction.MEAN);
  }

  public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
    return NN.mseLoss(input, target, reduction);
  }

  public static Tensor l1Loss(Tensor input, Tensor target, Reduction reduction) {
    return NN.l1Loss(input, target, reduction);
  }

  public static Tensor smoothL1Loss(Tensor input, Tensor target, Reduction reduction, double beta) {
    return NN.smoothL1Loss(input, target, reduction, beta);
  }

  public static Tensor binaryCrossEntropy(Tensor input, Tensor target, Tensor weight, Reduction reduction) {
    return NN.binaryCrossEntropy(input, target, weight, reduction);
  }

  public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor weight, Tensor posWeight, Reduction reduction) {
    return NN.binaryCrossEntropyWithLogits(input, target, weight, posWeight, reduction);
  }

  /** Cross entropy with PyTorch's defaults: mean, no weights, ignore_index -100, no smoothing. */
  public static Tensor crossEntropy(Tensor input, Tensor target) {
    return NN.crossEntropy(input, target, null, Reduction.MEAN, IGNORE_INDEX, 0);
  }

  public static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, Reduction reduction, long ignoreIndex, double labelSmoothing) {
    return NN.crossEntropy(input, target, weight, reduction, ignoreIndex, labelSmoothing);
  }

  public static Tensor nllLoss(Tensor input, Tensor target) {
    return NN.nllLoss(input, target, null, Reduction.MEAN, IGNORE_INDEX);
  }

  public static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, Reduction reduction, long ignoreIndex) {
    return NN.nllLoss(input, target, weight, reduction, ignoreIndex);
  }
}
