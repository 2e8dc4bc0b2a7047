package dev.autograd.nn;

import dev.autograd.core.Tensor;

/** Flattens dims startDim..endDim (default 1..-1) into one. */
public class Flatten extends Module {
  private final int startDim, endDim;

  /** Flattens every dimension but the batch one ({@code nn.Flatten()}: start 1, end -1). */
  public Flatten() {
    this(1, -1);
  }

  /** Flattens dimensions {@code startDim..endDim} (inclusive; negative counts from the end). */
  public Flatten(int startDim, int endDim) {
    this.startDim = startDim;
    this.endDim = endDim;
  }

  @Override
  public Tensor forward(Tensor input) {
    return input.flatten(startDim, endDim);
  }

  @Override
  protected String extraRepr() {
    return "start_dim=" + startDim + ", end_dim=" + endDim;
  }
}
