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
 * its traced backward), with each input resolved to a slot. The first thing that cannot be replayed
 * marks the trace unusable (with the reason): the steps recorded before it stay valid, so the
 * guards among them still select this path, which then runs eagerly.
 */
final class Recorder {
  /** Nesting depth inside recorded calls: only depth-0 calls belong to the trace. */
  int depth;

  /** True while the backward pass is traced. */
  boolean backward;

  /**
   * True while a backward() or Autograd.grad() that the function itself calls is traced (its steps
   * belong to the forward).
   */
  boolean inline;

  /**
   * The first effect a replay could not repeat harmlessly (-1: none yet): a guard after it cannot
   * send the call elsewhere.
   */
  int unsafeFrom = -1;

  /**
   * True when the function writes what outlives the call (arguments, captured tensors, .grad): the
   * trace needs a second, equal recording.
   */
  boolean persistent;

  /** True when the function called backward() or Autograd.grad() itself. */
  boolean ranBackward;

  /** Why the trace cannot be replayed (null while it can), and the step count at that point. */
  String unusable;

  int unusableAt;

  final List<Slot> slots = new ArrayList<>();
  final List<Step> steps = new ArrayList<>();
  final List<Guard> guards = new ArrayList<>();

  /**
   * Per traced backward: values a derivative turned into Java (a replay where one differs computes
   * eagerly).
   */
  final List<List<Guard>> backwardGuards = new ArrayList<>();

  /**
   * Per traced backward (one per output that requires grad): its first step and its upstream slot.
   */
  final List<Integer> backwardStarts = new ArrayList<>();

  final List<Integer> upstreamSlots = new ArrayList<>();
  final List<Tensor> captured = new ArrayList<>();
  final List<Tensor> constants = new ArrayList<>();

  /**
   * Constants written in place by the function: a replay gives each call a fresh copy of the values
   * they were made with.
   */
  final Set<Integer> mutableConstants = new java.util.HashSet<>();

  final int[] argSlots;

  /** Steps of the forward (the rest belong to the backward). */
  int forwardSteps = -1;

  /**
   * Slots made by the backwards traced so far start here; the current backward's at sectionSlot.
   */
  private int firstBackwardSlot, sectionSlot;

  private final Map<Tensor, Integer> slotOf = new IdentityHashMap<>();
  private final Set<Tensor> born = Collections.newSetFromMap(new IdentityHashMap<>());

  /** Factory-made tensors and a copy of their values (a later write to one is detected). */
  private final Map<Tensor, Tensor> madeByFactory = new IdentityHashMap<>();

  /** Tensors made by {@code detach()}: read as the tensor they detach. */
  private final Map<Tensor, Tensor> sameAs = new IdentityHashMap<>();

  /**
   * The .grad slot of each argument or captured slot whose gradient the function reads or fills.
   */
  private final Map<Integer, Integer> gradSlotOf = new java.util.HashMap<>();

  /** Owners (their slots) whose .grad the trace has read or filled so far. */
  private final Set<Integer> gradTouched = new java.util.HashSet<>();

  /**
   * Owners whose .grad this trace cleared or filled: whether it is null is then known without a
   * guard.
   */
  private final Set<Integer> gradKnown = new java.util.HashSet<>();

  /**
   * Starts a trace whose function receives {@code args} (the caller's leaves themselves, views of
   * the others).
   */
  Recorder(Tensor[] args) {
    argSlots = new int[args.length];
    for (int i = 0; i < args.length; i++) argSlots[i] = addSlot(Slot.Kind.ARG, i, -1, args[i]);
  }

  private int addSlot(Slot.Kind kind, int index, int root, Tensor t) {
    int s =
        addSlot(
            kind,
            index,
            root,
            t.dtype(),
            t.shape(),
            kind == Slot.Kind.CAPTURED || kind == Slot.Kind.CONST ? t : null);
    slotOf.put(t, s);
    return s;
  }

  private int addSlot(
      Slot.Kind kind,
      int index,
      int root,
      dev.autograd.core.DType dtype,
      int[] shape,
      Tensor source) {
    int s = slots.size();
    slots.add(new Slot(kind, index, root < 0 ? s : root, dtype, shape, source));
    return s;
  }

  /**
   * The kind of the slot whose storage {@code t} lives in, or null when the trace does not know
   * {@code t}.
   */
  Slot.Kind rootKind(Tensor t) {
    Integer s = slotOf.get(t);
    if (s == null) {
      Tensor source = sameAs.get(t);
      return source == null ? null : rootKind(source);
    }
    return slots.get(slots.get(s).root()).kind();
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
    // a replay runs the steps before this point (for their guards) and then the function eagerly:
    // never a write it cannot repeat
    unusableAt = unsafeFrom >= 0 ? Math.min(steps.size(), unsafeFrom) : steps.size();
  }

  /** Marks the whole trace eager (no step replays), with the reason. */
  void eagerFromStart(String reason) {
    unusable = reason;
    unusableAt = 0;
  }

  /**
   * Records an effect on {@code in} (in[0] is written): its slots, or null when the trace cannot
   * (the caller then writes eagerly, and the trace is unusable).
   */
  int[] effect(Effect e, Tensor[] in) {
    if (unusable != null) return null;
    int[] ins = new int[in.length];
    for (int i = 0; i < in.length; i++) {
      ins[i] = in[i] == null ? -1 : slot(in[i]);
      if (unusable != null) return null;
    }
    Slot.Kind written = slots.get(slots.get(ins[0]).root()).kind();
    if (written == Slot.Kind.UPSTREAM) {
      unsupported(
          "the in-place write " + e.name() + " into the gradient the traced backward receives");
      return null;
    }
    if (written == Slot.Kind.CONST) {
      // a replay writes into a fresh copy of the factory's values (Tensor.zeros(...) filled in
      // place); it may also be state
      // kept in Java (an optimizer's buffer made on its first call), read as captured next time: a
      // second recording tells
      mutableConstants.add(slots.get(slots.get(ins[0]).root()).index());
      persistent = true;
    }
    boolean outlives = written != Slot.Kind.STEP && written != Slot.Kind.CONST;
    persistent |= outlives;
    if (outlives && unsafeFrom < 0 && !repeatable(e, ins)) unsafeFrom = steps.size();
    if (e instanceof Effects.ClearGrad) gradKnown.add(ins[0]);
    Tensor target = in[0];
    int out =
        e.wantsScratch()
            ? addSlot(Slot.Kind.STEP, steps.size(), -1, target.dtype(), target.shape(), null)
            : -1;
    steps.add(new Step(null, e, ins, out, Step.Kind.EFFECT, target.dtype(), target.shape()));
    return ins;
  }

  // clearing a .grad nothing in this trace read yet: running the function again from the start
  // clears it again, alike
  private boolean repeatable(Effect e, int[] ins) {
    return e instanceof Effects.ClearGrad && !gradTouched.contains(ins[0]);
  }

  /** {@code owner.grad()} returned {@code g} (possibly null) inside the function. */
  void gradRead(Tensor owner, Tensor g) {
    if (unusable != null) return;
    int os = slot(owner);
    if (os < 0) return;
    Slot.Kind k = slots.get(os).kind();
    if (k != Slot.Kind.CAPTURED && k != Slot.Kind.ARG) {
      if (g != null)
        unsupported(
            "reading the .grad of a tensor computed inside the compiled function (retainGrad)");
      return;
    }
    gradTouched.add(os);
    if (!gradKnown.contains(os)) {
      // nothing in this trace changed this .grad yet: it is as the call found it, so the guard is
      // checked first of all
      // (a branch on it never comes after a write the replay cannot undo)
      Guard guard =
          new Guard(
              os,
              false,
              g == null ? 1 : 0,
              0,
              g == null ? "grad() is null" : "grad() is set",
              CallSite.find(),
              true);
      int at = 0;
      while (at < guards.size() && guards.get(at).at() == 0) at++;
      guards.add(at, guard);
      gradKnown.add(os); // once guarded, known
    }
    if (g != null) slotOf.put(g, gradSlot(os));
  }

  /**
   * The slot standing for {@code .grad} of the argument or captured tensor in slot {@code owner}.
   */
  int gradSlot(int owner) {
    Integer s = gradSlotOf.get(owner);
    if (s == null) {
      Slot o = slots.get(owner);
      s = addSlot(Slot.Kind.GRAD, owner, -1, o.dtype(), o.shape(), null);
      gradSlotOf.put(owner, s);
    }
    return s;
  }

  /** Marks {@code owner}'s .grad as filled by the trace (a later clear is no longer repeatable). */
  void gradFilled(int owner) {
    gradTouched.add(owner);
    gradKnown.add(owner);
  }

  /**
   * A guard after a write that a replay cannot undo would leave a failed replay half done: such a
   * trace replays up to that write (for the guards before it) and runs the function eagerly.
   */
  void checkGuardsBeforeWrites() {
    if (unsafeFrom < 0 || unusable != null) return;
    for (Guard g : guards) {
      if (g.at() > unsafeFrom) {
        unusable =
            g.what()
                + (g.site() == null ? "" : " at " + g.site())
                + " decides a branch after the in-place write "
                + ((Effect) steps.get(unsafeFrom).attrs()).name()
                + " into an argument, a captured tensor or a .grad (a replay could not go back"
                + " on the write when the branch goes the other way): branch before the writes, or return the value and branch outside";
        unusableAt = unsafeFrom;
        return;
      }
    }
  }

  /** The values constant {@code i} was made with. */
  Tensor constantAtBirth(int i) {
    return madeByFactory.get(constants.get(i));
  }

  /** The slot of a tensor the trace knows, or null (never captures). */
  Integer knownSlot(Tensor t) {
    return slotOf.get(t);
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
      unsupported(
          "a "
              + t.dtype().torchName()
              + Shapes.str(t.shapeRef())
              + " tensor made inside the function by an operation that"
              + " is not traced (random factories such as randn or dropout masks, integer casts, or code outside the op table)"
              + (backward
                  ? ""
                  : " is read by "
                      + (steps.isEmpty() ? "the first op" : "op " + (steps.size() + 1))));
      return -1;
    }
    captured.add(t);
    return addSlot(Slot.Kind.CAPTURED, captured.size() - 1, -1, t);
  }

  /** How far the recording had got: {@link #rollBack} returns to it. */
  record Mark(
      int slots,
      int steps,
      int guards,
      int backwardGuards,
      int captured,
      int constants,
      int unsafeFrom,
      boolean persistent,
      String unusable,
      int unusableAt) {}

  Mark mark() {
    return new Mark(
        slots.size(),
        steps.size(),
        guards.size(),
        backwardGuards.isEmpty() ? 0 : backwardGuards.get(backwardGuards.size() - 1).size(),
        captured.size(),
        constants.size(),
        unsafeFrom,
        persistent,
        unusable,
        unusableAt);
  }

  /**
   * True when what was recorded since {@code m} stands for {@code y}: every part traced, no guard
   * or write among them (those would tie the composite to one path), and {@code y} one of their
   * values.
   */
  boolean inlined(Mark m, Tensor y) {
    if (unusable != null || guards.size() != m.guards() || captured.size() != m.captured())
      return false;
    if (!backwardGuards.isEmpty()
        && backwardGuards.get(backwardGuards.size() - 1).size() != m.backwardGuards()) return false;
    for (int k = m.steps(); k < steps.size(); k++)
      if (steps.get(k).kind() == Step.Kind.EFFECT) return false;
    Integer s = slotOf.get(y);
    return s != null && s >= m.slots() && steps.size() > m.steps();
  }

  /** Forgets what was recorded since {@code m} (a composite recorded as one step instead). */
  void rollBack(Mark m) {
    for (int k = m.steps(); k < steps.size(); k++) {
      if (steps.get(k).kind() == Step.Kind.EFFECT) { // it wrote already: a replay must too
        unsupported("an op whose forward writes in place inside (" + steps.get(k).name() + ")");
        return;
      }
    }
    slotOf.values().removeIf(s -> s >= m.slots());
    gradSlotOf.values().removeIf(s -> s >= m.slots());
    mutableConstants.removeIf(c -> c >= m.constants());
    slots.subList(m.slots(), slots.size()).clear();
    steps.subList(m.steps(), steps.size()).clear();
    guards.subList(m.guards(), guards.size()).clear();
    if (!backwardGuards.isEmpty()) {
      List<Guard> bg = backwardGuards.get(backwardGuards.size() - 1);
      bg.subList(Math.min(m.backwardGuards(), bg.size()), bg.size()).clear();
    }
    captured.subList(m.captured(), captured.size()).clear();
    constants.subList(m.constants(), constants.size()).clear();
    unsafeFrom = m.unsafeFrom();
    persistent = m.persistent();
    unusable = m.unusable();
    unusableAt = m.unusableAt();
  }

  void step(OpDef<Object> def, Object attrs, Tensor[] in, Tensor y) {
    int[] ins = new int[in.length];
    for (int i = 0; i < in.length; i++) {
      ins[i] = in[i] == null ? -1 : slot(in[i]);
      if (unusable != null) return;
    }
    Step.Kind kind =
        def.isView() ? Step.Kind.VIEW : def.hasKernel() ? Step.Kind.KERNEL : Step.Kind.COMPUTE;
    int root = -1;
    for (int i = 0;
        i < in.length && kind != Step.Kind.KERNEL;
        i++) { // a view (or a compute that returned one)
      if (in[i] != null
          && dev.autograd.core.internal.Tensors.storage(in[i])
              == dev.autograd.core.internal.Tensors.storage(y)) root = slots.get(ins[i]).root();
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
    (backward ? backwardGuards.get(backwardGuards.size() - 1) : guards)
        .add(
            new Guard(
                s,
                exact,
                value,
                steps.size(),
                what,
                backward ? "a derivative" : CallSite.find(),
                false));
  }

  /** Ends the forward: the outputs' slots (null when the trace became unusable). */
  int[] finishForward(Tensor[] outputs) {
    forwardSteps = steps.size();
    int[] out = new int[outputs.length];
    for (int i = 0; i < outputs.length; i++) out[i] = unusable == null ? slot(outputs[i]) : -1;
    checkConstantsUnchanged();
    return unusable == null ? out : null;
  }

  /**
   * Starts a traced backward (one per output that requires grad): {@code upstream} stands for that
   * output's gradient.
   */
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
    for (int i = 0; i < grads.length; i++)
      out[i] = grads[i] == null || unusable != null ? -1 : slot(grads[i]);
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
      if (mutableConstants.contains(constants.indexOf(now)))
        continue; // written on purpose: replayed from its first values
      if (!Arrays.equals(now.toDoubleArray(), e.getValue().toDoubleArray())) {
        persistent =
            true; // e.g. an optimizer's state made on its first step: the next call reads it as
        // captured
        unsupported("a tensor made by a factory inside the function was written after it was made");
      }
    }
  }
}
