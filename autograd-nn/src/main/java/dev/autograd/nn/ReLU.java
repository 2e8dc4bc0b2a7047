package dev.autograd.nn;

import dev.autograd.core.Tensor;

/** max(x, 0) element-wise. */
public class ReLU extends Module {
  /** max(x, 0) element-wise ({@code nn.ReLU()}). */
  public ReLU() {}

  @Override
  public Tensor forward(Tensor input) {
    return Functional.relu(input);
  }
}
