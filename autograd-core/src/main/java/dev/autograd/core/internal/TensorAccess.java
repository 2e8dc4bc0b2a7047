package dev.autograd.core.internal;

import dev.autograd.core.Node;
import dev.autograd.core.Tensor;
import dev.autograd.core.tensor.Storage;

/**
 * The engine hooks and raw storage of {@link Tensor}, reached through {@link
 * SharedSecrets#tensors()} (or {@link Tensors}).
 */
public interface TensorAccess {
  /** The node gradients of {@code t} flow into: its grad_fn, or its AccumulateGrad if a leaf. */
  Node gradEdge(Tensor t);

  /** Gives the freshly computed tensor {@code t} its history ({@code t} then requires grad). */
  void attachGradFn(Tensor t, Node node);

  /** The storage {@code t} reads (shared by its views). */
  Storage storage(Tensor t);

  /** A contiguous tensor over {@code storage} (not copied), with no history. */
  Tensor fromStorage(Storage storage, int... shape);

  /**
   * A strided view of {@code source}'s storage with no history; the caller keeps it inside the
   * storage.
   */
  Tensor viewOf(Tensor source, int offset, int[] shape, int[] strides);

  /**
   * Gives {@code base} the history {@code node} after an in-place op on one of its views; its views
   * then regenerate theirs.
   */
  void rebaseHistory(Tensor base, Node node);

  /** Marks an output of split/chunk (in-place on it is refused when it requires grad). */
  void markMultiOutputView(Tensor t);

  boolean isMultiOutputView(Tensor t);

  /**
   * {@code t.grad} without counting as a read (the engine, built-in optimizers): it may still be
   * recycled.
   */
  Tensor peekGrad(Tensor t);

  /**
   * Sets {@code t.grad} to {@code g}, a gradient the engine made and nothing else references: until
   * someone reads it through {@link Tensor#grad()}, replacing it recycles its array.
   */
  void setEngineGrad(Tensor t, Tensor g);
}
