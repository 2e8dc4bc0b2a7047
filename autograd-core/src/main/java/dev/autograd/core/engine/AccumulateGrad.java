package dev.autograd.core.engine;

import dev.autograd.core.DType;
import dev.autograd.core.GradMode;
import dev.autograd.core.Node;
import dev.autograd.core.Tensor;
import dev.autograd.core.internal.SharedSecrets;
import dev.autograd.core.internal.Tensors;
import dev.autograd.core.ops.Creation;
import java.util.Arrays;

/** The node of a leaf that requires grad: the end of every backward path into that leaf. */
public final class AccumulateGrad extends Node {
  private final Tensor leaf;

  private static final Node[] NO_NODES = {};
  private static final int[][] NO_SHAPES = {};
  private static final DType[] NO_DTYPES = {};

  public AccumulateGrad(Tensor leaf) {
    super("AccumulateGrad", NO_NODES, NO_SHAPES, NO_DTYPES);
    this.leaf = leaf;
  }

  /** The leaf tensor whose {@code .grad} this node fills. */
  public Tensor variable() {
    return leaf;
  }

  @Override
  protected Tensor[] apply(Tensor g) {
    throw new UnsupportedOperationException("AccumulateGrad is handled by the engine");
  }

  /**
   * Adds {@code g} into {@code t.grad} (thread-safe: under t's lock, the one {@code gradEdge} takes
   * too); the first gradient is copied, never aliased, unless {@code keepGraph}.
   */
  static void accumulate(Tensor t, Tensor g, boolean keepGraph) {
    synchronized (t) {
      Tensor old = Tensors.peekGrad(t);
      if (old == null) {
        if (keepGraph) t.setGrad(g);
        else SharedSecrets.tensors().setEngineGrad(t, firstGrad(t, g)); // a copy only .grad holds
      } else if (keepGraph || old.requiresGrad()) {
        t.grad(); // counts as a read: the new sum's graph may refer to old, so old is never
        // recycled
        t.setGrad(old.add(g));
      } else {
        try (GradMode.Scope s = GradMode.scope(false)) {
          old.add_(g);
        }
      }
    }
  }

  /**
   * {@link #accumulate} for a gradient the engine may own (see Engine's Note [owned gradients]): an
   * owned, contiguous first gradient becomes {@code .grad} itself instead of being copied (PyTorch
   * steals it likewise). Returns true when {@code .grad} now holds {@code g}'s storage, false when
   * {@code g} is no longer referenced here.
   */
  boolean accumulate(Tensor g, boolean keepGraph, boolean owned) {
    Tensor t = leaf;
    if (owned && !keepGraph) {
      synchronized (t) {
        if (Tensors.peekGrad(t) == null
            && !g.requiresGrad()
            && g.isContiguous()
            && g.storageOffset() == 0
            && g.numel() == t.numel()
            && Tensors.storage(g).length() == g.numel()) {
          SharedSecrets.tensors()
              .setEngineGrad(
                  t,
                  !g.isView() && Arrays.equals(g.shapeRef(), t.shapeRef())
                      ? g
                      : Tensors.fromStorage(Tensors.storage(g), t.shapeRef()));
          return true;
        }
      }
    }
    accumulate(t, g, keepGraph);
    return keepGraph;
  }

  // the first gradient of a leaf: a copy with the leaf's shape and no history
  private static Tensor firstGrad(Tensor t, Tensor g) {
    Tensor copy = Creation.copyOf(g, g.dtype());
    return Arrays.equals(copy.shapeRef(), t.shapeRef()) ? copy : copy.reshape(t.shape());
  }
}
