package dev.autograd.core.ops;

import dev.autograd.core.Tensor;

/** The op table's embedding entries: rows of a table picked by index, and their adjoint. */
public final class Embedding {
  private Embedding() {}

  // ===============================================================================================
  // Entries: embedding (a take of rows: P = 1, M = V rows of width D) and its backward (a put)
  // ===============================================================================================

  // d embedding = embedding_dense_backward(g): g's rows added back at their indices (none at
  // padding_idx)
  public static final OpDef<RowGather.Rows> EMBEDDING =
      RowGather.takeEntry("EmbeddingBackward0", () -> Embedding.EMBEDDING_BACKWARD);
  // d embedding_dense_backward = embedding of gg (zero at padding_idx)
  public static final OpDef<RowGather.Rows> EMBEDDING_BACKWARD =
      RowGather.putEntry("EmbeddingDenseBackward0", () -> Embedding.EMBEDDING);

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
    if (weight.dim() != 2)
      throw new IllegalArgumentException(
          "embedding: 'weight' must be 2-D, got " + NnSupport.str(weight));
    int v = weight.size(0), d = weight.size(1);
    long[] idx = Creation.indexValuesForCheck(indices); // the row gather checks them again
    for (long i : idx) {
      if (i < 0 || i >= v)
        throw new IndexOutOfBoundsException(
            "embedding: index " + i + " is out of range for a table of " + v + " rows");
    }
    int[] shape = java.util.Arrays.copyOf(indices.shapeRef(), indices.dim() + 1);
    shape[indices.dim()] = d;
    long skip = -1;
    if (paddingIdx != null) {
      skip = paddingIdx < 0 ? paddingIdx + v : paddingIdx;
      if (skip < 0 || skip >= v)
        throw new IllegalArgumentException(
            "embedding: padding_idx " + paddingIdx + " must be within num_embeddings (" + v + ")");
    }
    return EMBEDDING.call(
        new RowGather.Rows(1, v, d, idx.length, weight.shape(), shape, skip, false),
        weight,
        indices);
  }
}
