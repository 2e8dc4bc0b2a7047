package dev.autograd.spark;

/** One step's all-reduced result: samples used, their loss sum, the global batch's gradient. */
final class StepSum {
  final int count;
  final double lossSum;
  final FlatVector grad;

  StepSum(int count, double lossSum, FlatVector grad) {
    this.count = count;
    this.lossSum = lossSum;
    this.grad = grad;
  }
}
