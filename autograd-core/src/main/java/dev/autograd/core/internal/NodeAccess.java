package dev.autograd.core.internal;

import dev.autograd.core.DType;
import dev.autograd.core.Node;
import dev.autograd.core.Tensor;

/** The engine-facing members of {@link Node}, reached through {@link SharedSecrets#nodes()}. */
public interface NodeAccess {
  /** Gradients of the node's inputs, given the gradient {@code g} of its output. */
  Tensor[] apply(Node node, Tensor g);

  /** Frees the node's saved tensors (backward without {@code retainGraph}). */
  void release(Node node);

  /**
   * The nodes of the node's inputs (null where an input needs no gradient). The array itself: do
   * not modify.
   */
  Node[] next(Node node);

  /** The shapes of the node's inputs. The array itself: do not modify. */
  int[][] inputShapes(Node node);

  /** The dtypes of the node's inputs. The array itself: do not modify. */
  DType[] inputDtypes(Node node);

  /** The non-leaf tensor whose {@code .grad} backward fills ({@code retainGrad()}), or null. */
  Tensor retainedOutput(Node node);

  /** Makes backward fill {@code t.grad} with the gradient arriving at {@code node}. */
  void retainOutput(Node node, Tensor t);

  /** True when hooks are registered on the node (the engine then never owns its gradient). */
  boolean hasHooks(Node node);

  /** The gradient arriving at the node after its pre-hooks (and the tensor hooks of its output). */
  Tensor runPreHooks(Node node, Tensor g);

  /** The input gradients after the node's post-hooks. */
  Tensor[] runPostHooks(Node node, Tensor[] gradInputs, Tensor g);

  /** Where the forward pass created the node (anomaly mode), or null. */
  StackTraceElement[] forwardCallSite(Node node);
}
