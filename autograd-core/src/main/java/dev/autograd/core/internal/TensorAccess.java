package dev.autograd.core.internal;

import dev.autograd.core.Node;
import dev.autograd.core.Tensor;

/** The engine hooks of {@link Tensor}, reached through {@link SharedSecrets#tensors()}. */
public interface TensorAccess {
  /** The node gradients of {@code t} flow into: its grad_fn, or its AccumulateGrad if a leaf. */
  Node gradEdge(Tensor t);

  /** Gives the freshly computed tensor {@code t} its history ({@code t} then requires grad). */
  void attachGradFn(Tensor t, Node node);
}
