package dev.autograd.core.engine;

import dev.autograd.core.Node;
import dev.autograd.core.Tensor;

/**
 * A tensor an op kept for its derivative, with the storage version it had when saved. Unpacking
 * checks the version, so an in-place write after saving is an error instead of a wrong gradient.
 */
public final class SavedTensor {
  private Tensor value;
  private final int savedVersion;
  /** The node that produced the saved tensor, when it had one (named in the error message). */
  private final String producer;

  public SavedTensor(Tensor value) {
    this.value = value;
    this.savedVersion = value.version();
    this.producer = value.gradFn() == null ? null : value.gradFn().name();
  }

  /** The saved tensor; throws PyTorch's error if it was freed or modified in place. */
  public Tensor unpack(Node owner, int index) {
    if (value == null) throw freedError();
    int now = value.version();
    if (now != savedVersion) {
      throw new IllegalStateException(
          "one of the variables needed for gradient computation has been modified by an inplace"
              + " operation: ["
              + value.dtype().torchName()
              + " "
              + java.util.Arrays.toString(value.shape())
              + "]"
              + (producer == null ? "" : ", which is output 0 of " + producer)
              + ", is at version "
              + now
              + "; expected version "
              + savedVersion
              + " instead (saved by "
              + owner.name()
              + " as its input "
              + index
              + "). Hint: use the out-of-place op, or clone() the tensor before changing it in"
              + " place.");
    }
    return value;
  }

  /** The saved tensor's shape, without the version check (for display). */
  public int[] shape() {
    return value == null ? new int[0] : value.shape();
  }

  void release() {
    value = null;
  }

  /** PyTorch's error for a backward through a graph whose saved values were freed. */
  public static IllegalStateException freedError() {
    return new IllegalStateException(
        "Trying to backward through the graph a second time (or directly access saved tensors"
            + " after they have already been freed). Saved intermediate values of the graph are"
            + " freed when you call backward() or Autograd.grad(). Pass retainGraph = true if you"
            + " need to backward through the graph a second time or if you need to access saved"
            + " tensors after calling backward.");
  }
}
