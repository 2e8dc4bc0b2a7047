package dev.autograd.nn;

import dev.autograd.core.Tensor;

/** x · sigmoid(x) element-wise (swish). */
public class SiLU extends Module {
  /** x * sigmoid(x) element-wise ({@code nn.SiLU()}). */
  public SiLU() {}

  @Override
  public Tensor forward(Tensor input) {
    return Functional.silu(input);
  }
}
