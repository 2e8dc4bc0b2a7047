package dev.autograd.core;

import java.util.SplittableRandom;

/**
 * A seedable source of random numbers for {@code rand}, {@code randn}, dropout, initialisers and
 * shuffling (PyTorch's {@code torch.Generator}). Thread-safe. The numbers differ from PyTorch's:
 * the same seed gives the same numbers in this library, not the same as in PyTorch.
 */
public final class Generator {
  private static final Generator DEFAULT = new Generator(System.nanoTime());

  private SplittableRandom random;
  private double spareGaussian = Double.NaN;

  /** A generator seeded with {@code seed}, like {@code torch.Generator().manual_seed(seed)}. */
  public Generator(long seed) {
    manualSeed(seed);
  }

  /** The generator used when none is passed; {@link Autograd#manualSeed} reseeds it. */
  public static Generator defaultGenerator() {
    return DEFAULT;
  }

  /** Restarts the sequence from {@code seed}; returns this. */
  public synchronized Generator manualSeed(long seed) {
    random = new SplittableRandom(seed);
    spareGaussian = Double.NaN;
    return this;
  }

  /** Uniform in [0, 1). */
  public synchronized double nextDouble() {
    return random.nextDouble();
  }

  /** Uniform integer in [0, bound). */
  public synchronized long nextLong(long bound) {
    return random.nextLong(bound);
  }

  /** Standard normal (Box-Muller; the second value of each pair is kept for the next call). */
  public synchronized double nextGaussian() {
    if (!Double.isNaN(spareGaussian)) {
      double v = spareGaussian;
      spareGaussian = Double.NaN;
      return v;
    }
    double u1 = 1.0 - random.nextDouble(); // (0, 1]: log stays finite
    double u2 = random.nextDouble();
    double r = Math.sqrt(-2 * Math.log(u1));
    spareGaussian = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }

  /** Fills {@code out} with standard normal samples in one locked pass. */
  public synchronized void fillGaussian(double[] out) {
    for (int i = 0; i < out.length; i++) out[i] = nextGaussian();
  }

  /** Fills {@code out} with uniform samples in [0, 1) in one locked pass. */
  public synchronized void fillUniform(double[] out) {
    for (int i = 0; i < out.length; i++) out[i] = random.nextDouble();
  }
}
