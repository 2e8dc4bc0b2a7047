package dev.autograd.core.internal;

import dev.autograd.core.Tensor;
import dev.autograd.core.tensor.Storage;

/** Short names for the raw-storage side of {@link TensorAccess}, as the ops and kernels use it. */
public final class Tensors {
  private Tensors() {}

  private static final TensorAccess ACCESS = SharedSecrets.tensors();

  /** The storage {@code t} reads (shared by its views). */
  public static Storage storage(Tensor t) {
    return ACCESS.storage(t);
  }

  /** A contiguous tensor over {@code storage} (not copied), with no history. */
  public static Tensor fromStorage(Storage storage, int... shape) {
    return ACCESS.fromStorage(storage, shape);
  }

  /** {@code t.grad} without counting as a read: see {@link TensorAccess#peekGrad}. */
  public static Tensor peekGrad(Tensor t) {
    return ACCESS.peekGrad(t);
  }

  /**
   * A strided view of {@code source}'s storage with no history; the caller keeps it inside the
   * storage.
   */
  public static Tensor viewOf(Tensor source, int offset, int[] shape, int[] strides) {
    return ACCESS.viewOf(source, offset, shape, strides);
  }
}
