package dev.autograd.spark;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * Which samples make up each step's global batch. The trainer numbers the input samples 0..N-1 (in
 * the data's order) and lays sample {@code i} out on partition {@code i % P} at local index {@code
 * i / P}. The global batch {@code B} splits into shards: partition {@code p} takes {@code B / P}
 * samples, one more for {@code p < B % P}. In each epoch every partition permutes its local indices
 * (seeded by seed, epoch and partition, or not at all without shuffling), and at step {@code s}
 * contributes its permuted positions {@code [s * shard, (s + 1) * shard)} that exist; an epoch has
 * as many steps as the slowest partition needs. Every sample is used once per epoch. Pure Java: a
 * single process can rebuild the same batches ({@link #globalIndices}).
 */
public final class BatchPlan implements Serializable {
  private static final long serialVersionUID = 1L;

  /** N (see {@link #samples()}). */
  private final long samples;

  /** P (see {@link #partitions()}). */
  private final int partitions;

  /** B (see {@link #batchSize()}). */
  private final int batchSize;

  /** Whether partitions permute their samples every epoch. */
  private final boolean shuffle;

  /** The seed of the per-epoch permutations. */
  private final long seed;

  /**
   * @param samples N, the number of samples
   * @param partitions P
   * @param batchSize B, the global batch
   */
  public BatchPlan(long samples, int partitions, int batchSize, boolean shuffle, long seed) {
    if (samples < 1)
      throw new IllegalArgumentException("BatchPlan: no samples to train on (got " + samples + ")");
    if (partitions < 1)
      throw new IllegalArgumentException("BatchPlan: partitions must be >= 1, got " + partitions);
    if (batchSize < partitions) {
      throw new IllegalArgumentException(
          "BatchPlan: the global batch "
              + batchSize
              + " is smaller than the "
              + partitions
              + " partitions; every partition needs at least one sample per step (use fewer partitions or a larger batch)");
    }
    if (partitions > samples)
      throw new IllegalArgumentException(
          "BatchPlan: "
              + partitions
              + " partitions for only "
              + samples
              + " samples; use at most "
              + samples);
    if (samples / partitions > Integer.MAX_VALUE - 8)
      throw new IllegalArgumentException(
          "BatchPlan: "
              + samples
              + " samples over "
              + partitions
              + " partitions is more than 2^31 per partition; use more partitions");
    this.samples = samples;
    this.partitions = partitions;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.seed = seed;
  }

  /** N, the number of samples. */
  public long samples() {
    return samples;
  }

  /** P, the number of partitions. */
  public int partitions() {
    return partitions;
  }

  /** B, the global batch: the samples of one step over all partitions. */
  public int batchSize() {
    return batchSize;
  }

  /** The number of samples partition {@code p} holds. */
  public int partitionSize(int p) {
    return (int) (samples / partitions + (p < samples % partitions ? 1 : 0));
  }

  /** Partition {@code p}'s share of a full global batch. */
  public int shardSize(int p) {
    return batchSize / partitions + (p < batchSize % partitions ? 1 : 0);
  }

  /** Steps in one epoch: enough for every partition to use all its samples. */
  public int stepsPerEpoch() {
    int steps = 0;
    for (int p = 0; p < partitions; p++)
      steps = Math.max(steps, (partitionSize(p) + shardSize(p) - 1) / shardSize(p));
    return steps;
  }

  /** The local indices partition {@code p} visits in {@code epoch}, in order. */
  public int[] localOrder(int epoch, int p) {
    int n = partitionSize(p);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) order[i] = i;
    if (!shuffle) return order;
    SplittableRandom rng =
        new SplittableRandom(
            seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L + p * 0x94D049BB133111EBL);
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  /** The first position (in {@link #localOrder}) partition {@code p} uses at {@code step}. */
  public int shardStart(int p, int step) {
    return (int) Math.min((long) step * shardSize(p), partitionSize(p));
  }

  /** How many samples partition {@code p} contributes at {@code step} (0 once it has used all). */
  public int shardCount(int p, int step) {
    return (int) Math.min((long) shardSize(p), partitionSize(p) - (long) shardStart(p, step));
  }

  /** The size of the global batch at {@code step} (smaller than B only at an epoch's end). */
  public int globalCount(int step) {
    int n = 0;
    for (int p = 0; p < partitions; p++) n += shardCount(p, step);
    return n;
  }

  /**
   * The global sample indices of step {@code step} of {@code epoch}: partition 0's shard, then 1's,
   * ...
   */
  public long[] globalIndices(int epoch, int step) {
    if (step < 0 || step >= stepsPerEpoch())
      throw new IllegalArgumentException(
          "BatchPlan: step " + step + " is outside 0.." + (stepsPerEpoch() - 1));
    long[] out = new long[globalCount(step)];
    int k = 0;
    for (int p = 0; p < partitions; p++) {
      int[] order = localOrder(epoch, p);
      int from = shardStart(p, step), n = shardCount(p, step);
      for (int i = from; i < from + n; i++) out[k++] = (long) order[i] * partitions + p;
    }
    return out;
  }

  /**
   * The key of the dropout streams in {@code epoch} (see {@code SampleKeys}): a function of the
   * seed and the epoch only. Each sample is used once per epoch, so its masks depend on the sample,
   * the seed and the epoch, never on the partitioning or the step it lands in.
   */
  public long dropoutKey(int epoch) {
    return seed * 0xD1B54A32D192ED03L + epoch * 0x8CB92BA72F3D8DD7L + 0x2545F4914F6CDD1DL;
  }

  /**
   * The sample indices of partition {@code p}'s shard at ({@code epoch}, {@code step}), in the
   * shard's row order.
   */
  public long[] shardIndices(int epoch, int step, int p) {
    int[] order = localOrder(epoch, p);
    int from = shardStart(p, step), n = shardCount(p, step);
    long[] out = new long[n];
    for (int i = 0; i < n; i++) out[i] = (long) order[from + i] * partitions + p;
    return out;
  }

  /** The plan's parameters in one line (checkpoints compare it on resume). */
  public String describe() {
    return "samples="
        + samples
        + " partitions="
        + partitions
        + " batch="
        + batchSize
        + " shuffle="
        + shuffle
        + " seed="
        + seed;
  }
}
