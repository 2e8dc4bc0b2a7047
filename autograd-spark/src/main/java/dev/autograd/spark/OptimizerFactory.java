package dev.autograd.spark;

import dev.autograd.core.Tensor;
import dev.autograd.nn.optim.Optimizer;
import java.util.List;

/** Builds the optimizer over the driver model's parameters, e.g. {@code params -> new Adam(params, 1e-3)}. */
@FunctionalInterface
public interface OptimizerFactory {
  /** A new optimizer over {@code parameters}, the driver model's parameters. */
  Optimizer create(List<Tensor> parameters);
}
