package dev.autograd.core.engine;

import dev.autograd.core.DType;
import dev.autograd.core.Tensor;

/** The node of a leaf that requires grad: the end of every backward path into that leaf. */
public final class AccumulateGrad extends Node {
  private final Tensor leaf;

  public AccumulateGrad(Tensor leaf) {
    super("AccumulateGrad", new Node[0], new int[0][], new DType[0]);
    this.leaf = leaf;
  }

  /** The leaf tensor whose {@code .grad} this node fills. */
  public Tensor variable() {
    return leaf;
  }

  @Override
  protected Tensor[] apply(Tensor g) {
    throw new UnsupportedOperationException("AccumulateGrad is handled by the engine");
  }
}
