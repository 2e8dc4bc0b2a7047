package dev.autograd.nn;

import dev.autograd.core.Tensor;

/** x · Φ(x) element-wise (the exact, erf-based GELU; PyTorch's approximate='none'). */
public class GELU extends Module {
  /** The exact (erf-based) GELU ({@code nn.GELU()}). */
  public GELU() {}

  @Override
  public Tensor forward(Tensor input) {
    return Functional.gelu(input);
  }

  @Override
  protected String extraRepr() {
    return "approximate='none'";
  }
}
