package dev.autograd.spark;

import org.apache.spark.Partitioner;

/** Sends integer key {@code k} to partition {@code k mod n}: the layout of {@link BatchPlan}. */
final class ModPartitioner extends Partitioner {
  private static final long serialVersionUID = 1L;

  private final int partitions;

  ModPartitioner(int partitions) {
    this.partitions = partitions;
  }

  @Override
  public int numPartitions() {
    return partitions;
  }

  @Override
  public int getPartition(Object key) {
    return (int) Math.floorMod(((Number) key).longValue(), (long) partitions);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModPartitioner && ((ModPartitioner) o).partitions == partitions;
  }

  @Override
  public int hashCode() {
    return partitions;
  }
}
