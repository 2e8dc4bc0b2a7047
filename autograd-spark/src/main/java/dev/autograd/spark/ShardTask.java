package dev.autograd.spark;

import dev.autograd.core.Autograd;
import dev.autograd.core.DType;
import dev.autograd.core.GradMode;
import dev.autograd.core.Tensor;
import dev.autograd.core.internal.optim.Grads;
import dev.autograd.nn.Loss;
import dev.autograd.nn.Module;
import dev.autograd.nn.SampleKeys;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * The work of one task in one step, shipped to the executors once per step: forward and backward of
 * the partition's shard of the global batch on the task's replica, with the driver's weights.
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

  ShardTask(
      String runId,
      ModuleFactory modelFactory,
      LossFactory lossFactory,
      BatchPlan plan,
      int[] featureShape,
      LabelKind labelKind,
      DType dtype,
      int paramCount) {
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
  ShardResult run(
      int p, PartitionData data, int epoch, int step, long weightsId, FlatVector weights) {
    if (plan.shardCount(p, step) == 0)
      return new ShardResult(p, 0, 0, FlatVector.zeros(dtype, paramCount));
    // a task that fails does not give its replica back (it may hold half-loaded weights); the retry
    // builds a fresh one
    Replica r = Replica.take(runId, modelFactory, lossFactory);
    r.load(weightsId, weights);
    ShardResult out = gradient(r.model, r.loss, r.params, p, data, epoch, step);
    Replica.giveBack(runId, r);
    return out;
  }

  /**
   * Forward and backward of partition {@code p}'s shard at ({@code epoch}, {@code step}) on {@code
   * model} (whose gradients are left empty): the shard's gradient weighted by its share of the
   * global batch. Dropout draws per-sample masks ({@link SampleKeys}), so they do not depend on the
   * partitioning.
   */
  ShardResult gradient(
      Module model,
      Loss lossFn,
      List<Tensor> params,
      int p,
      PartitionData data,
      int epoch,
      int step) {
    int n = plan.shardCount(p, step);
    if (n == 0) return new ShardResult(p, 0, 0, FlatVector.zeros(dtype, paramCount));
    double shardLoss = forwardBackward(model, lossFn, params, p, data, epoch, step, n);
    FlatVector grad = FlatVector.ofGrads(params, dtype);
    // the shard's mean-loss gradient, weighted by its share: the shares' sum is the global mean's
    // gradient
    grad.scale((double) n / plan.globalCount(step));
    for (Tensor t : params) t.setGrad(null);
    return new ShardResult(p, n, shardLoss * n, grad);
  }

  /**
   * {@link #gradient} written into {@code slot} (a flat tensor of {@link #paramCount} values in the
   * model's dtype) instead of a new vector, with the same bits: the copy and the scaling are in
   * place, so a step allocates no gradient-sized arrays. Returns the shard's sample count; its loss
   * sum goes to {@code lossSum[0]}.
   */
  int gradientInto(
      Module model,
      Loss lossFn,
      List<Tensor> params,
      int p,
      PartitionData data,
      int epoch,
      int step,
      Tensor slot,
      double[] lossSum) {
    int n = plan.shardCount(p, step);
    if (n == 0) {
      slot.zero_();
      lossSum[0] = 0;
      return 0;
    }
    double shardLoss = forwardBackward(model, lossFn, params, p, data, epoch, step, n);
    double share = (double) n / plan.globalCount(step);
    int at = 0;
    try (GradMode.Scope s = Autograd.noGrad()) {
      for (Tensor t : params) {
        int size = t.numel();
        Tensor part = slot.narrow(0, at, size);
        // read without counting as a read, so that setGrad(null) below hands the engine's array
        // to the next backward: no gradient-sized (for G1 often humongous) allocation per step
        Tensor g = Grads.forUpdate(t);
        // scaled on the way into the slot, one pass: the same float rounding as
        // FlatVector.scale (the factor in the vector's precision)
        if (g == null) part.zero_();
        else g.reshape(size).mul(share, part);
        at += size;
      }
    }
    for (Tensor t : params) t.setGrad(null);
    lossSum[0] = shardLoss * n;
    return n;
  }

  /**
   * Forward and backward of the shard's {@code n} samples: leaves the shard's mean-loss gradients
   * in the parameters' {@code .grad} and returns the mean loss.
   */
  private double forwardBackward(
      Module model,
      Loss lossFn,
      List<Tensor> params,
      int p,
      PartitionData data,
      int epoch,
      int step,
      int n) {
    model.train(true);
    for (Tensor t : params) t.setGrad(null);
    int[] order = plan.localOrder(epoch, p);
    int from = plan.shardStart(p, step);
    Tensor x = data.features(order, from, n, featureShape);
    Tensor y = data.targets(order, from, n, labelKind, dtype);
    Tensor loss;
    try (SampleKeys keys =
        SampleKeys.open(plan.dropoutKey(epoch), plan.shardIndices(epoch, step, p))) {
      loss = lossFn.forward(model.forward(x), y);
    }
    if (loss.numel() != 1)
      throw new IllegalStateException(
          "the loss gave shape "
              + Arrays.toString(loss.shapeRef())
              + "; it must reduce to one value (reduction MEAN)");
    loss.backward();
    return loss.item();
  }
}
