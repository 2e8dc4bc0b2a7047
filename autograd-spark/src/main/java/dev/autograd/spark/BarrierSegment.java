package dev.autograd.spark;

import dev.autograd.core.Tensor;
import dev.autograd.nn.Loss;
import dev.autograd.nn.Module;
import dev.autograd.nn.optim.LRScheduler;
import dev.autograd.nn.optim.Optimizer;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.util.ArrayList;
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
 * for every step computes the gradients of its training partitions' shards, sends them to the
 * driver's {@link StepHub}, receives the sum of all shards (added in partition order) and applies
 * the optimizer update itself. Every task receives the same bits and runs the same update, so the
 * replicas stay bit-identical to each other and to {@link AllReduce#DRIVER}, without a Spark job
 * per step. If a task fails, Spark reruns the whole stage from the same start state.
 */
final class BarrierSegment
    extends AbstractFunction1<
        scala.collection.Iterator<PartitionData>, scala.collection.Iterator<SegmentResult>>
    implements Serializable {
  private static final long serialVersionUID = 1L;

  private final ShardTask task;
  private final OptimizerFactory optimizerFactory;
  private final SchedulerFactory schedulerFactory;
  private final int totalSteps, from, to;
  private final Broadcast<ReplicaState> start;
  private final String hubHost;
  private final int hubPort;

  BarrierSegment(
      ShardTask task,
      OptimizerFactory optimizerFactory,
      SchedulerFactory schedulerFactory,
      int totalSteps,
      int from,
      int to,
      Broadcast<ReplicaState> start,
      String hubHost,
      int hubPort) {
    this.hubHost = hubHost;
    this.hubPort = hubPort;
    this.task = task;
    this.optimizerFactory = optimizerFactory;
    this.schedulerFactory = schedulerFactory;
    this.totalSteps = totalSteps;
    this.from = from;
    this.to = to;
    this.start = start;
  }

  @Override
  public scala.collection.Iterator<SegmentResult> apply(
      scala.collection.Iterator<PartitionData> input) {
    BarrierTaskContext ctx = BarrierTaskContext.get();
    List<PartitionData> parts = new ArrayList<>();
    CollectionConverters.asJava(input).forEachRemaining(parts::add);
    parts.sort(Comparator.comparingInt(d -> d.partition));

    int steps = to - from, perEpoch = task.plan.stepsPerEpoch(), me = ctx.partitionId();
    int[] counts = new int[steps];
    double[] lossSums = new double[steps], seconds = new double[steps];
    ReplicaState end;
    // connect before any user code runs: a task that fails later closes its socket, which ends the
    // hub's attempt
    try (Socket hub = new Socket(hubHost, hubPort)) {
      hub.setTcpNoDelay(true);
      hub.setSoTimeout(500);
      DataOutputStream out =
          new DataOutputStream(new BufferedOutputStream(hub.getOutputStream(), 1 << 16));
      DataInputStream in =
          new DataInputStream(
              new BufferedInputStream(new KillableInput(hub.getInputStream(), ctx), 1 << 16));
      out.writeInt(ctx.stageAttemptNumber());
      out.writeInt(me);
      out.flush();

      Module model = task.modelFactory.create();
      if (model == null) throw new IllegalStateException("the ModuleFactory returned null");
      Loss loss = task.lossFactory.create();
      List<Tensor> params = model.parameters();
      Optimizer optimizer = optimizerFactory.create(params);
      // the same order as a resume on the driver: schedule over the fresh optimizer, then the
      // state, then the steps done
      LRScheduler scheduler =
          schedulerFactory == null ? null : schedulerFactory.create(optimizer, totalSteps);
      start.value().applyTo(model, optimizer);
      if (scheduler != null) for (int i = 0; i < from; i++) scheduler.step();

      for (int g = from; g < to; g++) {
        long t0 = System.nanoTime();
        List<ShardResult> mine = new ArrayList<>(parts.size());
        for (PartitionData d : parts)
          mine.add(task.gradient(model, loss, params, d.partition, d, g / perEpoch, g % perEpoch));
        ShardMessages.write(out, mine, task.dtype, task.paramCount);
        StepSum sum = ShardMessages.readSum(in, task.dtype, task.paramCount);
        sum.grad.setGradsOf(params);
        optimizer.step();
        optimizer.zeroGrad();
        if (scheduler != null) scheduler.step();
        counts[g - from] = sum.count;
        lossSums[g - from] = sum.lossSum;
        seconds[g - from] = (System.nanoTime() - t0) / 1e9;
      }
      end = ReplicaState.capture(model, optimizer, task.dtype);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "barrier task "
              + me
              + ": the all-reduce connection to the driver at "
              + hubHost
              + ":"
              + hubPort
              + " failed: "
              + e.getMessage(),
          e);
    }
    SegmentResult r =
        me == 0
            ? new SegmentResult(me, end.digest(), end, counts, lossSums, seconds)
            : new SegmentResult(me, end.digest(), null, null, null, null);
    return CollectionConverters.asScala(Collections.singletonList(r).iterator());
  }
}
