package dev.autograd.core.compile;

import dev.autograd.core.GradMode;
import dev.autograd.core.Tensor;
import dev.autograd.core.engine.Engine;
import dev.autograd.core.engine.Graph;
import dev.autograd.core.Node;
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
 * A compiled function's traces and calls (the implementation behind {@code CompiledFunction}).
 * A call replays the first trace whose guards hold; when none does, the function runs eagerly
 * once more while a new trace is recorded (up to {@link #maxTraces}; past it, calls run eagerly
 * and one warning names the call site).
 */
public final class Compiled {
  private static final Logger LOG = Logger.getLogger("dev.autograd");

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
    this.name = "compiled function" + (site == null ? "" : " from " + site.substring(site.indexOf('(')));
    this.maxTraces = maxTraces;
  }

  /** Runs the function: a replay, a new trace, or an eager call. */
  public Tensor[] call(Tensor[] args) {
    if (Tracer.tracing()) return checked(fn.apply(args)); // inside another trace: recorded inline
    if (dev.autograd.core.engine.Forward.anyTangent(args)) return checked(fn.apply(args)); // dual inputs: eager, so tangents propagate
    boolean gradMode = GradMode.isEnabled();
    String miss = null;
    Trace.Mismatch closest = null;
    for (Trace t : traces) {
      Trace.Mismatch diff = t.mismatch(args, gradMode);
      if (diff != null) {
        if (closest == null || diff.depth() > closest.depth()) closest = diff;
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
      Guard g = t.guards[r];
      miss = g.what() + (g.site() == null ? "" : " at " + g.site()) + " came out " + (g.exact() ? "another value" : String.valueOf(g.expected() == 0))
          + " (trace " + t.number + " took " + (g.exact() ? String.valueOf(g.expected()) : String.valueOf(g.expected() != 0)) + ")";
    }
    if (miss == null && closest != null) miss = closest.text();
    return retrace(args, miss == null ? "first call" : miss);
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
    if (out == null) throw new IllegalStateException(name + ": the compiled function returned null; return a tensor");
    for (int i = 0; i < out.length; i++) {
      if (out[i] == null) throw new IllegalStateException(name + ": output " + i + " of the compiled function is null; return tensors");
    }
    return out;
  }

  private synchronized Tensor[] retrace(Tensor[] args, String reason) {
    if (traces.size() >= maxTraces) {
      String site = CallSite.find();
      warnOnce("bound", name + " has " + traces.size() + " traces, its limit: calls that fit none of them run eagerly (last miss: " + reason
          + "; called from " + site + "). Pass values that change from call to call as tensor arguments rather than reading them"
          + " with item(), or raise the limit.");
      return eager(args);
    }
    boolean gradMode = GradMode.isEnabled();
    Tensor[] views = new Tensor[args.length];
    for (int i = 0; i < args.length; i++) {
      if (args[i] == null) throw new IllegalArgumentException(name + ": argument " + i + " is null");
      // a view per argument: the trace tells arguments apart from captured tensors by identity, and the
      // traced backward stops at them (their own history stays the engine's business)
      views[i] = gradMode && args[i].requiresGrad() ? Movement.alias(args[i]) : args[i].detach();
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
      outSlots = r.finishForward(outs);
      outGrad = new boolean[outs.length];
      for (int i = 0; i < outs.length && r.unusable == null; i++) {
        outGrad[i] = gradMode && outs[i].requiresGrad();
        if (!outGrad[i]) continue;
        Slot.Kind k = r.slots.get(outSlots[i]).kind();
        if (k == Slot.Kind.ARG || k == Slot.Kind.CAPTURED) continue; // the input itself: it keeps its own history
        int[][] traced = traceBackward(r, views, outs[i]);
        gradOutputs.add(i);
        targetSlots.add(traced[0]);
        gradSlots.add(traced[1]);
      }
    } finally {
      Tracer.end();
    }
    Trace t = new Trace(traces.size() + 1, reason, args, gradMode, r, outSlots, outGrad, gradOutputs.stream().mapToInt(Integer::intValue).toArray(),
        targetSlots.toArray(new int[0][]), gradSlots.toArray(new int[0][]));
    List<Trace> next = new ArrayList<>(traces);
    next.add(t);
    traces = List.copyOf(next);
    if (t.unusable != null) warnOnce(t.unusable, name + " runs eagerly on this path: " + t.unusable);
    eagerCalls.incrementAndGet();
    for (int i = 0; i < outs.length; i++) {
      for (int j = 0; j < views.length; j++) if (outs[i] == views[j]) outs[i] = args[j]; // as eager: the argument itself
    }
    return outs;
  }

  /** Traces {@code Autograd.grad(out, targets, upstream)}: returns the target slots and their gradients' slots. */
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
    Tensor[] grads = Engine.grad(new Tensor[] {out}, targets.toArray(new Tensor[0]), new Tensor[] {upstream}, true, false, true);
    int[] slots = r.finishBackward(grads);
    List<Integer> keptTargets = new ArrayList<>();
    List<Integer> keptGrads = new ArrayList<>();
    for (int j = 0; j < grads.length; j++) {
      if (slots[j] < 0) continue; // not used: no edge
      keptTargets.add(targetSlots.get(j));
      keptGrads.add(slots[j]);
    }
    return new int[][] {keptTargets.stream().mapToInt(Integer::intValue).toArray(), keptGrads.stream().mapToInt(Integer::intValue).toArray()};
  }

  /**
   * A captured non-leaf whose history reaches another target: the traced gradient of the one
   * would include the path through the other, and the engine would add that path again.
   */
  private static String dependentTargets(List<Tensor> targets) {
    Set<Node> edges = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Tensor t : targets) edges.add(dev.autograd.core.internal.SharedSecrets.tensors().gradEdge(t));
    for (Tensor t : targets) {
      if (t.gradFn() == null) continue;
      Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
      ArrayDeque<Node> todo = new ArrayDeque<>(t.gradFn().nextFunctions().stream().filter(n -> n != null).toList());
      while (!todo.isEmpty()) {
        Node n = todo.pop();
        if (!seen.add(n)) continue;
        if (edges.contains(n)) return "a tensor whose gradient the function needs is computed from another one it also reads (an argument from a captured tensor,"
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
      for (int i = 0; i < args.length; i++) views[i] = args[i].requiresGrad() ? Movement.alias(args[i]) : args[i].detach();
      out = checked(fn.apply(views))[t.backwards[backward].output()];
    }
    int[] targetSlots = t.backwards[backward].targetSlots();
    Tensor[] targets = new Tensor[targetSlots.length];
    for (int j = 0; j < targets.length; j++) {
      Slot s = t.slots[targetSlots[j]];
      targets[j] = s.kind() == Slot.Kind.ARG ? views[s.index()] : t.captured[s.index()];
    }
    return Engine.grad(new Tensor[] {out}, targets, new Tensor[] {g}, createGraph, createGraph, true);
  }

  private void warnOnce(String key, String message) {
    if (warned.add(key)) LOG.warning(message);
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
    List<Trace> ts = traces;
    if (trace < 1 || trace > ts.size()) {
      throw new IllegalArgumentException(name + " has " + ts.size() + " trace(s); trace numbers start at 1, got " + trace);
    }
    return TraceText.dot(ts.get(trace - 1));
  }
}
