package dev.autograd.core.engine;

import dev.autograd.core.DType;
import dev.autograd.core.Node;
import dev.autograd.core.Tensor;
import dev.autograd.core.ops.OpDef;

/**
 * The node of one op-table entry: it keeps what it recorded (the entry, the call's attributes and
 * the saved values), so a tracer, a renderer or a hook can read it, and its backward is the entry's
 * derivative.
 */
public final class OpNode extends Node {
  private final OpDef<Object> def;
  private final Object attrs;
  private SavedTensor[] saved;
  private boolean released;

  @SuppressWarnings("unchecked")
  OpNode(OpDef<?> def, Object attrs, Node[] next, int[][] shapes, DType[] dtypes, Tensor[] saved) {
    super(def.nodeName(), next, shapes, dtypes);
    this.def = (OpDef<Object>) def;
    this.attrs = attrs;
    if (saved != null && saved.length > 0) {
      this.saved = new SavedTensor[saved.length];
      for (int i = 0; i < saved.length; i++) {
        if (saved[i] != null) this.saved[i] = new SavedTensor(saved[i]);
      }
    }
  }

  /** The op-table entry this node recorded. */
  public OpDef<?> def() {
    return def;
  }

  /** The attributes of the recorded call (dims, exponent, geometry), or null. */
  public Object attrs() {
    return attrs;
  }

  /** Saved tensor {@code i}, checked against in-place modification and release. */
  public Tensor saved(int i) {
    if (released) throw freedError();
    SavedTensor s = saved[i];
    return s == null ? null : s.unpack(this, i);
  }

  /** Shapes of the tensors this node saved for backward (empty once they are freed). */
  public java.util.List<int[]> savedShapes() {
    java.util.List<int[]> out = new java.util.ArrayList<>();
    if (saved == null) return out;
    for (SavedTensor s : saved) if (s != null) out.add(s.shape());
    return out;
  }

  /** The number of inputs (edges) of this node. */
  public int inputCount() {
    return next.length;
  }

  /** The shape input {@code i} had when recorded (not a copy: do not modify). */
  public int[] inputShape(int i) {
    return inputShapes[i];
  }

  /** The dtype input {@code i} had when recorded. */
  public DType inputDtype(int i) {
    return inputDtypes[i];
  }

  /** True when input {@code i} needs a gradient (skip computing the others). */
  public boolean needsGrad(int i) {
    return next[i] != null;
  }

  /**
   * The leaf whose existing {@code .grad} the derivative running now may add input {@code i}'s
   * gradient into, in place, returning null for that input (an entry built with {@code
   * addsIntoGrads}); null when the engine must receive the gradient (a graph of the backward is
   * recorded, hooks or anomaly mode watch it, or the input is not a leaf). The derivative still
   * checks the {@code .grad} itself, under the leaf's lock, as accumulation does.
   */
  public Tensor gradTarget(int i) {
    return Engine.gradTarget(this, i);
  }

  @Override
  protected Tensor[] apply(Tensor g) {
    if (released) throw freedError();
    return def.derivative(g, this, attrs);
  }

  @Override
  protected void release() {
    if (saved == null) return;
    released = true;
    for (SavedTensor s : saved) if (s != null) s.release();
    saved = null;
  }
}
