package dev.autograd.core.ops;

import dev.autograd.core.DType;
import dev.autograd.core.Tensor;
import dev.autograd.core.engine.Graph;

/**
 * Row gathers by index and their adjoint scatter-adds. With x viewed as [P, M, D] and indices
 * [P, L] into M, {@code take} gives y[p, l, :] = x[p, idx[p, l], :] and {@code put} adds rows
 * back. Each is the other's derivative, so both have gradients of every order. Embedding is
 * P = 1 (a table of M rows of width D); max pooling is one plane per P with D = 1.
 */
public final class Embedding {
  private Embedding() {}

  /** Rows of {@code weight} [V, D] picked by INT64 {@code indices} of any shape: [*, D]. */
  public static Tensor embedding(Tensor weight, Tensor indices) {
    return embedding(weight, indices, null);
  }

  /**
   * Like {@link #embedding(Tensor, Tensor)}; the row {@code paddingIdx} (nullable; negative counts
   * from the end) gets no gradient, as PyTorch's {@code padding_idx}.
   */
  public static Tensor embedding(Tensor weight, Tensor indices, Long paddingIdx) {
    NnSupport.requireFloat("embedding", "weight", weight);
    NnSupport.requireLong("embedding", "indices", indices);
    if (weight.dim() != 2) throw new IllegalArgumentException("embedding: 'weight' must be 2-D, got " + NnSupport.str(weight));
    int v = weight.size(0), d = weight.size(1);
    long[] idx = indices.toLongArray();
    for (long i : idx) {
      if (i < 0 || i >= v) throw new IndexOutOfBoundsException("embedding: index " + i + " is out of range for a table of " + v + " rows");
    }
    int[] shape = java.util.Arrays.copyOf(indices.shapeRef(), indices.dim() + 1);
    shape[indices.dim()] = d;
    long skip = -1;
    if (paddingIdx != null) {
      skip = paddingIdx < 0 ? paddingIdx + v : paddingIdx;
      if (skip < 0 || skip >= v) throw new IllegalArgumentException("embedding: padding_idx " + paddingIdx + " must be within num_embeddings (" + v + ")");
    }
    Plan plan = new Plan("EmbeddingBackward0", "EmbeddingDenseBackward0", idx, 1, v, d, idx.length, weight.shape(), shape);
    plan.skip = skip;
    return take(weight, plan, false);
  }

  /** The shape bookkeeping of one gather: names of both nodes, indices and the two shapes. */
  static final class Plan {
    final String takeName, putName;
    final long[] idx;
    final int p, m, d, l;
    final int[] sourceShape, outShape;
    /** A source row that receives no gradient (padding_idx), or -1. */
    long skip = -1;

    Plan(String takeName, String putName, long[] idx, int p, int m, int d, int l, int[] sourceShape, int[] outShape) {
      this.takeName = takeName;
      this.putName = putName;
      this.idx = idx;
      this.p = p;
      this.m = m;
      this.d = d;
      this.l = l;
      this.sourceShape = sourceShape;
      this.outShape = outShape;
    }
  }

  /**
   * y[p, l, :] = x[p, idx[p, l], :] (zero for the skipped row when {@code zeroSkipped}: the
   * adjoint of put); gradient: put(g).
   */
  static Tensor take(Tensor x, Plan plan, boolean zeroSkipped) {
    Tensor src = NnSupport.dense(x);
    Tensor y = Tensor.empty(x.dtype(), plan.outShape);
    boolean f32 = x.dtype() == DType.FLOAT32;
    Object in = f32 ? src.storage().floats() : src.storage().doubles();
    Object out = f32 ? y.storage().floats() : y.storage().doubles();
    int off = src.storageOffset();
    for (int p = 0; p < plan.p; p++) {
      for (int l = 0; l < plan.l; l++) {
        long i = plan.idx[p * plan.l + l];
        if (zeroSkipped && i == plan.skip) continue;
        int from = off + (p * plan.m + (int) i) * plan.d, to = (p * plan.l + l) * plan.d;
        if (plan.d == 1 && f32) {
          ((float[]) out)[to] = ((float[]) in)[from];
        } else {
          System.arraycopy(in, from, out, to, plan.d);
        }
      }
    }
    return Graph.record(plan.takeName, y, new Tensor[] {x}, null, (g, n) -> new Tensor[] {put(g, plan)});
  }

  /** out[p, idx[p, l], :] += g[p, l, :] (zeros elsewhere and at the skipped row); gradient: take(g). */
  static Tensor put(Tensor g, Plan plan) {
    Tensor src = NnSupport.dense(g);
    Tensor y = Tensor.empty(g.dtype(), plan.sourceShape);
    int off = src.storageOffset();
    float[] inF = null, outF = null;
    double[] inD = null, outD = null;
    if (g.dtype() == DType.FLOAT32) {
      inF = src.storage().floats();
      outF = y.storage().floats();
    } else {
      inD = src.storage().doubles();
      outD = y.storage().doubles();
    }
    for (int p = 0; p < plan.p; p++) {
      for (int l = 0; l < plan.l; l++) {
        long i = plan.idx[p * plan.l + l];
        if (i == plan.skip) continue;
        int to = (p * plan.m + (int) i) * plan.d;
        int from = off + (p * plan.l + l) * plan.d;
        if (outF != null) {
          for (int j = 0; j < plan.d; j++) outF[to + j] += inF[from + j];
        } else {
          for (int j = 0; j < plan.d; j++) outD[to + j] += inD[from + j];
        }
      }
    }
    return Graph.record(plan.putName, y, new Tensor[] {g}, null, (gg, n) -> new Tensor[] {take(gg, plan, true)});
  }
}
