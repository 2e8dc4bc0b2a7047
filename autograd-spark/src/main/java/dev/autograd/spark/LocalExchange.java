package dev.autograd.spark;

import dev.autograd.core.DType;
import dev.autograd.core.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.TaskContext;

/**
 * {@link AllReduce#BARRIER}'s all-reduce when the barrier tasks run in the driver's JVM (Spark's
 * local mode): shared memory instead of the driver's TCP hub. Each partition's weighted gradient
 * goes into its own slot; after a barrier, task t adds slice t of every slot in partition order
 * into the shared sum (a reduce-scatter: the tasks sum their slices in parallel), and after a
 * second barrier every task copies the whole sum (the all-gather). Per element the additions run in
 * the hub's order, so the bits are the hub's. Nothing gradient-sized is allocated or serialized per
 * step.
 *
 * <p>With a sharded update ({@link ShardedUpdate}) the replicas share one set of weights instead:
 * task t sums slice t of the slots into slot 0 ({@link #sumSlice}), updates that slice of the
 * weights and waits ({@link #await}) until every slice is updated; nothing is all-gathered.
 *
 * <p>One exchange per barrier stage attempt, shared by the attempt's tasks through a registry keyed
 * by run, first step and attempt; a task that fails breaks it, so its peers stop waiting and Spark
 * reruns the stage with a fresh one.
 */
final class LocalExchange {
  private static final ConcurrentHashMap<String, LocalExchange> OPEN = new ConcurrentHashMap<>();

  /** How often a waiting task checks whether Spark killed it. */
  private static final long POLL_MS = 50;

  private final String key;
  private final int tasks;
  final int partitions;

  /** Partition p's weighted gradient of the current step (written by the task that holds p). */
  private final Tensor[] slots;

  /** The whole sum, for the replicas that each update all weights (made on first use). */
  private Tensor sum;

  private final DType dtype;
  private final int paramCount;

  /** The weights the replicas share (a sharded update), once the first task has loaded them. */
  private List<Tensor> sharedWeights;

  private final ShardedUpdate[] shards;
  private ReplicaState end;
  private final int[] counts;
  private final double[] lossSums;
  private int arrived, left;
  private long generation;
  private Throwable broken;

  private LocalExchange(String key, int tasks, int partitions, DType dtype, int paramCount) {
    this.key = key;
    this.tasks = tasks;
    this.partitions = partitions;
    this.slots = new Tensor[partitions];
    for (int p = 0; p < partitions; p++) slots[p] = Tensor.zeros(dtype, paramCount);
    this.dtype = dtype;
    this.paramCount = paramCount;
    this.shards = new ShardedUpdate[tasks];
    this.counts = new int[partitions];
    this.lossSums = new double[partitions];
  }

  /** The exchange of run {@code runId}'s stage that starts at step {@code from}, this attempt. */
  static LocalExchange join(
      String runId, int from, int attempt, int tasks, int partitions, DType dtype, int paramCount) {
    String key = runId + "/" + from + "/" + attempt;
    return OPEN.computeIfAbsent(
        key, k -> new LocalExchange(k, tasks, partitions, dtype, paramCount));
  }

  /**
   * Drops run {@code runId}'s exchanges (the driver, after training; failed attempts leave one).
   */
  static void release(String runId) {
    OPEN.keySet().removeIf(k -> k.startsWith(runId + "/"));
  }

  /** Exchanges open in this JVM (tests check that training leaves none behind). */
  static int openCount() {
    return OPEN.size();
  }

  /** Partition {@code p}'s slot, where its task writes the partition's weighted gradient. */
  Tensor slot(int p) {
    return slots[p];
  }

  /** Records partition {@code p}'s sample count and loss sum of the current step. */
  void put(int p, int count, double lossSum) {
    counts[p] = count;
    lossSums[p] = lossSum;
  }

  /**
   * The all-reduce of one step, once this task's partitions are in their slots: waits for every
   * task, adds this task's slice of every slot in partition order, waits again, and copies the
   * whole sum into {@code gradOut}. Returns the step's sample count and loss sum (added in
   * partition order, as the hub does).
   */
  StepTotals reduce(int task, Tensor gradOut, TaskContext ctx) throws InterruptedException {
    await(ctx);
    Tensor sum = wholeSum();
    // between the two barriers every slot is complete and nobody writes: read them
    int length = sum.numel();
    int from = GradientReducer.sliceStart(task, tasks, length),
        n = GradientReducer.sliceLength(task, tasks, length);
    if (n > 0) {
      Tensor s = sum.narrow(0, from, n);
      s.copy_(slots[0].narrow(0, from, n));
      for (int p = 1; p < partitions; p++) s.add_(slots[p].narrow(0, from, n));
    }
    StepTotals totals = totals(); // before the barrier, after which the next step's put() may come
    await(ctx);
    // the sum stays put until every task has passed the next step's first barrier
    gradOut.copy_(sum);
    return totals;
  }

  private synchronized Tensor wholeSum() {
    if (sum == null) sum = Tensor.zeros(dtype, paramCount);
    return sum;
  }

  private StepTotals totals() {
    int count = counts[0];
    double loss = lossSums[0];
    for (int p = 1; p < partitions; p++) {
      count += counts[p];
      loss += lossSums[p];
    }
    return new StepTotals(count, loss);
  }

  /**
   * The first half of a sharded step, once this task's partitions are in their slots: waits for
   * every task and adds slice {@code task} of every slot in partition order into slot 0 (the hub's
   * order and bits), where this task's update then reads it ({@link #summed}). The task calls
   * {@link #await} after its update: slot 0 is written again only after that barrier.
   */
  StepTotals sumSlice(int task, TaskContext ctx) throws InterruptedException {
    await(ctx);
    int from = GradientReducer.sliceStart(task, tasks, paramCount),
        n = GradientReducer.sliceLength(task, tasks, paramCount);
    if (n > 0 && partitions > 1) {
      Tensor s = slots[0].narrow(0, from, n);
      for (int p = 1; p < partitions; p++) s.add_(slots[p].narrow(0, from, n));
    }
    return totals();
  }

  /** The flat gradient sum of a sharded step: slot 0, whose slice t task t completes. */
  Tensor summed() {
    return slots[0];
  }

  /**
   * Makes {@code params} (a task's replica) share the stage's weights: the first task to call runs
   * {@code load} (its replica loads the start weights) and lends its parameters' arrays; every
   * other replica's parameters then read and write those.
   */
  synchronized void shareWeights(List<Tensor> params, Runnable load) {
    if (sharedWeights == null) {
      load.run();
      sharedWeights = new ArrayList<>(params);
    } else {
      ShardedUpdate.shareWeights(params, sharedWeights);
    }
  }

  /** Task {@code task}'s share of the update, for the end state ({@link #shards()}). */
  synchronized void register(int task, ShardedUpdate s) {
    shards[task] = s;
  }

  /** Every task's share of the update, in task order (after a barrier that follows the last). */
  synchronized List<ShardedUpdate> shards() {
    return Arrays.asList(shards.clone());
  }

  /** Task 0: the stage's end state, put together from every task's share. */
  synchronized void putEnd(ReplicaState s) {
    end = s;
  }

  /** The stage's end state (after the barrier that follows {@link #putEnd}). */
  synchronized ReplicaState end() {
    return end;
  }

  /** One step's sample count and loss sum over all partitions. */
  record StepTotals(int count, double lossSum) {}

  /**
   * Waits until every task of the stage has arrived; throws if a peer failed or Spark killed this
   * task meanwhile.
   */
  synchronized void await(TaskContext ctx) throws InterruptedException {
    checkBroken();
    long gen = generation;
    if (++arrived == tasks) {
      arrived = 0;
      generation++;
      notifyAll();
      return;
    }
    while (generation == gen) {
      wait(POLL_MS);
      checkBroken();
      if (ctx != null) ctx.killTaskIfInterrupted();
    }
  }

  private void checkBroken() {
    if (broken != null)
      throw new IllegalStateException(
          "another task of the barrier stage failed (" + broken + "); Spark reruns the stage",
          broken);
  }

  /** Marks the exchange broken (this task failed): the peers stop waiting. */
  synchronized void fail(Throwable why) {
    if (broken == null) broken = why;
    notifyAll();
  }

  /** This task is done with the exchange; the last one out removes it from the registry. */
  synchronized void leave() {
    if (++left == tasks) OPEN.remove(key, this);
  }
}
