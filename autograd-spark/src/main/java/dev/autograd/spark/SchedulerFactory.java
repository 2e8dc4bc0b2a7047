package dev.autograd.spark;

import dev.autograd.nn.optim.LRScheduler;
import dev.autograd.nn.optim.Optimizer;
import java.io.Serializable;

/**
 * Builds a learning-rate schedule that the trainer steps after every optimizer step, knowing the
 * run's total number of steps, e.g. {@code (opt, total) -> new CosineAnnealingLR(opt, total, 0)}.
 * Serializable: with {@link AllReduce#BARRIER} every task builds its own copy.
 */
@FunctionalInterface
public interface SchedulerFactory extends Serializable {
  /** A new schedule for {@code optimizer} over a run of {@code totalSteps} optimizer steps. */
  LRScheduler create(Optimizer optimizer, int totalSteps);
}
