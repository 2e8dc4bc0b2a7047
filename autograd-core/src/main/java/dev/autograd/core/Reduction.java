package dev.autograd.core;

import java.util.Locale;

/** How a loss reduces its per-element values: PyTorch's {@code reduction='mean'|'sum'|'none'}. */
public enum Reduction {
  /** The mean of the per-element losses (weighted mean for class-weighted losses). */
  MEAN,
  /** The sum of the per-element losses. */
  SUM,
  /** No reduction: the per-element losses. */
  NONE;

  /** Parses PyTorch's spelling ({@code "mean"}, {@code "sum"}, {@code "none"}). */
  public static Reduction of(String name) {
    switch (name.toLowerCase(Locale.ROOT)) {
      case "mean":
        return MEAN;
      case "sum":
        return SUM;
      case "none":
        return NONE;
      default:
        throw new IllegalArgumentException(
            name + " is not a valid value for reduction (expected 'mean', 'sum' or 'none')");
    }
  }

  /** PyTorch's spelling of this reduction. */
  public String torchName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
