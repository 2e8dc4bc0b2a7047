package dev.autograd.nn;

import dev.autograd.core.Reduction;
import dev.autograd.core.Tensor;

/** A loss module: {@link #forward(Tensor, Tensor)} of an input and a target, with a reduction. */
public abstract class Loss extends Module {
  /** How per-element losses are combined (mean, sum or none). */
  protected final Reduction reduction;

  /** For subclasses: a loss that combines per-element losses by {@code reduction}. */
  protected Loss(Reduction reduction) {
    this.reduction = reduction;
  }

  /** The loss of {@code input} against {@code target}. */
  public abstract Tensor forward(Tensor input, Tensor target);

  /**
   * {@link #forward(Tensor, Tensor)}; Kotlin's call operator: {@code criterion(output, target)}.
   */
  public Tensor invoke(Tensor input, Tensor target) {
    return forward(input, target);
  }

  /**
   * Losses need a target: this one-argument form is an error pointing to {@link #forward(Tensor,
   * Tensor)}.
   */
  @Override
  public Tensor forward(Tensor input) {
    throw new UnsupportedOperationException(
        getClass().getSimpleName() + " takes an input and a target: call forward(input, target)");
  }

  /** How this loss combines per-element losses. */
  public Reduction reduction() {
    return reduction;
  }
}
