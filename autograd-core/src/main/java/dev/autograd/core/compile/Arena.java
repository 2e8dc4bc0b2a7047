package dev.autograd.core.compile;

import dev.autograd.core.Tensor;
import dev.autograd.core.tensor.Storage;

/**
 * The memory of one call of a trace: its planned buffers, a tensor over them for each kernel step's
 * output, one input array per step, and the value of every slot during the call. Borrowed from the
 * trace's pool for a call and returned after it (or, when the output needs a gradient, after its
 * backward ran), so concurrent calls never share one.
 */
final class Arena {
  final Tensor[] slots;
  final Tensor[] outs;
  final Tensor[][] inputs;

  /**
   * Per backward: versions of the arguments and captured tensors it reads, taken at the forward.
   */
  final int[][] versions;

  /** Per view step: the view made by the last call, and its inputs. */
  private final Tensor[] views;

  private final Tensor[][] viewInputs;

  /** The last step an SGD update ran ahead of its turn during this call (-1: none). */
  int doneUpTo = -1;

  /** Per constant the function writes in place: this arena's copy (else null). */
  final Tensor[] written;

  /** Per fused group: the call's arrays, offsets and partial sums. */
  final FusedGroup.State[] fused;

  /**
   * Per backward group: true when this call's forward ran it ahead ({@link Fusion#ahead}), so its
   * gradients (for an upstream gradient of 1) are in their slots already.
   */
  final boolean[] ahead;

  /** Per forward group with an ahead program: that program's call state, else null. */
  final FusedGroup.State[] aheadState;

  /**
   * Backward nodes still holding this arena (it goes back to the pool when the last one is done).
   */
  final java.util.concurrent.atomic.AtomicInteger holders =
      new java.util.concurrent.atomic.AtomicInteger();

  Arena(Trace t) {
    BufferPlan plan = t.plan;
    Storage[] buffers = new Storage[plan.sizes.size()];
    for (int b = 0; b < buffers.length; b++)
      buffers[b] = Storage.allocate(plan.dtypes.get(b), plan.sizes.get(b));
    slots = new Tensor[t.slots.length];
    outs = new Tensor[t.steps.length];
    inputs = new Tensor[t.steps.length][];
    for (int k = 0; k < t.steps.length; k++) {
      Step s = t.steps[k];
      inputs[k] = new Tensor[s.in().length];
      if (k < plan.bufferOfStep.length && plan.bufferOfStep[k] >= 0)
        outs[k] =
            dev.autograd.core.internal.Tensors.fromStorage(
                buffers[plan.bufferOfStep[k]], s.shape());
    }
    written = new Tensor[t.constants.length];
    for (int i = 0; i < written.length; i++)
      if (t.constantWritten[i])
        written[i] = dev.autograd.core.ops.Creation.copyOf(t.constants[i], t.constants[i].dtype());
    views = new Tensor[t.steps.length];
    viewInputs = new Tensor[t.steps.length][];
    fused = new FusedGroup.State[t.fusion.groups.length];
    for (int g = 0; g < fused.length; g++) fused[g] = new FusedGroup.State(t.fusion.groups[g]);
    ahead = new boolean[fused.length];
    aheadState = new FusedGroup.State[fused.length];
    for (int g = 0; g < fused.length; g++)
      if (t.fusion.ahead[g] != null) aheadState[g] = new FusedGroup.State(t.fusion.ahead[g]);
    versions = new int[t.backwards.length][];
    for (int j = 0; j < versions.length; j++)
      versions[j] = new int[t.backwards[j].versionSlots().length];
  }

  /**
   * This call's copy of constant {@code i} (one the function writes in place), reset to its first
   * values {@code values}.
   */
  Tensor freshConstant(int i, Tensor values) {
    dev.autograd.core.ops.Creation.copyValues(values, written[i]);
    return written[i];
  }

  /**
   * The output of view step {@code k} over {@code in}: the last call's view object when its inputs
   * were these very tensors (a view is metadata over their storage, so it is the same view), else a
   * new one. Kept across calls, so the pooled arena holds the last call's views until the next.
   */
  Tensor view(int k, Step s, Tensor[] in) {
    Tensor[] last = viewInputs[k];
    Tensor v = views[k];
    if (v != null && last != null && java.util.Arrays.equals(last, in))
      return v; // identity: Tensor keeps Object's equals
    v = s.def().forward(s.attrs(), in);
    views[k] = v;
    viewInputs[k] = in.clone();
    return v;
  }

  /** Drops the references to the caller's tensors before the arena waits in the pool. */
  void clear() {
    java.util.Arrays.fill(slots, null);
    for (FusedGroup.State f : fused) {
      java.util.Arrays.fill(f.array, null);
      java.util.Arrays.fill(f.outs, null);
    }
    for (FusedGroup.State f : aheadState) {
      if (f == null) continue;
      java.util.Arrays.fill(f.array, null);
      java.util.Arrays.fill(f.outs, null);
    }
    java.util.Arrays.fill(ahead, false);
    for (Tensor[] in : inputs) java.util.Arrays.fill(in, null);
  }
}
