package dev.autograd.nn;

import dev.autograd.core.Tensor;

/** 1 / (1 + e^-x) element-wise. */
public class Sigmoid extends Module {
  /** 1 / (1 + e^-x) element-wise ({@code nn.Sigmoid()}). */
  public Sigmoid() {}

  @Override
  public Tensor forward(Tensor input) {
    return Functional.sigmoid(input);
  }
}
