package dev.autograd.nn.optim;

/** lr = base · gamma^epoch. */
public class ExponentialLR extends LRScheduler {
  private final double gamma;

  /** Multiplies each group's lr by {@code gamma} every epoch ({@code ExponentialLR}). */
  public ExponentialLR(Optimizer optimizer, double gamma) {
    super(optimizer);
    this.gamma = gamma;
  }

  @Override
  protected double lrAt(double baseLr, int epoch) {
    return baseLr * Math.pow(gamma, epoch);
  }
}
