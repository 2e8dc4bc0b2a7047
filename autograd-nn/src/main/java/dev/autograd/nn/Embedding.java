package dev.autograd.nn;

import dev.autograd.core.Autograd;
import dev.autograd.core.Generator;
import dev.autograd.core.GradMode;
import dev.autograd.core.Tensor;
import dev.autograd.nn.init.Init;

/**
 * A lookup table of numEmbeddings rows of size embeddingDim, initialised N(0, 1); input: INT64
 * indices of any shape, output [*, embeddingDim]. An optional paddingIdx row starts at zero and
 * receives no gradient.
 */
public class Embedding extends Module {
  private final int numEmbeddings, embeddingDim;
  private final Long paddingIdx;

  /**
   * A lookup table of {@code numEmbeddings} vectors of size {@code embeddingDim}, initialised N(0,
   * 1) ({@code nn.Embedding}).
   */
  public Embedding(int numEmbeddings, int embeddingDim) {
    this(numEmbeddings, embeddingDim, null, null);
  }

  /** As {@link #Embedding(int, int)}, with the initial weights drawn from {@code gen}. */
  public Embedding(int numEmbeddings, int embeddingDim, Generator gen) {
    this(numEmbeddings, embeddingDim, null, gen);
  }

  /** {@code paddingIdx} may be null (none) or negative (counted from the end). */
  public Embedding(int numEmbeddings, int embeddingDim, Long paddingIdx, Generator gen) {
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    Long padding = paddingIdx;
    if (padding != null && padding < 0) padding = padding + numEmbeddings;
    this.paddingIdx = padding;
    if (this.paddingIdx != null && (this.paddingIdx < 0 || this.paddingIdx >= numEmbeddings)) {
      throw new IllegalArgumentException(
          "Embedding: padding_idx must be within num_embeddings, got " + paddingIdx);
    }
    Tensor w =
        Init.normal_(
            registerParameter("weight", Tensor.zeros(numEmbeddings, embeddingDim)), 0, 1, gen);
    if (this.paddingIdx != null) {
      try (GradMode.Scope s = Autograd.noGrad()) {
        w.select(0, (int) (long) this.paddingIdx).fill_(0);
      }
    }
  }

  /** The table [numEmbeddings, embeddingDim]. */
  public Tensor weight() {
    return parameter("weight");
  }

  @Override
  public Tensor forward(Tensor indices) {
    return paddingIdx == null
        ? Functional.embedding(indices, weight())
        : Functional.embedding(indices, weight(), paddingIdx);
  }

  @Override
  protected String extraRepr() {
    return numEmbeddings
        + ", "
        + embeddingDim
        + (paddingIdx == null ? "" : ", padding_idx=" + paddingIdx);
  }
}
