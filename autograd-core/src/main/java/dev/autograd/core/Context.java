package dev.autograd.core;

import dev.autograd.core.engine.SavedTensor;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a custom {@link Function}'s forward leaves for its backward (PyTorch's {@code ctx}): tensors
 * through {@link #saveForBackward}, other values through {@link #put}, and what forward did to its
 * tensors ({@link #markDirty}, {@link #markNonDifferentiable}).
 */
public final class Context {
  private Tensor[] toSave = new Tensor[0];
  private SavedTensor[] saved;
  private final boolean[] needsInputGrad;
  private final Map<String, Object> values = new HashMap<>();
  private final Set<Tensor> dirty = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Set<Tensor> nonDifferentiable = Collections.newSetFromMap(new IdentityHashMap<>());
  private boolean materializeGrads = true;
  private Node node;
  private boolean released;

  Context(boolean[] needsInputGrad) { // made by Function.apply only
    this.needsInputGrad = needsInputGrad;
  }

  /**
   * Keeps tensors for backward; they are checked against later in-place changes (and go through
   * saved-tensor hooks).
   */
  public void saveForBackward(Tensor... tensors) {
    if (saved != null)
      throw new IllegalStateException("saveForBackward can only be called from forward");
    toSave = tensors == null ? new Tensor[0] : tensors.clone();
  }

  /** The tensors given to {@link #saveForBackward}, in order. */
  public Tensor[] savedTensors() {
    if (released) throw Node.freedError();
    if (saved == null) return toSave.clone(); // still in forward
    Tensor[] out = new Tensor[saved.length];
    for (int i = 0; i < saved.length; i++)
      out[i] = saved[i] == null ? null : saved[i].unpack(node, i);
    return out;
  }

  /**
   * Whether input {@code i} needs a gradient (PyTorch's {@code ctx.needs_input_grad[i]}); valid in
   * forward and backward. Throws {@link IndexOutOfBoundsException} naming the input count.
   */
  public boolean needsInputGrad(int i) {
    if (i < 0 || i >= needsInputGrad.length) {
      throw new IndexOutOfBoundsException(
          "needsInputGrad(" + i + "): the function has " + needsInputGrad.length + " inputs");
    }
    return needsInputGrad[i];
  }

  /**
   * Declares that forward modified these inputs in place and returns them as outputs (PyTorch's
   * {@code ctx.mark_dirty}): they keep their identity and get this function as their history.
   */
  public void markDirty(Tensor... tensors) {
    checkForward("markDirty");
    for (Tensor t : tensors)
      dirty.add(java.util.Objects.requireNonNull(t, "markDirty: a tensor is null"));
  }

  /**
   * Declares outputs that have no gradient (indices, masks; PyTorch's {@code
   * ctx.mark_non_differentiable}): they do not require grad, and backward gets zeros for them.
   */
  public void markNonDifferentiable(Tensor... tensors) {
    checkForward("markNonDifferentiable");
    for (Tensor t : tensors)
      nonDifferentiable.add(
          java.util.Objects.requireNonNull(t, "markNonDifferentiable: a tensor is null"));
  }

  /**
   * With {@code false}, backward gets null (not zeros) for outputs that received no gradient
   * (PyTorch's {@code ctx.set_materialize_grads(False)}).
   */
  public void setMaterializeGrads(boolean value) {
    materializeGrads = value;
  }

  /** Stores a non-tensor value for backward ({@code ctx.alpha = ...}). */
  public void put(String key, Object value) {
    values.put(key, value);
  }

  /**
   * Reads a value stored by {@link #put}, cast to the caller's type; throws
   * IllegalArgumentException when no value has that key.
   */
  @SuppressWarnings("unchecked")
  public <T> T get(String key) {
    if (!values.containsKey(key))
      throw new IllegalArgumentException("ctx has no value named '" + key + "'");
    return (T) values.get(key);
  }

  private void checkForward(String what) {
    if (saved != null) throw new IllegalStateException(what + " can only be called from forward");
  }

  // PyTorch: dirty tensors must be inputs returned as outputs; non-differentiable ones must be
  // outputs
  void checkMarked(String owner, Tensor[] inputs, Tensor[] outputs) {
    for (Tensor t : dirty) {
      if (!contains(inputs, t))
        throw new IllegalStateException(
            owner + ": a tensor given to markDirty is not an input of the function");
      if (!contains(outputs, t))
        throw new IllegalStateException(
            owner + ": a tensor given to markDirty must be returned as an output");
    }
    for (Tensor t : nonDifferentiable) {
      if (!contains(outputs, t))
        throw new IllegalStateException(
            owner + ": markNonDifferentiable only accepts outputs of forward");
    }
  }

  private static boolean contains(Tensor[] ts, Tensor t) {
    for (Tensor x : ts) if (x == t) return true;
    return false;
  }

  boolean isDirty(Tensor t) {
    return !dirty.isEmpty() && dirty.contains(t);
  }

  boolean isNonDifferentiable(Tensor t) {
    return !nonDifferentiable.isEmpty() && nonDifferentiable.contains(t);
  }

  boolean materializeGrads() {
    return materializeGrads;
  }

  void freeze(Node owner) {
    node = owner;
    saved = new SavedTensor[toSave.length];
    for (int i = 0; i < toSave.length; i++)
      saved[i] = toSave[i] == null ? null : new SavedTensor(toSave[i]);
    toSave = null;
  }

  void release() {
    saved = null;
    released = true;
  }

  boolean isReleased() {
    return released;
  }
}
