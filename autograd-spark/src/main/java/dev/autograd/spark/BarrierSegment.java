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

  /** The driver's state (null in local mode: {@link LocalStates} holds it). */
  private final Broadcast<ReplicaState> start;

  private final String hubHost;
  private final int hubPort;

  /** The tasks share the driver's JVM (local mode): all-reduce through {@link LocalExchange}. */
  private final boolean local;

  private final int tasks;

  /**
   * Local mode: the driver's attempt number of this segment (it reruns a failed stage as a new job,
   * whose stage attempt restarts at 0).
   */
  private final int localAttempt;

  BarrierSegment(
      ShardTask task,
      OptimizerFactory optimizerFactory,
      SchedulerFactory schedulerFactory,
      int totalSteps,
      int from,
      int to,
      Broadcast<ReplicaState> start,
      String hubHost,
      int hubPort,
      boolean local,
      int tasks,
      int localAttempt) {
    this.hubHost = hubHost;
    this.hubPort = hubPort;
    this.local = local;
    this.tasks = tasks;
    this.localAttempt = localAttempt;
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

    int me = ctx.partitionId();
    StepLog log = new StepLog(to - from);
    ReplicaState end =
        TaskThreads.run(() -> local ? runLocal(ctx, parts, log) : runOverHub(ctx, parts, log));
    int attempt = local ? localAttempt : ctx.stageAttemptNumber();
    if (local && me == 0) LocalStates.putEnd(task.runId, from, attempt, end);
    SegmentResult r =
        me == 0
            ? new SegmentResult(
                me,
                end.digest(),
                attempt,
                local ? null : end,
                log.counts,
                log.lossSums,
                log.seconds,
                log.sharded)
            : new SegmentResult(me, end.digest(), attempt, null, null, null, null, log.sharded);
    return CollectionConverters.asScala(Collections.singletonList(r).iterator());
  }

  /** Steps [from, to) with the all-reduce through the driver's {@link StepHub}. */
  private ReplicaState runOverHub(BarrierTaskContext ctx, List<PartitionData> parts, StepLog log) {
    int perEpoch = task.plan.stepsPerEpoch(), me = ctx.partitionId();
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
        log.counts[g - from] = sum.count;
        log.lossSums[g - from] = sum.lossSum;
        log.seconds[g - from] = (System.nanoTime() - t0) / 1e9;
      }
      return ReplicaState.capture(model, optimizer, task.dtype);
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
  }

  /**
   * Steps [from, to) with the all-reduce through shared memory ({@link LocalExchange}): no
   * gradient-sized allocation, copy or serialization per step beyond the exchange's own.
   */
  private ReplicaState runLocal(BarrierTaskContext ctx, List<PartitionData> parts, StepLog log) {
    int me = ctx.partitionId();
    LocalExchange exchange =
        LocalExchange.join(
            task.runId,
            from,
            localAttempt,
            tasks,
            task.plan.partitions(),
            task.dtype,
            task.paramCount);
    try {
      // the executor's replica of the previous stage if there is one: its weights are
      // overwritten below, so building the architecture (and initializing it) is paid once
      Replica replica = Replica.take(task.runId, task.modelFactory, task.lossFactory);
      Module model = replica.model;
      Loss loss = replica.loss;
      List<Tensor> params = replica.params;
      Optimizer optimizer = optimizerFactory.create(params);
      ReplicaState start = LocalStates.start(task.runId, from);
      ReplicaState end =
          ShardedUpdate.supports(optimizer, params)
              ? runSharded(ctx, parts, exchange, model, loss, params, optimizer, start, log)
              : runReplicated(ctx, parts, exchange, model, loss, params, optimizer, start, log);
      exchange.leave();
      replica.loadedWeights = -1;
      Replica.giveBack(task.runId, replica);
      return end;
    } catch (InterruptedException e) {
      exchange.fail(e);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("barrier task " + me + " was interrupted", e);
    } catch (RuntimeException | Error e) {
      exchange.fail(e);
      throw e;
    }
  }

  /**
   * The steps with every replica holding all weights and applying the whole update: the all-reduce
   * all-gathers the sum into every replica (optimizers {@link ShardedUpdate} cannot split).
   */
  private ReplicaState runReplicated(
      BarrierTaskContext ctx,
      List<PartitionData> parts,
      LocalExchange exchange,
      Module model,
      Loss loss,
      List<Tensor> params,
      Optimizer optimizer,
      ReplicaState start,
      StepLog log)
      throws InterruptedException {
    int me = ctx.partitionId();
    LRScheduler scheduler =
        schedulerFactory == null ? null : schedulerFactory.create(optimizer, totalSteps);
    start.applyTo(model, optimizer);
    if (scheduler != null) for (int i = 0; i < from; i++) scheduler.step();
    // this task's copy of each step's summed gradient, and every parameter's view of it
    Tensor grad = Tensor.zeros(task.dtype, task.paramCount);
    List<Tensor> gradViews = new ArrayList<>(params.size());
    int at = 0;
    for (Tensor p : params) {
      int n = p.numel();
      gradViews.add(grad.narrow(0, at, n).view(p.shapeRef()));
      at += n;
    }
    double[] lossSum = new double[1];
    for (int g = from; g < to; g++) {
      long t0 = System.nanoTime();
      shardGradients(parts, exchange, model, loss, params, g, lossSum);
      LocalExchange.StepTotals sum = exchange.reduce(me, grad, ctx);
      for (int i = 0; i < params.size(); i++) params.get(i).setGrad(gradViews.get(i));
      optimizer.step();
      optimizer.zeroGrad();
      if (scheduler != null) scheduler.step();
      record(me, g, sum, t0, log);
    }
    return ReplicaState.capture(model, optimizer, task.dtype);
  }

  /**
   * The steps with one set of weights shared by every replica ({@link ShardedUpdate}, ZeRO stage
   * 1): each task updates its slice of the weights and its slice of the optimizer state, from its
   * slice of the sum; nothing is all-gathered and no update runs twice. Task 0 puts the whole
   * optimizer state together at the end.
   */
  private ReplicaState runSharded(
      BarrierTaskContext ctx,
      List<PartitionData> parts,
      LocalExchange exchange,
      Module model,
      Loss loss,
      List<Tensor> params,
      Optimizer optimizer,
      ReplicaState start,
      StepLog log)
      throws InterruptedException {
    int me = ctx.partitionId();
    log.sharded = true;
    ShardedUpdate share = new ShardedUpdate(optimizer, params, me, tasks, exchange.summed());
    // the same order as a resume on the driver: schedule over the fresh options, then the state,
    // then the steps done
    LRScheduler scheduler =
        schedulerFactory == null ? null : schedulerFactory.create(share.optimizer, totalSteps);
    start.applyOptimizerTo(optimizer);
    share.loadSliceOf(optimizer);
    exchange.shareWeights(params, () -> start.applyWeightsTo(params));
    exchange.register(me, share);
    if (scheduler != null) for (int i = 0; i < from; i++) scheduler.step();
    // every task's share registered, the weights shared
    exchange.await(ctx);
    double[] lossSum = new double[1];
    for (int g = from; g < to; g++) {
      long t0 = System.nanoTime();
      shardGradients(parts, exchange, model, loss, params, g, lossSum);
      LocalExchange.StepTotals sum = exchange.sumSlice(me, ctx);
      share.step();
      if (scheduler != null) scheduler.step();
      // every slice updated before anyone's next forward (which also rewrites slot 0)
      exchange.await(ctx);
      record(me, g, sum, t0, log);
    }
    if (me == 0) {
      optimizer.loadStateDict(ShardedUpdate.wholeState(optimizer, exchange.shards()));
      exchange.putEnd(ReplicaState.capture(model, optimizer, task.dtype));
    }
    exchange.await(ctx);
    return exchange.end();
  }

  /** Forward and backward of this task's partitions at step {@code g}, into their slots. */
  private void shardGradients(
      List<PartitionData> parts,
      LocalExchange exchange,
      Module model,
      Loss loss,
      List<Tensor> params,
      int g,
      double[] lossSum) {
    int perEpoch = task.plan.stepsPerEpoch();
    for (PartitionData d : parts) {
      int n =
          task.gradientInto(
              model,
              loss,
              params,
              d.partition,
              d,
              g / perEpoch,
              g % perEpoch,
              exchange.slot(d.partition),
              lossSum);
      exchange.put(d.partition, n, lossSum[0]);
    }
  }

  /** Step {@code g}'s totals and time; task 0 reports them to the driver as they come. */
  private void record(int me, int g, LocalExchange.StepTotals sum, long t0, StepLog log) {
    int i = g - from;
    log.counts[i] = sum.count();
    log.lossSums[i] = sum.lossSum();
    log.seconds[i] = (System.nanoTime() - t0) / 1e9;
    if (me == 0) LocalStates.report(task.runId, g, log.counts[i], log.lossSums[i], log.seconds[i]);
  }

  /** Each step's sample count, loss sum and wall time, and whether the update was sharded. */
  private static final class StepLog {
    final int[] counts;
    final double[] lossSums, seconds;
    boolean sharded;

    StepLog(int steps) {
      counts = new int[steps];
      lossSums = new double[steps];
      seconds = new double[steps];
    }
  }
}
