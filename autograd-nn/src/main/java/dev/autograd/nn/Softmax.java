package dev.autograd.nn;

import dev.autograd.core.Tensor;

/** softmax along {@code dim}, computed max-shifted (core's {@code NnOps.softmax}). */
public class Softmax extends Module {
  private final int dim;

  /** softmax along {@code dim} ({@code nn.Softmax(dim)}). */
  public Softmax(int dim) {
    this.dim = dim;
  }

  @Override
  public Tensor forward(Tensor input) {
    return Functional.softmax(input, dim);
  }

  @Override
  protected String extraRepr() {
    return "dim=" + dim;
  }
}
