package dev.autograd.spark;

import dev.autograd.core.DType;
import dev.autograd.core.Tensor;
import java.io.Serializable;
import java.util.Arrays;

/**
 * The work of one task in one step, shipped to the executors once per step: forward and backward
 * of the partition's shard of the global batch on the task's replica, with the driver's weights.
 */
final class ShardTask implements Serializable {
  private static final long serialVersionUID = 1L;

  final String runId;
  final ModuleFactory modelFactory;
  final LossFactory lossFactory;
  final BatchPlan plan;
  final int[] featureShape;
  final LabelKind labelKind;
  final DType dtype;
  final int paramCount;

  ShardTask(String runId, ModuleFactory modelFactory, LossFactory lossFactory, BatchPlan plan, int[] featureShape,
      LabelKind labelKind, DType dtype, int paramCount) {
    this.runId = runId;
    this.modelFactory = modelFactory;
    this.lossFactory = lossFactory;
    this.plan = plan;
    this.featureShape = featureShape.clone();
    this.labelKind = labelKind;
    this.dtype = dtype;
    this.paramCount = paramCount;
  }

  /** Partition {@code p}'s weighted gradient and loss sum at ({@code epoch}, {@code step}). */
  ShardResult run(int p, PartitionData data, int epoch, int step, long weightsId, FlatVector weights) {
    int n = plan.shardCount(p, step);
    if (n == 0) return new ShardResult(p, 0, 0, FlatVector.zeros(dtype, paramCount));
    // a task that fails does not give its replica back (it may hold half-loaded weights); the retry builds a fresh one
    Replica r = Replica.take(runId, modelFactory, lossFactory);
    r.load(weightsId, weights);
    r.model.train(true);
    for (Tensor t : r.params) t.setGrad(null);
    int[] order = plan.localOrder(epoch, p);
    int from = plan.shardStart(p, step);
    Tensor x = data.features(order, from, n, featureShape);
    Tensor y = data.targets(order, from, n, labelKind, dtype);
    Tensor loss = r.loss.forward(r.model.forward(x), y);
    if (loss.numel() != 1) throw new IllegalStateException("the loss gave shape " + Arrays.toString(loss.shapeRef()) + "; it must reduce to one value (reduction MEAN)");
    loss.backward();
    double shardLoss = loss.item();
    FlatVector grad = FlatVector.ofGrads(r.params, dtype);
    // the shard's mean-loss gradient, weighted by its share: the shares' sum is the global mean's gradient
    grad.scale((double) n / plan.globalCount(step));
    for (Tensor t : r.params) t.setGrad(null);
    Replica.giveBack(runId, r);
    return new ShardResult(p, n, shardLoss * n, grad);
  }
}
