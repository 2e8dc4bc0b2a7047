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

  /**
   * The saved values: null (none), one {@link SavedTensor} at position {@link #savedIndex} when
   * only one of the entry's saved values is there (most derivatives save one), a {@code
   * SavedTensor[]}, or {@link #RELEASED} once backward freed them (no separate flag, no array for
   * one value: op nodes are most of a scalar graph's memory).
   */
  private Object saved;

  /** The position of the one saved value when {@link #saved} is a single {@link SavedTensor}. */
  private byte savedIndex;

  private static final Object RELEASED = new Object();

  @SuppressWarnings("unchecked")
  OpNode(OpDef<?> def, Object attrs, Node[] next, int[][] shapes, DType[] dtypes, Tensor[] saved) {
    super(def.nodeName(), next, shapes, dtypes);
    this.def = (OpDef<Object>) def;
    this.attrs = attrs;
    int only = saved == null || saved.length > Byte.MAX_VALUE ? -1 : onlyNonNull(saved);
    if (only >= 0) {
      this.saved = new SavedTensor(saved[only]);
      this.savedIndex = (byte) only;
    } else if (saved != null && saved.length > 0) {
      SavedTensor[] s = new SavedTensor[saved.length];
      for (int i = 0; i < saved.length; i++) {
        if (saved[i] != null) s[i] = new SavedTensor(saved[i]);
      }
      this.saved = s;
    }
  }

  // the index of the one non-null value, or -1 when there are none or several
  private static int onlyNonNull(Tensor[] saved) {
    int only = -1;
    for (int i = 0; i < saved.length; i++) {
      if (saved[i] == null) continue;
      if (only >= 0) return -1;
      only = i;
    }
    return only;
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
    Object held = saved;
    if (held == RELEASED) throw freedError();
    SavedTensor s =
        held instanceof SavedTensor
            ? (i == savedIndex ? (SavedTensor) held : null)
            : held == null ? null : ((SavedTensor[]) held)[i];
    return s == null ? null : s.unpack(this, i);
  }

  /** Shapes of the tensors this node saved for backward (empty once they are freed). */
  public java.util.List<int[]> savedShapes() {
    java.util.List<int[]> out = new java.util.ArrayList<>();
    Object held = saved;
    if (held instanceof SavedTensor) out.add(((SavedTensor) held).shape());
    else if (held instanceof SavedTensor[])
      for (SavedTensor s : (SavedTensor[]) held) if (s != null) out.add(s.shape());
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
    if (saved == RELEASED) throw freedError();
    return def.derivative(g, this, attrs);
  }

  @Override
  protected void release() {
    Object held = saved;
    if (held == null || held == RELEASED) return;
    if (held instanceof SavedTensor) ((SavedTensor) held).release();
    else for (SavedTensor s : (SavedTensor[]) held) if (s != null) s.release();
    saved = RELEASED;
  }
}
