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
   * keeps its data and a replica of model and optimizer; every step the tasks all-reduce their
   * shards' gradients (adding all shards in partition order) and each task applies the optimizer
   * update itself: every replica makes the identical update. In local mode the tasks share the
   * driver's JVM and all-reduce through shared memory (each task sums its slice of every shard,
   * then copies the sum): nothing passes through the driver. On a cluster a small TCP hub on the
   * driver adds the shards and sends the same sum back to every task: per step the driver receives
   * P x parameters values and sends tasks x parameters values, and executors must be able to open a
   * TCP connection to the driver. (Spark's {@code BarrierTaskContext.allGather} polls for its reply
   * once a second, ~1 s per step, so it is not used.) Needs a task slot per task (the trainer runs
   * min(partitions, default parallelism) tasks).
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
