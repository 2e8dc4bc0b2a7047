package dev.autograd.spark;

import dev.autograd.core.Tensor;
import dev.autograd.nn.Loss;
import dev.autograd.nn.Module;
import dev.autograd.nn.optim.LRScheduler;
import dev.autograd.nn.optim.Optimizer;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.broadcast.Broadcast;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;

/**
 * Steps {@code [from, to)} of training as one barrier stage ({@link AllReduce#BARRIER}): each task
 * builds its replica (model, loss, optimizer, schedule) once, loads the driver's state, and then
 * for every step computes the gradients of its training partitions' shards, all-gathers them
 * ({@code BarrierTaskContext.allGather}), adds all shards in partition order and applies the
 * optimizer update itself. Every task adds the same vectors in the same order and runs the same
 * update, so the replicas stay bit-identical to each other and to {@link AllReduce#DRIVER}, without
 * a Spark job per step. If a task fails, Spark reruns the whole stage from the same start state.
 */
final class BarrierSegment extends AbstractFunction1<scala.collection.Iterator<PartitionData>, scala.collection.Iterator<SegmentResult>>
    implements Serializable {
  private static final long serialVersionUID = 1L;

  private final ShardTask task;
  private final OptimizerFactory optimizerFactory;
  private final SchedulerFactory schedulerFactory;
  private final int totalSteps, from, to;
  private final Broadcast<ReplicaState> start;

  BarrierSegment(ShardTask task, OptimizerFactory optimizerFactory, SchedulerFactory schedulerFactory, int totalSteps, int from, int to,
      Broadcast<ReplicaState> start) {
    this.task = task;
    this.optimizerFactory = optimizerFactory;
    this.schedulerFactory = schedulerFactory;
    this.totalSteps = totalSteps;
    this.from = from;
    this.to = to;
    this.start = start;
  }

  @Override
  public scala.collection.Iterator<SegmentResult> apply(scala.collection.Iterator<PartitionData> input) {
    BarrierTaskContext ctx = BarrierTaskContext.get();
    List<PartitionData> parts = new ArrayList<>();
    CollectionConverters.asJava(input).forEachRemaining(parts::add);
    parts.sort(Comparator.comparingInt(d -> d.partition));

    Module model = task.modelFactory.create();
    if (model == null) throw new IllegalStateException("the ModuleFactory returned null");
    Loss loss = task.lossFactory.create();
    List<Tensor> params = model.parameters();
    Optimizer optimizer = optimizerFactory.create(params);
    // the same order as a resume on the driver: schedule over the fresh optimizer, then the state, then the steps done
    LRScheduler scheduler = schedulerFactory == null ? null : schedulerFactory.create(optimizer, totalSteps);
    start.value().applyTo(model, optimizer);
    if (scheduler != null) for (int i = 0; i < from; i++) scheduler.step();

    int steps = to - from, perEpoch = task.plan.stepsPerEpoch();
    int[] counts = new int[steps];
    double[] lossSums = new double[steps], seconds = new double[steps];
    for (int g = from; g < to; g++) {
      long t0 = System.nanoTime();
      List<ShardResult> mine = new ArrayList<>(parts.size());
      for (PartitionData d : parts) mine.add(task.gradient(model, loss, params, d.partition, d, g / perEpoch, g % perEpoch));
      String[] all = ctx.allGather(encode(mine));
      List<ShardResult> shards = new ArrayList<>(task.plan.partitions());
      for (String m : all) shards.addAll(decode(m));
      if (shards.size() != task.plan.partitions()) {
        throw new IllegalStateException("step " + g + ": the all-gather returned " + shards.size() + " shards for " + task.plan.partitions() + " partitions");
      }
      StepSum sum = GradientReducer.sumInOrder(shards);
      sum.grad.setGradsOf(params);
      optimizer.step();
      optimizer.zeroGrad();
      if (scheduler != null) scheduler.step();
      counts[g - from] = sum.count;
      lossSums[g - from] = sum.lossSum;
      seconds[g - from] = (System.nanoTime() - t0) / 1e9;
    }
    ReplicaState end = ReplicaState.capture(model, optimizer, task.dtype);
    int me = ctx.partitionId();
    SegmentResult r = me == 0 ? new SegmentResult(me, end.digest(), end, counts, lossSums, seconds) : new SegmentResult(me, end.digest(), null, null, null, null);
    return CollectionConverters.asScala(Collections.singletonList(r).iterator());
  }

  /** A task's shards as one string (allGather carries strings): per shard its partition, count, loss sum and gradient. */
  private String encode(List<ShardResult> shards) {
    int gradBytes = task.paramCount * FlatVector.elementBytes(task.dtype);
    ByteBuffer b = ByteBuffer.allocate(4 + shards.size() * (16 + gradBytes));
    b.putInt(shards.size());
    for (ShardResult s : shards) {
      b.putInt(s.partition).putInt(s.count).putDouble(s.lossSum);
      s.grad.writeTo(b);
    }
    return Base64.getEncoder().encodeToString(b.array());
  }

  private List<ShardResult> decode(String message) {
    ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(message));
    int n = b.getInt();
    List<ShardResult> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int partition = b.getInt(), count = b.getInt();
      double lossSum = b.getDouble();
      out.add(new ShardResult(partition, count, lossSum, FlatVector.readFrom(b, task.dtype, task.paramCount)));
    }
    return out;
  }
}
