package dev.autograd.spark;

import java.io.Serializable;

/**
 * What a task sends back for one step: its partition, how many samples it used, the sum of their
 * losses, and its gradient already weighted by its share of the global batch (so the shards'
 * gradients add up to the gradient of the global batch's mean loss).
 */
final class ShardResult implements Serializable {
  private static final long serialVersionUID = 1L;

  final int partition, count;
  final double lossSum;
  final FlatVector grad;

  ShardResult(int partition, int count, double lossSum, FlatVector grad) {
    this.partition = partition;
    this.count = count;
    this.lossSum = lossSum;
    this.grad = grad;
  }
}
