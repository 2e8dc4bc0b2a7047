package dev.autograd.core.compile;

import dev.autograd.core.DType;
import dev.autograd.core.tensor.Shapes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which buffer each kernel step writes, planned once per trace by liveness: a buffer is free again
 * after the last step (or guard, or output copy) that reads a value living in it, and a later
 * kernel output of the same dtype and size takes it. Kernels write every element of their output,
 * so a reused buffer needs no clearing. Each traced backward ({@code phase} 0, 1, ...; the forward
 * is -1) takes buffers of its own: the forward values it reads stay intact, so a backward may run
 * twice ({@code retainGraph}), and the backwards of several outputs run in any order.
 */
final class BufferPlan {
  /**
   * The buffer of each step's output (or an effect's scratch), -1 for view and compute steps, for
   * fresh gradient outputs and for values a fused group keeps in block registers. A fused group
   * writes block by block: a buffer freed inside the group and taken by a later member is read at
   * each block before that member writes the same block, so the reuse stays safe.
   */
  final int[] bufferOfStep;

  final List<DType> dtypes = new ArrayList<>();
  final List<Integer> sizes = new ArrayList<>();

  private record Key(DType dtype, int numel, int phase) {}

  BufferPlan(
      Slot[] slots,
      Step[] steps,
      int forwardSteps,
      int[] phase,
      Guard[] guards,
      Guard[] backwardGuards,
      int[] outputSlots,
      int[] gradSlots,
      boolean[] fresh,
      boolean[] internal,
      int[] runsAt) {
    int n = steps.length;
    int end = n + 1;
    int[] lastUse = new int[slots.length];
    java.util.Arrays.fill(lastUse, -1);
    for (int k = 0; k < n; k++) {
      // a step deferred to a later one (runsAt) reads its inputs there
      int at = k < runsAt.length && runsAt[k] >= 0 ? runsAt[k] : k;
      for (int s : steps[k].in()) if (s >= 0) use(lastUse, slots, s, position(at, forwardSteps));
    }
    for (Guard g : guards) use(lastUse, slots, g.slot(), g.at());
    for (Guard g : backwardGuards) use(lastUse, slots, g.slot(), g.at() + 1);
    for (int s : outputSlots) if (s >= 0) use(lastUse, slots, s, forwardSteps);
    for (int s : gradSlots) if (s >= 0) use(lastUse, slots, s, end);
    List<List<Integer>> dying = new ArrayList<>();
    for (int p = 0; p <= end; p++) dying.add(new ArrayList<>());
    for (int k = 0; k < n; k++) {
      if (steps[k].kind() != Step.Kind.KERNEL || fresh[k] || internal[k])
        continue; // an effect's scratch buffer is never free again
      int pos = position(k, forwardSteps);
      int last = Math.max(lastUse[steps[k].out()], pos);
      if (k < forwardSteps && last >= forwardSteps)
        continue; // returned or read by the backward: kept
      dying.get(last).add(k);
    }
    bufferOfStep = new int[n];
    Map<Key, ArrayDeque<Integer>> free = new HashMap<>();
    for (int k = 0; k < n; k++) {
      Step st = steps[k];
      bufferOfStep[k] = -1;
      if ((st.kind() == Step.Kind.KERNEL && !fresh[k] && !internal[k])
          || (st.kind() == Step.Kind.EFFECT && st.out() >= 0)) {
        Key key = new Key(st.dtype(), Shapes.numel(st.shape()), phase[k]);
        ArrayDeque<Integer> q = free.get(key);
        Integer b = q == null ? null : q.poll();
        if (b == null) {
          b = dtypes.size();
          dtypes.add(key.dtype());
          sizes.add(Math.max(1, key.numel()));
        }
        bufferOfStep[k] = b;
      }
      for (int dead : dying.get(position(k, forwardSteps))) {
        Step d = steps[dead];
        free.computeIfAbsent(
                new Key(d.dtype(), Shapes.numel(d.shape()), phase[dead]), x -> new ArrayDeque<>())
            .push(bufferOfStep[dead]);
      }
    }
  }

  /**
   * Forward step k runs at position k, the output copy at forwardSteps, backward steps after it.
   */
  private static int position(int k, int forwardSteps) {
    return k < forwardSteps ? k : k + 1;
  }

  private static void use(int[] lastUse, Slot[] slots, int s, int pos) {
    int r = slots[s].root();
    lastUse[r] = Math.max(lastUse[r], pos);
  }

  /** Bytes of all buffers. */
  long bytes() {
    long b = 0;
    for (int i = 0; i < sizes.size(); i++) b += (long) sizes.get(i) * dtypes.get(i).byteSize();
    return b;
  }
}
