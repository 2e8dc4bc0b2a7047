package dev.autograd.spark;

import dev.autograd.nn.Loss;
import java.io.Serializable;

/**
 * Builds the loss on each executor, e.g. {@code CrossEntropyLoss::new}. It must reduce by the mean.
 */
@FunctionalInterface
public interface LossFactory extends Serializable {
  /** A new loss module (mean reduction). */
  Loss create();
}
