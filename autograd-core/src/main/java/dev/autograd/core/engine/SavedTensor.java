package dev.autograd.core.engine;

import dev.autograd.core.Node;
import dev.autograd.core.Tensor;
import dev.autograd.core.internal.SharedSecrets;

/**
 * A tensor an op kept for its derivative, with the storage version it had when saved. Unpacking
 * checks the version, so an in-place write after saving is an error instead of a wrong gradient.
 */
public final class SavedTensor {
  /**
   * The saved tensor, or with saved-tensor hooks its {@link Packed} form (one field, so saves stay
   * small); null once freed.
   */
  private Object held;

  private final int savedVersion;

  /** The node that produced the saved tensor, when it had one (named in the error message). */
  private final String producer;

  /** What pack returned, the hooks, and the saved tensor's gradient edge and shape. */
  private record Packed(Object value, SavedTensorHooks.Pair hooks, Node edge, int[] shape) {}

  /**
   * Saves {@code value}, through the pack hook of the innermost saved-tensor hooks when there are
   * some.
   */
  public SavedTensor(Tensor value) {
    this.savedVersion = value.version();
    this.producer = value.gradFn() == null ? null : value.gradFn().name();
    SavedTensorHooks.Pair h = SavedTensorHooks.current();
    if (h == null) {
      this.held = value;
      return;
    }
    if (dev.autograd.core.compile.Tracer.active)
      dev.autograd.core.compile.Tracer.unsupported(
          "saved-tensor hooks (their Java pack and unpack are opaque to a trace)");
    Node edge = value.requiresGrad() ? SharedSecrets.tensors().gradEdge(value) : null;
    this.held = new Packed(SavedTensorHooks.pack(h, value), h, edge, value.shape());
  }

  /** The saved tensor; throws PyTorch's error if it was freed or modified in place. */
  public Tensor unpack(Node owner, int index) {
    Object h = held;
    if (!(h instanceof Tensor)) {
      if (h == null) throw freedError();
      return unpackHooked((Packed) h, owner);
    }
    Tensor value = (Tensor) h;
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

  // the unpack hook's tensor, given the saved tensor's history (as PyTorch does), so double
  // backward reaches its inputs
  private static Tensor unpackHooked(Packed p, Node owner) {
    Tensor t = p.hooks().unpack().apply(p.value());
    if (t == null)
      throw new IllegalStateException(
          "the unpack hook of savedTensorsHooks returned null for a tensor saved by "
              + owner.name());
    if (!java.util.Arrays.equals(t.shapeRef(), p.shape())) {
      throw new IllegalStateException(
          "the unpack hook of savedTensorsHooks returned a tensor of shape "
              + java.util.Arrays.toString(t.shapeRef())
              + " for a tensor of shape "
              + java.util.Arrays.toString(p.shape())
              + " saved by "
              + owner.name());
    }
    if (p.edge() == null) return t.requiresGrad() ? t.detach() : t;
    return Graph.attach(t.detach(), p.edge());
  }

  /** The saved tensor's shape, without the version check (for display). */
  public int[] shape() {
    Object h = held;
    if (h instanceof Packed) return ((Packed) h).shape().clone();
    return h == null ? new int[0] : ((Tensor) h).shape();
  }

  void release() {
    held = null;
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
