package dev.autograd.spark;

import dev.autograd.core.DType;
import dev.autograd.core.Tensor;
import java.io.Serializable;
import java.util.Iterator;

/**
 * The samples of one training partition, packed: features as one row-major array in the model's
 * dtype (half the memory of doubles for FLOAT32 models), labels as doubles. Row {@code r} is the
 * sample with local index {@code r} of {@link BatchPlan}.
 */
final class PartitionData implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The training partition (in {@link BatchPlan}) these samples belong to. */
  final int partition;

  final int rows, featureCount, labelCount;
  private final float[] f32;
  private final double[] f64;
  private final double[] labels;

  private PartitionData(int partition, int rows, int featureCount, int labelCount, DType dtype) {
    this.partition = partition;
    this.rows = rows;
    this.featureCount = featureCount;
    this.labelCount = labelCount;
    long cells = (long) rows * featureCount;
    if (cells > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "a partition of "
              + rows
              + " samples x "
              + featureCount
              + " features exceeds 2^31 values; use more partitions");
    }
    this.f32 = dtype == DType.FLOAT32 ? new float[(int) cells] : null;
    this.f64 = dtype == DType.FLOAT64 ? new double[(int) cells] : null;
    this.labels = new double[rows * labelCount];
  }

  /**
   * Packs the samples of partition {@code p}: {@code (globalIndex, sample)} pairs whose index is
   * {@code p} modulo P, in any order.
   */
  static PartitionData pack(
      int p,
      BatchPlan plan,
      Iterator<scala.Tuple2<Long, Sample>> samples,
      DType dtype,
      int featureCount,
      int labelCount) {
    int rows = plan.partitionSize(p);
    PartitionData d = new PartitionData(p, rows, featureCount, labelCount, dtype);
    boolean[] seen = new boolean[rows];
    int count = 0;
    while (samples.hasNext()) {
      scala.Tuple2<Long, Sample> e = samples.next();
      long global = e._1();
      Sample s = e._2();
      if (global % plan.partitions() != p)
        throw new IllegalStateException(
            "sample " + global + " reached partition " + p + " of " + plan.partitions());
      int r = (int) (global / plan.partitions());
      if (r >= rows || seen[r])
        throw new IllegalStateException(
            "sample " + global + " does not fit partition " + p + " (" + rows + " rows)");
      if (s.featureCount() != featureCount) {
        throw new IllegalArgumentException(
            "sample "
                + global
                + " has "
                + s.featureCount()
                + " features but sample 0 has "
                + featureCount
                + "; every sample needs the same number");
      }
      if (s.labelCount() != labelCount) {
        throw new IllegalArgumentException(
            "sample "
                + global
                + " has "
                + s.labelCount()
                + " label values but sample 0 has "
                + labelCount
                + "; every sample needs the same number");
      }
      seen[r] = true;
      count++;
      int base = r * featureCount;
      for (int j = 0; j < featureCount; j++) {
        if (d.f64 != null) d.f64[base + j] = s.feature(j);
        else d.f32[base + j] = (float) s.feature(j);
      }
      for (int j = 0; j < labelCount; j++) d.labels[r * labelCount + j] = s.labelValue(j);
    }
    if (count != rows)
      throw new IllegalStateException(
          "partition "
              + p
              + " received "
              + count
              + " samples, expected "
              + rows
              + " (did the input change while it was read?)");
    return d;
  }

  /**
   * The features of rows {@code order[from .. from + n)} as a tensor of shape [n, featureShape...].
   */
  Tensor features(int[] order, int from, int n, int[] featureShape) {
    int[] shape = new int[featureShape.length + 1];
    shape[0] = n;
    System.arraycopy(featureShape, 0, shape, 1, featureShape.length);
    if (f64 != null) {
      double[] x = new double[n * featureCount];
      for (int i = 0; i < n; i++)
        System.arraycopy(f64, order[from + i] * featureCount, x, i * featureCount, featureCount);
      return Tensor.of(x, shape);
    }
    float[] x = new float[n * featureCount];
    for (int i = 0; i < n; i++)
      System.arraycopy(f32, order[from + i] * featureCount, x, i * featureCount, featureCount);
    return Tensor.of(x, shape);
  }

  /** The labels of the same rows as a target tensor of {@code kind}. */
  Tensor targets(int[] order, int from, int n, LabelKind kind, DType dtype) {
    return Targets.of(labels, labelCount, order, from, n, kind, dtype);
  }
}
