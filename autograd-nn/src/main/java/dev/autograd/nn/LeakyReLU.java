package dev.autograd.nn;

import dev.autograd.core.Tensor;

/** x where x > 0, else negativeSlope · x (default 0.01). */
public class LeakyReLU extends Module {
  private final double negativeSlope;

  /** LeakyReLU with slope 0.01 below zero ({@code nn.LeakyReLU()}). */
  public LeakyReLU() {
    this(0.01);
  }

  /** LeakyReLU with the given slope below zero. */
  public LeakyReLU(double negativeSlope) {
    this.negativeSlope = negativeSlope;
  }

  @Override
  public Tensor forward(Tensor input) {
    return Functional.leakyRelu(input, negativeSlope);
  }

  @Override
  protected String extraRepr() {
    return "negative_slope=" + Repr.pyFloat(negativeSlope);
  }
}
