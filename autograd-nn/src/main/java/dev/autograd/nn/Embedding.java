package dev.autograd.nn;

import dev.autograd.core.Generator;
import dev.autograd.core.Tensor;
import dev.autograd.nn.init.Init;

/** A lookup table of numEmbeddings rows of size embeddingDim, initialised N(0, 1); input: INT64 indices. */
public class Embedding extends Module {
  private final int numEmbeddings, embeddingDim;

  public Embedding(int numEmbeddings, int embeddingDim) {
    this(numEmbeddings, embeddingDim, null);
  }

  public Embedding(int numEmbeddings, int embeddingDim, Generator gen) {
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    Init.normal_(registerParameter("weight", Tensor.zeros(numEmbeddings, embeddingDim)), 0, 1, gen);
  }

  public Tensor weight() {
    return parameter("weight");
  }

  @Override
  public Tensor forward(Tensor indices) {
    return Functional.embedding(indices, weight());
  }

  @Override
  protected String extraRepr() {
    return numEmbeddings + ", " + embeddingDim;
  }
}
