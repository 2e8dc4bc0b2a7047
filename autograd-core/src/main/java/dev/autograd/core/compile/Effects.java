package dev.autograd.core.compile;

import dev.autograd.core.Tensor;
import dev.autograd.core.ops.Creation;

/**
 * The effects on {@code .grad} that a traced training step performs: clearing it and accumulating
 * into it.
 */
final class Effects {
  private Effects() {}

  /** {@code setGrad(null)} (an optimizer's {@code zeroGrad()}). */
  record ClearGrad() implements Effect {
    static final ClearGrad INSTANCE = new ClearGrad();

    @Override
    public void run(Tensor[] in, Tensor scratch) {
      in[0].setGrad(null);
    }

    @Override
    public String name() {
      return "grad = None";
    }
  }

  /**
   * {@code backward()}'s last act for one leaf, as the engine does it: the first gradient becomes
   * {@code .grad} (a copy; on replay the trace's own buffer, so a step that clears {@code .grad}
   * allocates nothing), later ones are added in place.
   */
  record AccumulateGrad() implements Effect {
    @Override
    public void run(Tensor[] in, Tensor scratch) {
      Tensor leaf = in[0], g = in[1];
      synchronized (leaf) { // the lock the engine takes for a leaf's .grad
        Tensor old = leaf.grad();
        if (old == null) {
          Tensor fresh =
              scratch != null ? scratch : Creation.uninitialized(leaf.dtype(), leaf.shapeRef());
          Creation.copyValues(g, fresh);
          leaf.setGrad(fresh);
        } else if (old.requiresGrad()) {
          leaf.setGrad(old.add(g));
        } else {
          old.add_(g);
        }
      }
    }

    @Override
    public String name() {
      return "grad +=";
    }

    @Override
    public boolean wantsScratch() {
      return true;
    }
  }
}
