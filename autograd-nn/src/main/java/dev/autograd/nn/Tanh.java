package dev.autograd.nn;

import dev.autograd.core.Tensor;

/** tanh(x) element-wise. */
public class Tanh extends Module {
  /** tanh(x) element-wise ({@code nn.Tanh()}). */
  public Tanh() {}

  @Override
  public Tensor forward(Tensor input) {
    return Functional.tanh(input);
  }
}
