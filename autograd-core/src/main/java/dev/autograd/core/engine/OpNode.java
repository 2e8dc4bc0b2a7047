package dev.autograd.core.engine;

import dev.autograd.core.DType;
import dev.autograd.core.Node;
import dev.autograd.core.Tensor;

/** A node whose derivative is a {@link Derivative} written with differentiable tensor ops. */
public final class OpNode extends Node {
  /** The derivative of one op: input gradients from the output gradient {@code g}. */
  @FunctionalInterface
  public interface Derivative {
    /**
     * Returns one gradient per input (null where {@link OpNode#needsGrad} is false), written as
     * if all shapes were equal: the engine sums broadcast gradients back to each input's shape.
     */
    Tensor[] apply(Tensor g, OpNode node);
  }

  private final Derivative derivative;
  private SavedTensor[] saved;
  private boolean released;

  OpNode(String name, Node[] next, int[][] shapes, DType[] dtypes, Tensor[] saved, Derivative d) {
    super(name, next, shapes, dtypes);
    this.derivative = d;
    if (saved != null && saved.length > 0) {
      this.saved = new SavedTensor[saved.length];
      for (int i = 0; i < saved.length; i++) {
        if (saved[i] != null) this.saved[i] = new SavedTensor(saved[i]);
      }
    }
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

  /** True when input {@code i} needs a gradient (skip computing the others). */
  public boolean needsGrad(int i) {
    return next[i] != null;
  }

  @Override
  protected Tensor[] apply(Tensor g) {
    if (released) throw freedError();
    return derivative.apply(g, this);
  }

  @Override
  protected void release() {
    if (saved == null) return;
    released = true;
    for (SavedTensor s : saved) if (s != null) s.release();
    saved = null;
  }
}
