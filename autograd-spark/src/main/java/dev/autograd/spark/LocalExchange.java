package dev.autograd.spark;

import dev.autograd.core.DType;
import dev.autograd.core.Tensor;
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

  private final Tensor sum;
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
    this.sum = Tensor.zeros(dtype, paramCount);
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
    // between the two barriers every slot is complete and nobody writes: read them
    int length = sum.numel();
    int from = GradientReducer.sliceStart(task, tasks, length),
        n = GradientReducer.sliceLength(task, tasks, length);
    if (n > 0) {
      Tensor s = sum.narrow(0, from, n);
      s.copy_(slots[0].narrow(0, from, n));
      for (int p = 1; p < partitions; p++) s.add_(slots[p].narrow(0, from, n));
    }
    int count = counts[0];
    double loss = lossSums[0];
    for (int p = 1; p < partitions; p++) {
      count += counts[p];
      loss += lossSums[p];
    }
    await(ctx);
    // the sum stays put until every task has passed the next step's first barrier
    gradOut.copy_(sum);
    return new StepTotals(count, loss);
  }

  /** One step's sample count and loss sum over all partitions. */
  record StepTotals(int count, double lossSum) {}

  /**
   * Waits until every task of the stage has arrived; throws if a peer failed or Spark killed this
   * task meanwhile.
   */
  private synchronized void await(TaskContext ctx) throws InterruptedException {
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
