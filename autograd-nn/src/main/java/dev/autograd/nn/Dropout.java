package dev.autograd.nn;

import dev.autograd.core.Generator;
import dev.autograd.core.Tensor;

/**
 * In training mode, zeroes each element with probability p and scales the others by 1/(1-p); the
 * identity in eval mode. Masks come from the given generator (seeded runs repeat), or inside a
 * {@link SampleKeys} scope from per-sample streams (the same mask for a sample in any batch).
 */
public class Dropout extends Module {
  private final double p;
  private final Generator gen;

  /** Dropout with probability 0.5 ({@code nn.Dropout()}). */
  public Dropout() {
    this(0.5, null);
  }

  /**
   * Dropout that zeroes each element with probability {@code p} in training and scales the rest by
   * 1/(1-p); throws IllegalArgumentException unless p is in [0, 1].
   */
  public Dropout(double p) {
    this(p, null);
  }

  /** {@code gen} null means the default generator. */
  public Dropout(double p, Generator gen) {
    if (p < 0 || p > 1)
      throw new IllegalArgumentException(
          "dropout probability has to be between 0 and 1, but got " + p);
    this.p = p;
    this.gen = gen;
  }

  @Override
  public Tensor forward(Tensor input) {
    SampleKeys keys = SampleKeys.current();
    if (keys != null && isTraining()) return keys.dropout(input, p);
    return Functional.dropout(input, p, isTraining(), gen);
  }

  @Override
  protected String extraRepr() {
    return "p=" + Repr.pyFloat(p) + ", inplace=False";
  }
}
