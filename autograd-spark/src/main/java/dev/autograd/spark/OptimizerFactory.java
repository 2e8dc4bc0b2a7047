package dev.autograd.spark;

import dev.autograd.core.Tensor;
import dev.autograd.nn.optim.Optimizer;
import java.io.Serializable;
import java.util.List;

/**
 * Builds the optimizer over a model's parameters, e.g. {@code params -> new Adam(params, 1e-3)}: on
 * the driver, and with {@link AllReduce#BARRIER} on every task, whose replica applies the same
 * update. Serializable, so a lambda can be shipped to the executors.
 */
@FunctionalInterface
public interface OptimizerFactory extends Serializable {
  /** A new optimizer over {@code parameters}, the driver model's parameters. */
  Optimizer create(List<Tensor> parameters);
}
