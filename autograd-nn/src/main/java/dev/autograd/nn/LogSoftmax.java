package dev.autograd.nn;

import dev.autograd.core.Tensor;

/** log(softmax) along {@code dim}, computed max-shifted (core's {@code NnOps.logSoftmax}). */
public class LogSoftmax extends Module {
  private final int dim;

  /** log(softmax(x)) along {@code dim}, computed stably ({@code nn.LogSoftmax(dim)}). */
  public LogSoftmax(int dim) {
    this.dim = dim;
  }

  @Override
  public Tensor forward(Tensor input) {
    return Functional.logSoftmax(input, dim);
  }

  @Override
  protected String extraRepr() {
    return "dim=" + dim;
  }
}
