package dev.autograd.nn.optim;

import dev.autograd.core.Tensor;
import java.util.List;

/** Checks of optimizer options; each message names the optimizer, the option and the value. */
final class OptionChecks {
  private OptionChecks() {}

  /**
   * {@code value} must be a finite number >= 0 (learning rates, weight decay, eps, momentum, ...).
   */
  static void nonNegative(String optimizer, String option, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(
          optimizer + ": " + option + " must be a finite number >= 0, got " + value);
    }
  }

  /** {@code value} must lie in [0, 1) (Adam's betas). */
  static void inUnitInterval(String optimizer, String option, double value) {
    if (!(value >= 0 && value < 1)) {
      throw new IllegalArgumentException(
          optimizer + ": " + option + " must be in [0, 1), got " + value);
    }
  }

  /** The parameter list a builder starts from; null is refused here, emptiness by the optimizer. */
  static List<Tensor> params(String optimizer, List<Tensor> params) {
    if (params == null) {
      throw new IllegalArgumentException(
          optimizer + ".with(params): params is null; pass model.parameters()");
    }
    return params;
  }
}
