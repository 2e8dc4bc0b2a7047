package dev.autograd.spark;

/**
 * How the tasks' gradients are summed each step. Both add the shards in partition order, so a
 * rerun gives bit-identical sums whatever order the tasks finish in (Spark's {@code
 * treeAggregate} merges in completion order, which changes float sums from run to run).
 */
public enum AllReduce {
  /**
   * Every task sends its whole gradient to the driver (P x parameters bytes in), which adds them
   * in partition order. One stage per step: the fastest for small models and few partitions.
   */
  DRIVER,
  /**
   * BigDL's sliced all-reduce: each task cuts its gradient into P slices and writes them to
   * Spark's shuffle; task k of a second stage adds slice k of every partition (in partition
   * order) and sends only its summed slice to the driver (parameters bytes in, independent of
   * P). Two stages per step: pays off when P x parameters would swamp the driver.
   */
  REDUCE_SCATTER
}
