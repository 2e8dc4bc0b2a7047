package dev.autograd.core;

import dev.autograd.core.engine.SavedTensor;
import java.util.HashMap;
import java.util.Map;

/**
 * What a custom {@link Function}'s forward leaves for its backward (PyTorch's {@code ctx}):
 * tensors through {@link #saveForBackward}, other values through {@link #put}.
 */
public final class Context {
  private Tensor[] toSave = new Tensor[0];
  private SavedTensor[] saved;
  private boolean[] needsInputGrad = new boolean[0];
  private final Map<String, Object> values = new HashMap<>();
  private Node node;
  private boolean released;

  Context() {} // made by Function.apply only

  /** Keeps tensors for backward; they are checked against later in-place changes. */
  public void saveForBackward(Tensor... tensors) {
    toSave = tensors.clone();
  }

  /** The tensors given to {@link #saveForBackward}, in order. */
  public Tensor[] savedTensors() {
    if (released) throw Node.freedError();
    if (saved == null) return toSave.clone(); // still in forward
    Tensor[] out = new Tensor[saved.length];
    for (int i = 0; i < saved.length; i++) out[i] = saved[i] == null ? null : saved[i].unpack(node, i);
    return out;
  }

  /** Whether input {@code i} needs a gradient (PyTorch's {@code ctx.needs_input_grad[i]}). */
  public boolean needsInputGrad(int i) {
    return needsInputGrad[i];
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
    if (!values.containsKey(key)) throw new IllegalArgumentException("ctx has no value named '" + key + "'");
    return (T) values.get(key);
  }

  void freeze(Node owner, boolean[] needs) {
    node = owner;
    needsInputGrad = needs;
    saved = new SavedTensor[toSave.length];
    for (int i = 0; i < toSave.length; i++) saved[i] = toSave[i] == null ? null : new SavedTensor(toSave[i]);
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
