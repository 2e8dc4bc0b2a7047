package dev.autograd.nn.optim;

/** lr = base · gamma^(epoch / stepSize) (integer division). */
public class StepLR extends LRScheduler {
  private final int stepSize;
  private final double gamma;

  /** Multiplies each group's lr by {@code gamma} every {@code stepSize} epochs ({@code StepLR}). */
  public StepLR(Optimizer optimizer, int stepSize, double gamma) {
    super(optimizer);
    if (stepSize <= 0)
      throw new IllegalArgumentException("StepLR: step_size must be positive, got " + stepSize);
    this.stepSize = stepSize;
    this.gamma = gamma;
  }

  @Override
  protected double lrAt(double baseLr, int epoch) {
    return baseLr
        * Math.pow(gamma, Math.floorDiv(epoch, stepSize)); // PyTorch: gamma ** (epoch // step_size)
  }
}
