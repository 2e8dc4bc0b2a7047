package dev.autograd.core.compile;

import dev.autograd.core.DType;
import dev.autograd.core.GradMode;
import dev.autograd.core.Tensor;
import dev.autograd.core.ops.Creation;
import dev.autograd.core.tensor.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One recorded path of a compiled function: the guards under which it applies (grad mode, each
 * argument's dtype, shape, strides and requiresGrad, the captured tensors' requiresGrad, and the
 * values turned into Java along the way), its steps, its buffer plan, and the traced backward.
 * Immutable once built; calls borrow an {@link Arena} from its pool.
 */
final class Trace {
  static final int OK = -1;
  static final int EAGER = -2;
  private static final int POOL_LIMIT = 4;

  int number;
  String reason;
  final boolean gradMode;
  final DType[] argDtypes;
  final int[][] argShapes;
  final int[][] argStrides;
  final boolean[] argRequiresGrad;
  final Tensor[] captured;
  final boolean[] capturedRequiresGrad;
  final Tensor[] constants;

  /**
   * Constants the function writes in place: {@code constants} holds their first values, copied into
   * the call's arena.
   */
  final boolean[] constantWritten;

  final Slot[] slots;
  final Step[] steps;
  final int forwardSteps;
  final Guard[] guards;
  final int[] argSlots;
  final int[] outputSlots;

  /**
   * Outputs returned as fresh copies (the others are an argument, a captured tensor or a view of
   * one).
   */
  final boolean[] outputCopied;

  final String unusable;
  final int unusableAt;

  /**
   * One traced backward, for the output {@code output} (one per output that requires grad): its
   * steps {@code [start, end)}, the slot of that output's upstream gradient, the slots (arguments
   * or captured tensors) it computes gradients for and those gradients' slots, the values its
   * derivatives branched on, and the argument and captured slots it reads (checked for in-place
   * writes between forward and backward).
   */
  record Backward(
      int output,
      int start,
      int end,
      int upstreamSlot,
      int[] targetSlots,
      int[] gradSlots,
      Guard[] guards,
      int[] versionSlots) {}

  final Backward[] backwards;

  /**
   * Per backward: where the slots only a recomputing fused group reads (not eager's backward) start
   * in its {@code versionSlots}.
   */
  private final int[] recomputeVersionsFrom;

  final BufferPlan plan;

  /** Which steps run fused (none when fusion is off or the trace cannot replay). */
  final Fusion fusion;

  /**
   * Kernel steps of the backward that compute a returned gradient: they write a fresh tensor (a
   * warm pooled array for large ones) that is handed to the engine, instead of a planned buffer.
   */
  final boolean[] freshOutput;

  /**
   * View steps whose output is not returned: a call whose inputs are the same tensors as the last
   * call's reuses the view object.
   */
  final boolean[] viewReusable;

  /**
   * Per kernel step: the gradient accumulation (an effect step) that alone reads its output, which
   * then runs the kernel itself straight into {@code .grad} (-1: none; see {@link #accumulate}).
   */
  final int[] accumulatedBy;

  /** Per step: the steps a plain SGD update starting there covers ({@link SgdUpdate}), else 0. */
  final int[] sgdCovers;

  /** Per effect step: the kernel step whose output it accumulates and that it runs (-1: none). */
  private final int[] accumulating;

  /**
   * True when some step writes in place (a replay then runs with grad mode off, as the writes did).
   */
  final boolean hasEffects;

  /**
   * True when the function writes what outlives a call: the trace replays only once a second
   * recording equals it.
   */
  final boolean persistent;

  /** True once the trace may replay (at once for functions without lasting writes). */
  volatile boolean settled;

  /** Recordings of this path that differed from the one before. */
  int attempts;

  /** Why this path runs eagerly for good: its recordings never agreed (null while they may). */
  volatile String unstable;

  /**
   * Per argument: the earlier argument ({@code j >= 0}) or captured tensor ({@code -2 - c}) it
   * shares storage with, else -1.
   */
  final int[] argAlias;

  private final ConcurrentLinkedQueue<Arena> pool = new ConcurrentLinkedQueue<>();
  private final AtomicInteger pooled = new AtomicInteger();
  final AtomicLong replays = new AtomicLong();

  Trace(
      int number,
      String reason,
      Tensor[] args,
      boolean gradMode,
      Recorder r,
      int[] outputSlots,
      boolean[] outputRequiresGrad,
      int[] gradOutputs,
      int[][] targetSlots,
      int[][] gradSlots) {
    this.number = number;
    this.reason = reason;
    this.gradMode = gradMode;
    int n = args.length;
    argDtypes = new DType[n];
    argShapes = new int[n][];
    argStrides = new int[n][];
    argRequiresGrad = new boolean[n];
    for (int i = 0; i < n; i++) {
      argDtypes[i] = args[i].dtype();
      argShapes[i] = args[i].shape();
      argStrides[i] = args[i].stride();
      argRequiresGrad[i] = args[i].requiresGrad();
    }
    captured = r.captured.toArray(new Tensor[0]);
    argAlias = new int[n];
    for (int i = 0; i < n; i++) argAlias[i] = aliasOf(args, i);
    persistent = r.persistent;
    settled = !persistent;
    boolean effects = false;
    for (Step st : r.steps) effects |= st.kind() == Step.Kind.EFFECT;
    hasEffects = effects;
    capturedRequiresGrad = new boolean[captured.length];
    for (int i = 0; i < captured.length; i++) capturedRequiresGrad[i] = captured[i].requiresGrad();
    constants = r.constants.toArray(new Tensor[0]);
    constantWritten = new boolean[constants.length];
    for (int i : r.mutableConstants) {
      constantWritten[i] = true;
      constants[i] = r.constantAtBirth(i);
    }
    slots = r.slots.toArray(new Slot[0]);
    steps = r.steps.toArray(new Step[0]);
    forwardSteps = r.forwardSteps < 0 ? steps.length : r.forwardSteps;
    guards = r.guards.toArray(new Guard[0]);
    argSlots = r.argSlots;
    this.unusable = r.unusable;
    this.unusableAt = r.unusable == null ? steps.length : r.unusableAt;
    this.outputSlots = outputSlots == null ? new int[0] : outputSlots;
    outputCopied = new boolean[this.outputSlots.length];
    for (int i = 0; i < this.outputSlots.length; i++) {
      Slot s = slots[this.outputSlots[i]];
      Slot.Kind rootKind = slots[s.root()].kind();
      boolean self =
          s.kind() == Slot.Kind.ARG || s.kind() == Slot.Kind.CAPTURED || s.kind() == Slot.Kind.GRAD;
      boolean viewOfCaller = rootKind == Slot.Kind.ARG || rootKind == Slot.Kind.CAPTURED;
      outputCopied[i] = !self && (!viewOfCaller || outputRequiresGrad[i]);
    }
    viewReusable = new boolean[steps.length];
    for (int k = 0; k < steps.length; k++) viewReusable[k] = steps[k].kind() == Step.Kind.VIEW;
    for (int o : this.outputSlots) {
      Slot os = slots[o];
      if (os.kind() == Slot.Kind.STEP && os.index() < steps.length)
        viewReusable[os.index()] = false; // the caller gets it: a new object each call
    }
    int nb = r.unusable == null ? r.backwardStarts.size() : 0;
    backwards = new Backward[nb];
    List<Guard> allBackwardGuards = new ArrayList<>();
    List<Integer> allGradSlots = new ArrayList<>();
    freshOutput = new boolean[steps.length];
    for (int j = 0; j < nb; j++) {
      int start = r.backwardStarts.get(j),
          end = j + 1 < nb ? r.backwardStarts.get(j + 1) : steps.length;
      List<Integer> checked = new ArrayList<>();
      for (int k = start; k < end; k++) {
        for (int s : steps[k].in()) {
          if (s < 0) continue;
          int root = slots[s].root();
          Slot.Kind kind = slots[root].kind();
          if ((kind == Slot.Kind.ARG || kind == Slot.Kind.CAPTURED) && !checked.contains(root))
            checked.add(root);
        }
      }
      Guard[] g = r.backwardGuards.get(j).toArray(new Guard[0]);
      backwards[j] =
          new Backward(
              gradOutputs[j],
              start,
              end,
              r.upstreamSlots.get(j),
              targetSlots[j],
              gradSlots[j],
              g,
              checked.stream().mapToInt(Integer::intValue).toArray());
      allBackwardGuards.addAll(List.of(g));
      for (int s : gradSlots[j]) {
        allGradSlots.add(s);
        Slot slot = slots[s];
        if (slot.kind() == Slot.Kind.STEP && steps[slot.index()].kind() == Step.Kind.KERNEL)
          freshOutput[slot.index()] = true;
      }
    }
    int[] phase = new int[steps.length];
    for (int k = 0; k < steps.length; k++) phase[k] = -1;
    for (int j = 0; j < nb; j++)
      for (int k = backwards[j].start(); k < backwards[j].end(); k++) phase[k] = j;
    int[] gradSlotArray = allGradSlots.stream().mapToInt(Integer::intValue).toArray();
    fusion =
        unusable == null && Fusion.enabled()
            ? Fusion.plan(
                slots,
                steps,
                phase,
                guardPositions(allBackwardGuards),
                readOutside(allBackwardGuards, gradSlotArray),
                freshOutput,
                argStrides)
            : Fusion.none(steps.length);
    recomputeVersionsFrom = new int[nb];
    for (int j = 0;
        j < nb;
        j++) { // a backward group that recomputes forward values reads the arguments those read:
      // version-checked too
      Backward bw = backwards[j];
      recomputeVersionsFrom[j] = bw.versionSlots().length;
      List<Integer> vs = new ArrayList<>();
      for (int s : bw.versionSlots()) vs.add(s);
      for (int g = 0; g < fusion.groups.length; g++) {
        if (fusion.groups[g].first < bw.start() || fusion.groups[g].first >= bw.end()) continue;
        for (int s : fusion.recomputedInputs(slots, steps, g)) if (!vs.contains(s)) vs.add(s);
      }
      if (vs.size() > bw.versionSlots().length) {
        backwards[j] =
            new Backward(
                bw.output(),
                bw.start(),
                bw.end(),
                bw.upstreamSlot(),
                bw.targetSlots(),
                bw.gradSlots(),
                bw.guards(),
                vs.stream().mapToInt(Integer::intValue).toArray());
      }
    }
    int[] reads = readCounts(gradSlotArray);
    accumulatedBy = unusable == null ? accumulations(reads) : new int[0];
    sgdCovers = unusable == null ? SgdUpdate.plan(slots, steps, reads, fusion.groupOf) : new int[0];
    accumulating = new int[accumulatedBy.length];
    Arrays.fill(accumulating, -1);
    for (int k = 0; k < accumulatedBy.length; k++)
      if (accumulatedBy[k] >= 0) accumulating[accumulatedBy[k]] = k;
    plan =
        unusable == null
            ? new BufferPlan(
                slots,
                steps,
                forwardSteps,
                phase,
                guards,
                allBackwardGuards.toArray(new Guard[0]),
                this.outputSlots,
                gradSlotArray,
                freshOutput,
                fusion.internal,
                accumulatedBy)
            : new BufferPlan(
                slots,
                Arrays.copyOf(steps, unusableAt),
                unusableAt,
                new int[unusableAt],
                guards,
                new Guard[0],
                new int[0],
                new int[0],
                new boolean[unusableAt],
                new boolean[unusableAt],
                new int[0]);
  }

  /**
   * Kernel steps whose output only a gradient accumulation into a leaf's {@code .grad} reads (the
   * weight gradients of a training step): the replay runs the kernel at the accumulation, into the
   * accumulation's own buffer when {@code .grad} is null (no copy), or adding a product straight
   * into {@code .grad} (GEMM with accumulation, as eager's backward does) when it is set. Only
   * gradient accumulations may come in between, so the kernel's inputs are the same then.
   */
  private int[] accumulations(int[] reads) {
    int[] by = new int[steps.length];
    Arrays.fill(by, -1);
    for (int e = 0; e < steps.length; e++) {
      Step acc = steps[e];
      if (acc.kind() != Step.Kind.EFFECT || !(acc.attrs() instanceof Effects.AccumulateGrad))
        continue;
      int g = acc.in()[1];
      if (g < 0 || slots[g].kind() != Slot.Kind.STEP || slots[g].root() != g) continue;
      int j = slots[g].index();
      Step k = steps[j];
      if (k.kind() != Step.Kind.KERNEL
          || j >= e
          || reads[g] != 1
          || fusion.groupOf[j] >= 0
          || freshOutput[j]
          || k.dtype() != acc.dtype()
          || !Arrays.equals(k.shape(), acc.shape())) continue;
      boolean between = true;
      for (int m = j + 1; m < e && between; m++)
        between =
            steps[m].kind() != Step.Kind.EFFECT
                || steps[m].attrs() instanceof Effects.AccumulateGrad;
      if (between) by[j] = e;
    }
    return by;
  }

  // how often each root slot is read: by steps, guards, the outputs and the returned gradients
  private int[] readCounts(int[] gradSlotArray) {
    int[] reads = new int[slots.length];
    for (Step st : steps) for (int s : st.in()) if (s >= 0) reads[slots[s].root()]++;
    for (Guard g : guards) reads[slots[g.slot()].root()]++;
    for (Backward b : backwards) for (Guard g : b.guards()) reads[slots[g.slot()].root()]++;
    for (int s : outputSlots) if (s >= 0) reads[slots[s].root()]++;
    for (int s : gradSlotArray) if (s >= 0) reads[slots[s].root()]++;
    return reads;
  }

  // the steps a guard is checked before: a fused group never runs across one
  private boolean[] guardPositions(List<Guard> backwardGuards) {
    boolean[] at = new boolean[steps.length + 1];
    for (Guard g : guards) at[Math.min(g.at(), steps.length)] = true;
    for (Guard g : backwardGuards) at[Math.min(g.at(), steps.length)] = true;
    return at;
  }

  // slots read by something other than a step: guards, the outputs, the returned gradients
  private boolean[] readOutside(List<Guard> backwardGuards, int[] gradSlotArray) {
    boolean[] read = new boolean[slots.length];
    for (Guard g : guards) read[g.slot()] = true;
    for (Guard g : backwardGuards) read[g.slot()] = true;
    for (int s : outputSlots) if (s >= 0) read[s] = true;
    for (int s : gradSlotArray) if (s >= 0) read[s] = true;
    return read;
  }

  /** True when no replay is needed to know that this path runs eagerly. */
  boolean eagerWithoutReplay() {
    if (unusable == null) return false;
    for (Guard g : guards) if (g.at() <= unusableAt) return false;
    return true;
  }

  /**
   * What differs between a call and a trace; {@code depth} counts the checks that passed (the
   * deepest miss explains best).
   */
  record Mismatch(int depth, String text) {}

  /** Null when the call's arguments and grad mode fit this trace, else what differs. */
  Mismatch mismatch(Tensor[] args, boolean gradModeNow) {
    if (args.length == argDtypes.length && gradModeNow == gradMode) {
      boolean fits = true;
      for (int i = 0; i < args.length && fits; i++) {
        Tensor a = args[i];
        fits =
            a.dtype() == argDtypes[i]
                && Arrays.equals(a.shapeRef(), argShapes[i])
                && Arrays.equals(a.strideRef(), argStrides[i])
                && a.requiresGrad() == argRequiresGrad[i]
                && aliasOf(args, i) == argAlias[i];
      }
      for (int i = 0; i < captured.length && fits; i++)
        fits = captured[i].requiresGrad() == capturedRequiresGrad[i];
      if (fits) return null; // the common case, checked without building any text
    }
    return whatDiffers(args, gradModeNow);
  }

  // the mismatch with its text (only when the call does not fit)
  private Mismatch whatDiffers(Tensor[] args, boolean gradModeNow) {
    String t = " (trace " + number + ": ";
    if (args.length != argDtypes.length)
      return new Mismatch(0, args.length + " arguments" + t + argDtypes.length + ")");
    if (gradModeNow != gradMode)
      return new Mismatch(1, "grad mode " + on(gradModeNow) + t + on(gradMode) + ")");
    int depth = 2;
    for (int i = 0; i < args.length; i++, depth += 4) {
      Tensor a = args[i];
      if (a.dtype() != argDtypes[i])
        return new Mismatch(
            depth,
            "argument "
                + i
                + " has dtype "
                + a.dtype().torchName()
                + t
                + argDtypes[i].torchName()
                + ")");
      if (!Arrays.equals(a.shapeRef(), argShapes[i])) {
        return new Mismatch(
            depth + 1,
            "argument "
                + i
                + " has shape "
                + Shapes.str(a.shapeRef())
                + t
                + Shapes.str(argShapes[i])
                + ")");
      }
      if (!Arrays.equals(a.strideRef(), argStrides[i])) {
        return new Mismatch(
            depth + 2,
            "argument "
                + i
                + " has strides "
                + Arrays.toString(a.strideRef())
                + t
                + Arrays.toString(argStrides[i])
                + ")");
      }
      if (a.requiresGrad() != argRequiresGrad[i]) {
        return new Mismatch(
            depth + 3,
            "argument "
                + i
                + " has requiresGrad "
                + a.requiresGrad()
                + t
                + argRequiresGrad[i]
                + ")");
      }
    }
    for (int i = 0; i < args.length; i++) {
      int alias = aliasOf(args, i);
      if (alias != argAlias[i])
        return new Mismatch(
            depth,
            "argument " + i + " shares memory " + sharing(alias) + t + sharing(argAlias[i]) + ")");
    }
    for (int i = 0; i < captured.length; i++) {
      if (captured[i].requiresGrad() != capturedRequiresGrad[i]) {
        return new Mismatch(
            depth + i,
            "captured tensor "
                + i
                + " "
                + Shapes.str(captured[i].shapeRef())
                + " has requiresGrad "
                + captured[i].requiresGrad()
                + t
                + capturedRequiresGrad[i]
                + ")");
      }
    }
    return null;
  }

  // which earlier argument or captured tensor argument i shares its storage with: a write through
  // one is seen by the other
  private int aliasOf(Tensor[] args, int i) {
    dev.autograd.core.tensor.Storage st = dev.autograd.core.internal.Tensors.storage(args[i]);
    for (int j = 0; j < i; j++)
      if (dev.autograd.core.internal.Tensors.storage(args[j]) == st) return j;
    for (int c = 0; c < captured.length; c++)
      if (dev.autograd.core.internal.Tensors.storage(captured[c]) == st) return -2 - c;
    return -1;
  }

  private static String sharing(int alias) {
    return alias == -1
        ? "with nothing else"
        : alias >= 0 ? "with argument " + alias : "with captured tensor " + (-2 - alias);
  }

  private static String on(boolean b) {
    return b ? "on" : "off";
  }

  Arena borrow() {
    Arena a = pool.poll();
    if (a == null) return new Arena(this);
    pooled.decrementAndGet();
    return a;
  }

  void giveBack(Arena a) {
    a.clear();
    if (pooled.incrementAndGet() <= POOL_LIMIT) pool.offer(a);
    else pooled.decrementAndGet();
  }

  /**
   * Replays the forward into {@code a}: {@link #OK}, {@link #EAGER} (this path cannot be replayed
   * past its prefix), or the index of the first guard that came out differently.
   */
  int runForward(Tensor[] args, Arena a) {
    a.doneUpTo = -1;
    Tensor[] v = a.slots;
    for (int i = 0; i < argSlots.length; i++) v[argSlots[i]] = args[i];
    for (Slot s : slots) {
      if (s.kind() == Slot.Kind.CAPTURED) v[s.root()] = captured[s.index()];
      else if (s.kind() == Slot.Kind.CONST)
        v[s.root()] =
            constantWritten[s.index()]
                ? a.freshConstant(s.index(), constants[s.index()])
                : constants[s.index()];
    }
    int end = Math.min(forwardSteps, unusableAt);
    int g = 0;
    boolean before = GradMode.isEnabled();
    if (hasEffects)
      GradMode.setEnabled(
          false); // the writes ran with grad mode off when traced (the function's noGrad blocks do
    // not run on replay)
    try {
      for (int k = 0; k < end; k++) {
        while (g < guards.length && guards[g].at() == k) {
          if (!holds(guards[g], a)) return g;
          g++;
        }
        run(k, a);
      }
      while (g < guards.length && guards[g].at() <= end) {
        if (!holds(guards[g], a)) return g;
        g++;
      }
    } finally {
      if (hasEffects) GradMode.setEnabled(before);
    }
    if (unusable != null) return EAGER;
    for (int j = 0; j < backwards.length; j++) {
      int[] vs = backwards[j].versionSlots();
      for (int i = 0; i < vs.length; i++) a.versions[j][i] = v[vs[i]].version();
    }
    return OK;
  }

  private boolean holds(Guard g, Arena a) {
    return g.holds(g.valueOf(value(g.slot(), a)));
  }

  /**
   * The value of slot {@code s} in this call (a .grad slot is read afresh: backward and zeroGrad
   * replace it).
   */
  private Tensor value(int s, Arena a) {
    Slot slot = slots[s];
    if (slot.kind() == Slot.Kind.GRAD) a.slots[s] = a.slots[slot.index()].grad();
    return a.slots[s];
  }

  private void run(int k, Arena a) {
    int group = fusion.groupAt[k];
    if (group >= 0) {
      runGroup(group, a);
      return;
    }
    if (fusion.skipped[k]) return; // ran with its group
    if (k < accumulatedBy.length && accumulatedBy[k] >= 0) return; // runs at its accumulation
    if (k <= a.doneUpTo) return; // ran with an SGD update
    Step s = steps[k];
    Tensor[] in = a.inputs[k];
    int[] from = s.in();
    for (int i = 0; i < from.length; i++) in[i] = from[i] < 0 ? null : value(from[i], a);
    if (k < sgdCovers.length && sgdCovers[k] > 0) {
      int w = steps[k + 1].in()[0];
      if (SgdUpdate.run(in[0], in[1], value(w, a), sgdCovers[k] == 3)) {
        a.doneUpTo = k + sgdCovers[k] - 1;
        return;
      }
    }
    if (k < accumulating.length && accumulating[k] >= 0) {
      accumulate(k, in[0], a); // the gradient's kernel was left to run here
    } else if (s.kind() == Step.Kind.EFFECT) {
      ((Effect) s.attrs()).run(in, s.out() >= 0 ? a.outs[k] : null);
    } else if (s.kind() == Step.Kind.KERNEL) {
      Tensor out = freshOutput[k] ? Creation.uninitialized(s.dtype(), s.shape()) : a.outs[k];
      s.def().runKernel(in, s.attrs(), out);
      a.slots[s.out()] = out;
    } else if (s.kind() == Step.Kind.VIEW && viewReusable[k]) {
      a.slots[s.out()] = a.view(k, s, in);
    } else {
      a.slots[s.out()] = s.def().forward(s.attrs(), in);
    }
  }

  /**
   * Gradient accumulation {@code e} into {@code leaf.grad}, whose gradient is made by kernel step
   * {@code j} (deferred to here): with no {@code .grad} yet, the kernel writes the accumulation's
   * buffer, which becomes {@code .grad}; with one, a product is added into it by the GEMM (as the
   * engine's backward does); else the kernel writes its own buffer and the accumulation adds it.
   * The values are those of the kernel followed by the accumulation.
   */
  private void accumulate(int e, Tensor leaf, Arena a) {
    Step acc = steps[e];
    int j = accumulating[e];
    Step k = steps[j];
    Tensor[] in = a.inputs[j];
    int[] from = k.in();
    for (int i = 0; i < from.length; i++) in[i] = from[i] < 0 ? null : value(from[i], a);
    synchronized (leaf) { // the lock the engine takes for a leaf's .grad
      Tensor old = leaf.grad();
      Tensor own = a.outs[e];
      if (old == null && own != null) {
        k.def().runKernel(in, k.attrs(), own);
        a.slots[k.out()] = own;
        leaf.setGrad(own);
        return;
      }
      if (old != null
          && (Object) k.def() == dev.autograd.core.ops.Matmul.MM
          && dev.autograd.core.ops.Matmul.addIntoGrad(leaf, in[0], in[1])) return;
    }
    Tensor out = a.outs[j];
    k.def().runKernel(in, k.attrs(), out);
    a.slots[k.out()] = out;
    Tensor[] accIn = a.inputs[e];
    accIn[0] = leaf;
    accIn[1] = out;
    ((Effect) acc.attrs()).run(accIn, own(e, a));
  }

  private Tensor own(int e, Arena a) {
    return steps[e].out() >= 0 ? a.outs[e] : null;
  }

  // a fused group, or its steps one by one (fresh tensors) when an input is not laid out as traced
  private void runGroup(int group, Arena a) {
    FusedGroup fg = fusion.groups[group];
    int later = fusion.aheadOf[group];
    if (later >= 0) {
      a.ahead[later] = runAhead(fusion.ahead[group], a.aheadState[group], a);
      if (a.ahead[later]) return;
    }
    if (fg.run(a.slots, a.outs, freshOutput, a.fused[group])) return;
    int count = fg.recomputed + fg.lastStep() - fg.first + 1;
    for (int j = 0; j < count; j++) { // the forward values it recomputes first, then its steps
      int k = j < fg.recomputed ? fg.members[j] : fg.first + j - fg.recomputed;
      Step s = steps[k];
      Tensor[] in = a.inputs[k];
      for (int i = 0; i < in.length; i++) in[i] = s.in()[i] < 0 ? null : value(s.in()[i], a);
      a.slots[s.out()] = s.def().forward(s.attrs(), in);
    }
  }

  /**
   * A forward group and its backward group as one pass ({@link Fusion#ahead}), with an upstream
   * gradient of 1: the forward's sum and the backward's gradients (fresh tensors) land in their
   * slots. False, having run nothing, when an input is not laid out as traced.
   */
  private boolean runAhead(FusedGroup both, FusedGroup.State st, Arena a) {
    int[] ext = both.externalSlots;
    Tensor one = both.dtype == DType.FLOAT32 ? ONE_FLOAT : ONE_DOUBLE;
    for (int e : ext) if (Fusion.upstream(slots, steps, e)) a.slots[e] = one;
    try {
      return both.run(a.slots, a.outs, freshOutput, st);
    } finally {
      for (int e : ext) if (Fusion.upstream(slots, steps, e)) a.slots[e] = null;
    }
  }

  private static final Tensor ONE_FLOAT = Tensor.scalar(1.0, DType.FLOAT32);
  private static final Tensor ONE_DOUBLE = Tensor.scalar(1.0, DType.FLOAT64);

  // true when each group of backward b that recomputes forward values ran ahead in this call
  private boolean allAhead(Backward b, Arena a) {
    for (int g = 0; g < fusion.groups.length; g++) {
      FusedGroup fg = fusion.groups[g];
      if (fg.first >= b.start() && fg.first < b.end() && fg.recomputed > 0 && !a.ahead[g])
        return false;
    }
    return true;
  }

  // true when the upstream gradient is exactly 1 (what loss.backward() passes)
  private static boolean isOne(Tensor g) {
    return g.numel() == 1
        && dev.autograd.core.internal.Tensors.storage(g).get(g.storageOffset()) == 1.0;
  }

  /**
   * The caller's outputs after a replayed forward: fresh copies, or the argument/captured tensor
   * returned as is.
   */
  Tensor[] outputs(Tensor[] args, Arena a) {
    Tensor[] out = new Tensor[outputSlots.length];
    for (int i = 0; i < out.length; i++) {
      int s = outputSlots[i];
      Slot slot = slots[s];
      if (slot.kind() == Slot.Kind.ARG) out[i] = args[slot.index()];
      else if (slot.kind() == Slot.Kind.CAPTURED) out[i] = captured[slot.index()];
      else if (slot.kind() == Slot.Kind.GRAD) out[i] = value(s, a);
      else out[i] = outputCopied[i] ? Creation.copyOf(a.slots[s], slot.dtype()) : a.slots[s];
    }
    return out;
  }

  /**
   * The real tensors whose gradients backward {@code j} computes: arguments or captured tensors.
   */
  Tensor[] targets(int j, Tensor[] args) {
    int[] ts = backwards[j].targetSlots();
    Tensor[] t = new Tensor[ts.length];
    for (int i = 0; i < t.length; i++) {
      Slot s = slots[ts[i]];
      t[i] = s.kind() == Slot.Kind.ARG ? args[s.index()] : captured[s.index()];
    }
    return t;
  }

  /**
   * Replays backward {@code j} with upstream gradient {@code g}: fresh gradients, one per target,
   * or null when a value a derivative branched on came out differently (the caller then computes
   * the gradients eagerly).
   */
  Tensor[] runBackward(int j, Arena a, Tensor g) {
    Backward b = backwards[j];
    a.doneUpTo = -1;
    boolean one = isOne(g);
    // when every recomputing group ran ahead in the forward, nothing is recomputed from the
    // arguments: only what eager's backward reads is checked
    int checked = one && allAhead(b, a) ? recomputeVersionsFrom[j] : b.versionSlots().length;
    int[] vs = b.versionSlots();
    for (int i = 0; i < checked; i++) {
      Tensor t = a.slots[vs[i]];
      if (t.version() != a.versions[j][i])
        throw modified(t, a.versions[j][i], i >= recomputeVersionsFrom[j]);
    }
    a.slots[b.upstreamSlot()] =
        g.isContiguous() ? g : g.contiguous(); // the plan was traced with a contiguous upstream
    Guard[] guards = b.guards();
    int n = 0;
    for (int k = b.start(); k < b.end(); k++) {
      for (; n < guards.length && guards[n].at() == k; n++) {
        if (!holds(guards[n], a)) return null;
      }
      int group = fusion.groupAt[k];
      if (group >= 0 && a.ahead[group]) {
        a.ahead[group] = false; // its gradients, made in the forward, are handed out once
        if (one) continue;
      }
      run(k, a);
    }
    for (; n < guards.length; n++) if (!holds(guards[n], a)) return null;
    int[] gs = b.gradSlots();
    Tensor[] grads = new Tensor[gs.length];
    for (int i = 0; i < grads.length; i++) {
      Slot s = slots[gs[i]];
      Tensor v = a.slots[gs[i]];
      boolean fresh = s.kind() == Slot.Kind.STEP && freshOutput[s.index()];
      grads[i] =
          fresh
              ? v
              : Creation.copyOf(
                  v, s.dtype()); // one fresh tensor for several targets is fine: the engine sees it
      // shared
    }
    return grads;
  }

  private static IllegalStateException modified(Tensor t, int expected, boolean recomputed) {
    return new IllegalStateException(
        "one of the variables needed for gradient computation has been modified by an inplace operation: ["
            + t.dtype().torchName()
            + " "
            + Shapes.str(t.shapeRef())
            + "] is at version "
            + t.version()
            + "; expected version "
            + expected
            + " instead (read by CompiledFunctionBackward). Hint: call backward() before changing the compiled function's arguments"
            + " or captured tensors in place."
            + (recomputed
                ? " (Eager's backward does not read this tensor: the compiled one recomputes"
                    + " forward values from it instead of keeping them;"
                    + " -Dautograd.compile.recompute=false keeps them.)"
                : ""));
  }

  int backwardSteps() {
    return steps.length - forwardSteps;
  }

  /** True when some output gets a backward node. */
  boolean hasBackward() {
    return backwards.length > 0;
  }
}
