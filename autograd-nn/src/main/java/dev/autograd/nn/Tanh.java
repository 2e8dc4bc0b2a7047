package dev.autograd.nn;

import dev.autograd.core.Tensor;

/** tanh(x) element-wise. */
public class Tanh extends Module {
  public Tanh() {}

  @Override
  public Tensor forward(Tensor input) {
    return Functional.tanh(input);
  }
}
