package dev.autograd.spark;

import java.io.Serializable;

/**
 * What one task of a barrier stage returns: the digest of its replica after the last step (all must
 * agree), and from task 0 only, the replica's state and each step's sample count, loss sum and wall
 * time (every task knows them, as every task all-gathers every shard's result).
 */
final class SegmentResult implements Serializable {
  private static final long serialVersionUID = 1L;

  final int task;
  final String digest;

  /** The stage attempt that produced this result (in local mode, the key of task 0's state). */
  final int attempt;

  /** Null except from task 0, and null in local mode (see {@link LocalStates}). */
  final ReplicaState state;

  final int[] counts;
  final double[] lossSums, seconds;

  /**
   * The replicas shared one set of weights, each task updating its slice ({@link ShardedUpdate}).
   */
  final boolean sharded;

  SegmentResult(
      int task,
      String digest,
      int attempt,
      ReplicaState state,
      int[] counts,
      double[] lossSums,
      double[] seconds,
      boolean sharded) {
    this.task = task;
    this.digest = digest;
    this.attempt = attempt;
    this.state = state;
    this.counts = counts;
    this.lossSums = lossSums;
    this.seconds = seconds;
    this.sharded = sharded;
  }
}
