package dev.autograd.core.compile;

import dev.autograd.core.Tensor;
import dev.autograd.core.ops.Creation;
import dev.autograd.core.ops.OpDef;
import dev.autograd.core.tensor.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Records one trace on one thread: every op-table call the function makes (and then the calls of
 * its traced backward), with each input resolved to a slot. The first thing that cannot be
 * replayed marks the trace unusable (with the reason): the steps recorded before it stay valid,
 * so the guards among them still select this path, which then runs eagerly.
 */
final class Recorder {
  /** Nesting depth inside recorded calls: only depth-0 calls belong to the trace. */
  int depth;
  /** True while the backward pass is traced. */
  boolean backward;
  /** Why the trace cannot be replayed (null while it can), and the step count at that point. */
  String unusable;
  int unusableAt;

  final List<Slot> slots = new ArrayList<>();
  final List<Step> steps = new ArrayList<>();
  final List<Guard> guards = new ArrayList<>();
  /** Per traced backward: values a derivative turned into Java (a replay where one differs computes eagerly). */
  final List<List<Guard>> backwardGuards = new ArrayList<>();
  /** Per traced backward (one per output that requires grad): its first step and its upstream slot. */
  final List<Integer> backwardStarts = new ArrayList<>();
  final List<Integer> upstreamSlots = new ArrayList<>();
  final List<Tensor> captured = new ArrayList<>();
  final List<Tensor> constants = new ArrayList<>();
  final int[] argSlots;
  /** Steps of the forward (the rest belong to the backward). */
  int forwardSteps = -1;
  /** Slots made by the backwards traced so far start here; the current backward's at sectionSlot. */
  private int firstBackwardSlot, sectionSlot;

  private final Map<Tensor, Integer> slotOf = new IdentityHashMap<>();
  private final Set<Tensor> born = Collections.newSetFromMap(new IdentityHashMap<>());
  /** Factory-made tensors and a copy of their values (a later write to one is detected). */
  private final Map<Tensor, Tensor> madeByFactory = new IdentityHashMap<>();
  /** Tensors made by {@code detach()}: read as the tensor they detach. */
  private final Map<Tensor, Tensor> sameAs = new IdentityHashMap<>();

  /** Starts a trace whose function receives {@code args} (views of the caller's arguments). */
  Recorder(Tensor[] args) {
    argSlots = new int[args.length];
    for (int i = 0; i < args.length; i++) argSlots[i] = addSlot(Slot.Kind.ARG, i, -1, args[i]);
  }

  private int addSlot(Slot.Kind kind, int index, int root, Tensor t) {
    int s = slots.size();
    Tensor source = kind == Slot.Kind.CAPTURED || kind == Slot.Kind.CONST ? t : null;
    slots.add(new Slot(kind, index, root < 0 ? s : root, t.dtype(), t.shape(), source));
    slotOf.put(t, s);
    return s;
  }

  void same(Tensor copy, Tensor source) {
    sameAs.put(copy, source);
  }

  void born(Tensor t) {
    born.add(t);
  }

  void constant(Tensor t) {
    depth++; // the copy is not part of the trace
    try {
      madeByFactory.put(t, Creation.copyOf(t, t.dtype()));
    } finally {
      depth--;
    }
  }

  void unsupported(String reason) {
    if (unusable != null) return;
    unusable = reason + (backward ? " (while tracing the backward pass)" : "");
    unusableAt = steps.size();
  }

  /** The slot of a tensor that a recorded call reads; -1 (and the trace unusable) if none fits. */
  int slot(Tensor t) {
    Integer s = slotOf.get(t);
    if (s != null) {
      if (backward && s >= firstBackwardSlot && s < sectionSlot) {
        unsupported("the backward of one output reads a value of another output's backward");
        return -1;
      }
      return s;
    }
    Tensor source = sameAs.get(t);
    if (source != null) return slot(source);
    if (madeByFactory.containsKey(t)) {
      constants.add(t);
      return addSlot(Slot.Kind.CONST, constants.size() - 1, -1, t);
    }
    if (born.contains(t) || backward) {
      unsupported("a " + t.dtype().torchName() + Shapes.str(t.shapeRef()) + " tensor made inside the function by an operation that"
          + " is not traced (random factories such as randn or dropout masks, integer casts, or code outside the op table)"
          + (backward ? "" : " is read by " + (steps.isEmpty() ? "the first op" : "op " + (steps.size() + 1))));
      return -1;
    }
    captured.add(t);
    return addSlot(Slot.Kind.CAPTURED, captured.size() - 1, -1, t);
  }

  void step(OpDef<Object> def, Object attrs, Tensor[] in, Tensor y) {
    int[] ins = new int[in.length];
    for (int i = 0; i < in.length; i++) {
      ins[i] = in[i] == null ? -1 : slot(in[i]);
      if (unusable != null) return;
    }
    Step.Kind kind = def.isView() ? Step.Kind.VIEW : def.hasKernel() ? Step.Kind.KERNEL : Step.Kind.COMPUTE;
    int root = -1;
    for (int i = 0; i < in.length && kind != Step.Kind.KERNEL; i++) { // a view (or a compute that returned one)
      if (in[i] != null && dev.autograd.core.internal.Tensors.storage(in[i]) == dev.autograd.core.internal.Tensors.storage(y)) root = slots.get(ins[i]).root();
    }
    if (kind == Step.Kind.VIEW && root < 0) {
      unsupported(def.opName() + ": a view entry returned a tensor that shares no input's storage");
      return;
    }
    if (kind == Step.Kind.KERNEL && (!y.isContiguous() || y.storageOffset() != 0)) {
      unsupported(def.opName() + ": a kernel entry returned a strided output");
      return;
    }
    int out = addSlot(Slot.Kind.STEP, steps.size(), root, y);
    steps.add(new Step(def, attrs, ins, out, kind, y.dtype(), y.shape()));
  }

  void guard(Tensor t, boolean exact, double value, String what) {
    if (unusable != null) return;
    int s = slot(t);
    if (s < 0) return;
    (backward ? backwardGuards.get(backwardGuards.size() - 1) : guards).add(new Guard(s, exact, value, steps.size(), what, backward ? "a derivative" : CallSite.find()));
  }

  /** Ends the forward: the outputs' slots (null when the trace became unusable). */
  int[] finishForward(Tensor[] outputs) {
    forwardSteps = steps.size();
    int[] out = new int[outputs.length];
    for (int i = 0; i < outputs.length; i++) out[i] = unusable == null ? slot(outputs[i]) : -1;
    checkConstantsUnchanged();
    return unusable == null ? out : null;
  }

  /** Starts a traced backward (one per output that requires grad): {@code upstream} stands for that output's gradient. */
  void startBackward(Tensor upstream) {
    if (!backward) firstBackwardSlot = slots.size();
    sectionSlot = slots.size();
    backward = true;
    backwardStarts.add(steps.size());
    backwardGuards.add(new ArrayList<>());
    upstreamSlots.add(addSlot(Slot.Kind.UPSTREAM, upstreamSlots.size(), -1, upstream));
  }

  /** Ends the backward: the gradients' slots, -1 where a gradient is null. */
  int[] finishBackward(Tensor[] grads) {
    int[] out = new int[grads.length];
    for (int i = 0; i < grads.length; i++) out[i] = grads[i] == null || unusable != null ? -1 : slot(grads[i]);
    checkConstantsUnchanged();
    return out;
  }

  private void checkConstantsUnchanged() {
    depth++; // reading values here is the recorder's own business
    try {
      compareConstants();
    } finally {
      depth--;
    }
  }

  private void compareConstants() {
    for (Map.Entry<Tensor, Tensor> e : madeByFactory.entrySet()) {
      Tensor now = e.getKey();
      if (!slotOf.containsKey(now)) continue; // never read by the trace
      if (!Arrays.equals(now.toDoubleArray(), e.getValue().toDoubleArray())) {
        unsupported("a tensor made by a factory inside the function was written after it was made");
      }
    }
  }
}
