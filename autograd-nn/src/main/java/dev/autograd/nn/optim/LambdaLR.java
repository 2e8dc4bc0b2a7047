package dev.autograd.nn.optim;

import java.util.function.IntToDoubleFunction;

/** lr = base · lambda(epoch). */
public class LambdaLR extends LRScheduler {
  private final IntToDoubleFunction lambda;

  /** Sets each group's lr to its initial lr times {@code lambda(epoch)} ({@code LambdaLR}). */
  public LambdaLR(Optimizer optimizer, IntToDoubleFunction lambda) {
    super(optimizer);
    this.lambda = lambda;
  }

  @Override
  protected double lrAt(double baseLr, int epoch) {
    return baseLr * lambda.applyAsDouble(epoch);
  }
}
