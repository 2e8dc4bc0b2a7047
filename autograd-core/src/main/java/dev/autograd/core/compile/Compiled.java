package dev.autograd.core.compile;

import dev.autograd.core.GradMode;
import dev.autograd.core.Node;
import dev.autograd.core.Tensor;
import dev.autograd.core.engine.Engine;
import dev.autograd.core.engine.Graph;
import dev.autograd.core.ops.Creation;
import dev.autograd.core.ops.Movement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * A compiled function's traces and calls (the implementation behind {@code CompiledFunction}). A
 * call replays the first trace whose guards hold; when none does, the function runs eagerly once
 * more while a new trace is recorded (up to {@link #maxTraces}; past it, calls run eagerly and one
 * warning names the call site).
 */
public final class Compiled {

  private final Function<Tensor[], Tensor[]> fn;
  private final String name;
  private final int maxTraces;
  private volatile List<Trace> traces = List.of();
  private final Set<String> warned = Collections.synchronizedSet(new HashSet<>());
  private final AtomicLong eagerCalls = new AtomicLong();
  private final AtomicLong eagerBackwards = new AtomicLong();

  /** Compiles {@code fn}; its name in messages is where it was compiled ({@code Model.java:12}). */
  public Compiled(Function<Tensor[], Tensor[]> fn, int maxTraces) {
    this.fn = fn;
    String site = CallSite.find();
    this.name =
        "compiled function" + (site == null ? "" : " from " + site.substring(site.indexOf('(')));
    this.maxTraces = maxTraces;
  }

  /** Runs the function: a replay, a new trace, or an eager call. */
  public Tensor[] call(Tensor[] args) {
    if (Tracer.tracing()) return checked(fn.apply(args)); // inside another trace: recorded inline
    if (dev.autograd.core.engine.Forward.anyTangent(args))
      return checked(fn.apply(args)); // dual inputs: eager, so tangents propagate
    boolean gradMode = GradMode.isEnabled();
    Trace missed = null; // the last trace whose guard came out differently, and that guard
    int missedGuard = -1;
    Trace.Mismatch closest = null;
    boolean unsettled = false;
    List<Trace> ts = traces;
    for (int i = 0; i < ts.size(); i++) { // indexed: no iterator per call
      Trace t = ts.get(i);
      Trace.Mismatch diff = t.mismatch(args, gradMode);
      if (diff != null) {
        if (closest == null || diff.depth() > closest.depth()) closest = diff;
        continue;
      }
      if (t.unstable != null) return eager(args);
      if (!t.settled) { // recorded once: replayed only after a second recording agrees
        unsettled = true;
        continue;
      }
      if (t.eagerWithoutReplay()) return eager(args);
      Arena a = t.borrow();
      int r;
      try {
        r = t.runForward(args, a);
      } catch (RuntimeException e) {
        t.giveBack(a);
        throw e;
      }
      if (r == Trace.OK) return finish(t, args, a);
      t.giveBack(a);
      if (r == Trace.EAGER) return eager(args);
      missed = t;
      missedGuard = r;
    }
    String miss = missed != null ? missText(missed, missedGuard) : null;
    if (miss == null && closest != null) miss = closest.text();
    return retrace(args, miss == null ? "first call" : miss, unsettled);
  }

  // why a call did not replay trace t: its guard g came out differently (text made only when
  // retracing, so a call that goes on to replay another trace allocates nothing for it)
  private static String missText(Trace t, int guard) {
    Guard g = t.guards[guard];
    return g.what()
        + (g.site() == null ? "" : " at " + g.site())
        + " came out "
        + (g.exact() ? "another value" : String.valueOf(g.expected() == 0))
        + " (trace "
        + t.number
        + " took "
        + (g.exact() ? String.valueOf(g.expected()) : String.valueOf(g.expected() != 0))
        + ")";
  }

  private Tensor[] finish(Trace t, Tensor[] args, Arena a) {
    t.replays.incrementAndGet();
    Tensor[] out = t.outputs(args, a);
    if (!t.hasBackward()) {
      t.giveBack(a);
      return out;
    }
    a.holders.set(t.backwards.length);
    for (int j = 0; j < t.backwards.length; j++) {
      Node node = new CompiledBackward(this, t, j, args, t.targets(j, args), a);
      Graph.attach(out[t.backwards[j].output()], node);
    }
    return out;
  }

  private Tensor[] eager(Tensor[] args) {
    eagerCalls.incrementAndGet();
    return checked(fn.apply(args));
  }

  private Tensor[] checked(Tensor[] out) {
    if (out == null)
      throw new IllegalStateException(
          name + ": the compiled function returned null; return a tensor");
    for (int i = 0; i < out.length; i++) {
      if (out[i] == null)
        throw new IllegalStateException(
            name + ": output " + i + " of the compiled function is null; return tensors");
    }
    return out;
  }

  /** A recorded call: its trace and the outputs of the eager run that recorded it. */
  private record Recording(Trace trace, Tensor[] outputs) {}

  /**
   * Records a new trace. With {@code unsettled}, a trace of this path that writes lasting state
   * waits for confirmation: a new recording of the same path that equals it settles it (so Java
   * state a function keeps, such as an optimizer's lazily made buffers, has taken its steady form),
   * one that differs replaces it, and after {@link #MAX_ATTEMPTS} disagreeing recordings the path
   * runs eagerly for good.
   */
  private synchronized Tensor[] retrace(Tensor[] args, String reason, boolean unsettled) {
    List<Trace> now = traces;
    if (unsettled) {
      Recording rec = record(args, reason, 0);
      Trace fresh = rec.trace();
      for (int i = 0; i < now.size(); i++) {
        Trace old = now.get(i);
        if (old.settled
            || old.unstable != null
            || old.mismatch(args, GradMode.isEnabled()) != null
            || !TraceDiff.samePath(old, fresh)) continue;
        String diff = TraceDiff.difference(old, fresh);
        Trace kept = rebuild(fresh, old.number, old.reason);
        if (diff == null) {
          kept.settled = true;
          if (kept.unusable != null)
            warnOnce(kept.unusable, name + " runs eagerly on this path: " + kept.unusable);
        } else {
          kept.attempts = old.attempts + 1;
          if (kept.attempts >= MAX_ATTEMPTS) {
            kept.unstable =
                "its recordings keep differing ("
                    + diff
                    + "): the function changes Java state that a trace cannot see (an"
                    + " optimizer's step count kept as a Java number, say)";
            warnOnce(
                "unstable" + kept.number, name + " runs eagerly on this path: " + kept.unstable);
          }
        }
        List<Trace> next = new ArrayList<>(now);
        next.set(i, kept);
        traces = List.copyOf(next);
        return rec.outputs();
      }
      if (now.size() < maxTraces) {
        add(rebuild(fresh, now.size() + 1, reason));
        return rec.outputs();
      }
      return rec.outputs(); // no room: the recording was an eager call all the same
    }
    if (now.size() >= maxTraces) {
      String site = CallSite.find();
      warnOnce(
          "bound",
          name
              + " has "
              + now.size()
              + " traces, its limit: calls that fit none of them run eagerly (last miss: "
              + reason
              + "; called from "
              + site
              + "). Pass values that change from call to call as tensor arguments rather than reading them"
              + " with item(), or raise the limit.");
      return eager(args);
    }
    Recording rec = record(args, reason, now.size() + 1);
    add(rec.trace());
    return rec.outputs();
  }

  private static final int MAX_ATTEMPTS = 4;

  private void add(Trace t) {
    List<Trace> next = new ArrayList<>(traces);
    next.add(t);
    traces = List.copyOf(next);
    // an unsettled trace is recorded again on its next call: its reason is said once that recording
    // agrees
    if (t.unusable != null && t.settled)
      warnOnce(t.unusable, name + " runs eagerly on this path: " + t.unusable);
  }

  // the same trace under another number and reason (a recording that settles or replaces an earlier
  // one keeps its place)
  private static Trace rebuild(Trace t, int number, String reason) {
    t.number = number; // not yet published: the volatile write of the trace list does that
    t.reason = reason;
    return t;
  }

  /**
   * Runs the function eagerly while recording it: the trace (numbered {@code number}) and the
   * call's outputs.
   */
  private Recording record(Tensor[] args, String reason, int number) {
    boolean gradMode = GradMode.isEnabled();
    Tensor[] views = new Tensor[args.length];
    for (int i = 0; i < args.length; i++) {
      if (args[i] == null)
        throw new IllegalArgumentException(name + ": argument " + i + " is null");
      // a view per argument: the trace tells arguments apart from captured tensors by identity, and
      // the
      // traced backward stops at them (their own history stays the engine's business)
      // (a leaf is passed itself: its .grad, in-place updates and backward() inside the function
      // are the caller's, as eager)
      views[i] =
          args[i].isLeaf() && !passedBefore(args, i)
              ? args[i]
              : gradMode && args[i].requiresGrad() ? Movement.alias(args[i]) : args[i].detach();
    }
    Recorder r = new Recorder(views);
    Tensor[] outs;
    int[] outSlots;
    boolean[] outGrad;
    List<Integer> gradOutputs = new ArrayList<>();
    List<int[]> targetSlots = new ArrayList<>();
    List<int[]> gradSlots = new ArrayList<>();
    Tracer.begin(r);
    try {
      outs = checked(fn.apply(views));
      r.checkGuardsBeforeWrites();
      outSlots = r.finishForward(outs);
      outGrad = new boolean[outs.length];
      for (int i = 0; i < outs.length && r.unusable == null; i++) {
        // after backward() inside the function (a training step), outputs come back without
        // history: their graph is spent
        outGrad[i] = gradMode && outs[i].requiresGrad() && !r.ranBackward;
        if (!outGrad[i]) continue;
        Slot.Kind k = r.slots.get(outSlots[i]).kind();
        if (k == Slot.Kind.ARG || k == Slot.Kind.CAPTURED || k == Slot.Kind.GRAD)
          continue; // the input itself: it keeps its own history
        int[][] traced = traceBackward(r, views, outs[i]);
        gradOutputs.add(i);
        targetSlots.add(traced[0]);
        gradSlots.add(traced[1]);
      }
    } finally {
      Tracer.end();
    }
    Trace t =
        new Trace(
            number,
            reason,
            args,
            gradMode,
            r,
            outSlots,
            outGrad,
            gradOutputs.stream().mapToInt(Integer::intValue).toArray(),
            targetSlots.toArray(new int[0][]),
            gradSlots.toArray(new int[0][]));
    eagerCalls.incrementAndGet();
    for (int i = 0; i < outs.length; i++) {
      for (int j = 0; j < views.length; j++)
        if (outs[i] == views[j]) outs[i] = args[j]; // as eager: the argument itself
    }
    return new Recording(t, outs);
  }

  private static boolean passedBefore(Tensor[] args, int i) {
    for (int j = 0; j < i; j++) if (args[j] == args[i]) return true;
    return false;
  }

  /**
   * Traces {@code Autograd.grad(out, targets, upstream)}: returns the target slots and their
   * gradients' slots.
   */
  private static int[][] traceBackward(Recorder r, Tensor[] views, Tensor out) {
    List<Integer> targetSlots = new ArrayList<>();
    List<Tensor> targets = new ArrayList<>();
    for (int i = 0; i < views.length; i++) {
      if (views[i].requiresGrad()) {
        targetSlots.add(r.argSlots[i]);
        targets.add(views[i]);
      }
    }
    for (int i = 0; i < r.slots.size(); i++) {
      Slot s = r.slots.get(i);
      if (s.kind() == Slot.Kind.CAPTURED && s.source().requiresGrad()) {
        targetSlots.add(i);
        targets.add(s.source());
      }
    }
    String dependent = dependentTargets(targets);
    if (dependent != null) {
      r.unsupported(dependent);
      return new int[][] {new int[0], new int[0]};
    }
    Tensor upstream;
    r.depth++;
    try {
      upstream = Creation.full(out.shapeRef(), 1, out.dtype());
    } finally {
      r.depth--;
    }
    r.startBackward(upstream);
    Tensor[] grads =
        Engine.grad(
            new Tensor[] {out},
            targets.toArray(new Tensor[0]),
            new Tensor[] {upstream},
            true,
            false,
            true);
    int[] slots = r.finishBackward(grads);
    List<Integer> keptTargets = new ArrayList<>();
    List<Integer> keptGrads = new ArrayList<>();
    for (int j = 0; j < grads.length; j++) {
      if (slots[j] < 0) continue; // not used: no edge
      keptTargets.add(targetSlots.get(j));
      keptGrads.add(slots[j]);
    }
    return new int[][] {
      keptTargets.stream().mapToInt(Integer::intValue).toArray(),
      keptGrads.stream().mapToInt(Integer::intValue).toArray()
    };
  }

  /**
   * A captured non-leaf whose history reaches another target: the traced gradient of the one would
   * include the path through the other, and the engine would add that path again.
   */
  private static String dependentTargets(List<Tensor> targets) {
    Set<Node> edges = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Tensor t : targets)
      edges.add(dev.autograd.core.internal.SharedSecrets.tensors().gradEdge(t));
    for (Tensor t : targets) {
      if (t.gradFn() == null) continue;
      Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
      ArrayDeque<Node> todo =
          new ArrayDeque<>(t.gradFn().nextFunctions().stream().filter(n -> n != null).toList());
      while (!todo.isEmpty()) {
        Node n = todo.pop();
        if (!seen.add(n)) continue;
        if (edges.contains(n))
          return "a tensor whose gradient the function needs is computed from another one it also reads (an argument from a captured tensor,"
              + " or two captured tensors): pass it once, or pass both as independent arguments";
        for (Node m : n.nextFunctions()) if (m != null) todo.push(m);
      }
    }
    return null;
  }

  /**
   * The eager backward (for createGraph, or when a value a derivative branched on changed): the
   * function again, with history, and gradients through that graph.
   */
  Tensor[] eagerGradients(Trace t, int backward, Tensor[] args, Tensor g, boolean createGraph) {
    eagerBackwards.incrementAndGet();
    Tensor[] views = new Tensor[args.length];
    Tensor out;
    try (GradMode.Scope s = GradMode.scope(true)) {
      for (int i = 0; i < args.length; i++)
        views[i] = args[i].requiresGrad() ? Movement.alias(args[i]) : args[i].detach();
      out = checked(fn.apply(views))[t.backwards[backward].output()];
    }
    int[] targetSlots = t.backwards[backward].targetSlots();
    Tensor[] targets = new Tensor[targetSlots.length];
    for (int j = 0; j < targets.length; j++) {
      Slot s = t.slots[targetSlots[j]];
      targets[j] = s.kind() == Slot.Kind.ARG ? views[s.index()] : t.captured[s.index()];
    }
    return Engine.grad(
        new Tensor[] {out}, targets, new Tensor[] {g}, createGraph, createGraph, true);
  }

  private void warnOnce(String key, String message) {
    // the logger is fetched only to warn: starting java.util.logging scans every jar on the class
    // path for a backend (see KernelProvider.log)
    if (warned.add(key)) Logger.getLogger("dev.autograd").warning(message);
  }

  // --- what was compiled ---

  public int traceCount() {
    return traces.size();
  }

  public long replayCount() {
    long n = 0;
    for (Trace t : traces) n += t.replays.get();
    return n;
  }

  public long eagerCount() {
    return eagerCalls.get();
  }

  public long eagerBackwardCount() {
    return eagerBackwards.get();
  }

  public String name() {
    return name;
  }

  public String describe() {
    return TraceText.describe(name, traces);
  }

  public String explain() {
    return TraceText.explain(name, traces, maxTraces);
  }

  public String toDot(int trace) {
    return TraceDrawing.dot(trace(trace));
  }

  /** Trace {@code number} as boxes and edges for the display package to lay out and draw. */
  public dev.autograd.core.internal.DrawnGraph drawing(int number) {
    return TraceDrawing.of(trace(number));
  }

  private Trace trace(int number) {
    List<Trace> ts = traces;
    if (number < 1 || number > ts.size()) {
      throw new IllegalArgumentException(
          name + " has " + ts.size() + " trace(s); trace numbers start at 1, got " + number);
    }
    return ts.get(number - 1);
  }
}
