package dev.autograd.nn.optim;

/** lr = etaMin + (base - etaMin) · (1 + cos(π · epoch / tMax)) / 2 (the closed form). */
public class CosineAnnealingLR extends LRScheduler {
  private final int tMax;
  private final double etaMin;

  /**
   * Anneals each group's lr from its initial value to {@code etaMin} along a half cosine over
   * {@code tMax} epochs ({@code CosineAnnealingLR}).
   */
  public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
    super(optimizer);
    if (tMax <= 0)
      throw new IllegalArgumentException("CosineAnnealingLR: T_max must be positive, got " + tMax);
    this.tMax = tMax;
    this.etaMin = etaMin;
  }

  @Override
  protected double lrAt(double baseLr, int epoch) {
    return etaMin + (baseLr - etaMin) * (1 + Math.cos(Math.PI * epoch / tMax)) / 2;
  }
}
