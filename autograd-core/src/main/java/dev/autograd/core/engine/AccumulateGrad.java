package dev.autograd.core.engine;

import dev.autograd.core.DType;
import dev.autograd.core.Tensor;

/** The node of a leaf that requires grad: the end of every backward path into that leaf. */
public final class AccumulateGrad extends Node {
  private final Tensor leaf;

  private static final Node[] NO_NODES = {};
  private static final int[][] NO_SHAPES = {};
  private static final DType[] NO_DTYPES = {};

  public AccumulateGrad(Tensor leaf) {
    super("AccumulateGrad", NO_NODES, NO_SHAPES, NO_DTYPES);
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
