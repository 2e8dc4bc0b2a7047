package dev.autograd.spark;

/**
 * How the tasks' gradients are summed each step. All add the shards in partition order, so a rerun
 * gives bit-identical sums whatever order the tasks finish in (Spark's {@code treeAggregate} merges
 * in completion order, which changes float sums from run to run), and all three give bit-identical
 * weights.
 */
public enum AllReduce {
  /**
   * The default: one long-running barrier stage per segment of steps (an epoch, or up to the next
   * checkpoint, progress line or {@code syncEvery}) instead of one Spark job per step. Each task
   * keeps its data and a replica of model and optimizer; every step it sends its shards' gradients
   * to a small TCP hub on the driver, which adds all shards in partition order and sends the same
   * sum back to every task, and each task applies the optimizer update itself: every replica makes
   * the identical update. (Spark's {@code BarrierTaskContext.allGather} polls for its reply once a
   * second, ~1 s per step, so it is not used.) Needs a task slot per task (the trainer runs
   * min(partitions, default parallelism) tasks) and executors that can open a TCP connection to the
   * driver. Per step the driver receives P x parameters values and sends tasks x parameters values.
   */
  BARRIER,
  /**
   * One Spark job per step: the driver broadcasts the weights, every task sends its whole gradient
   * to the driver (P x parameters values in), which adds them in partition order and applies the
   * optimizer update. Pays Spark's per-job cost (~10-20 ms in local mode) every step.
   */
  DRIVER,
  /**
   * BigDL's sliced all-reduce: each task cuts its gradient into P slices and writes them to Spark's
   * shuffle; task k of a second stage adds slice k of every partition (in partition order) and
   * sends only its summed slice to the driver (parameters values in, independent of P). Two stages
   * per step: pays off when P x parameters would swamp the driver.
   */
  REDUCE_SCATTER
}
