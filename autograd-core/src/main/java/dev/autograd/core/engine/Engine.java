package dev.autograd.core.engine;

import dev.autograd.core.GradMode;
import dev.autograd.core.Node;
import dev.autograd.core.Tensor;
import dev.autograd.core.internal.NodeAccess;
import dev.autograd.core.internal.SharedSecrets;
import dev.autograd.core.internal.StorageAccess;
import dev.autograd.core.internal.TensorAccess;
import dev.autograd.core.internal.Tensors;
import dev.autograd.core.tensor.Storage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The backward pass: walks the nodes reachable from the roots in decreasing sequence order (see
 * Note [sequence numbers] in {@link Node}), iteratively, so a graph of any depth runs without
 * recursion. Pending gradients live in a map owned by one call, so concurrent backward passes over
 * different graphs never share state; leaves accumulate under their own lock.
 *
 * <p>Note [owned gradients]: when no graph of the backward pass is recorded, a gradient that a
 * built-in derivative ({@link OpNode}) has just allocated, and returned for one input only, can be
 * referenced by nothing but the engine: no node saved it (grad mode is off), and hooks, retained
 * grads and captured outputs only ever see the gradient arriving at a node. The engine owns such a
 * gradient: it sums further contributions into it in place, moves it into a leaf's empty {@code
 * .grad} instead of copying it, and recycles its array ({@link StorageAccess#recycle}) once
 * consumed, so the next large allocation reuses warm memory. "Just allocated" is told by the
 * storage's creation number ({@link Storage#serial()}); a gradient passed through unchanged (a view
 * of the incoming gradient) inherits the incoming gradient's ownership. One gradient returned for
 * several inputs (AddBackward's {@code g, g}) is owned only once a single holder is left, e.g. when
 * the other contribution was summed into a leaf's owned gradient on arrival.
 */
public final class Engine {
  private Engine() {}

  // Node, Tensor and Storage keep these members out of their public API (see SharedSecrets).
  private static final NodeAccess NODES = SharedSecrets.nodes();
  private static final TensorAccess TENSORS = SharedSecrets.tensors();
  private static final StorageAccess STORAGES = SharedSecrets.storages();

  /**
   * The node being applied on this thread and the leaves its derivative may add into ({@link
   * OpNode#gradTarget}).
   */
  private static final ThreadLocal<Object[]> GRAD_TARGETS = new ThreadLocal<>();

  static Tensor gradTarget(OpNode node, int i) {
    Object[] t = GRAD_TARGETS.get();
    return t == null || t[0] != node ? null : (Tensor) t[i + 1];
  }

  /**
   * For an entry whose derivative adds into leaves' gradients: the leaves among {@code node}'s
   * inputs that nothing watches (no hooks on their AccumulateGrad) and whose shape the gradient has
   * already, as {@code {node, leaf or null per input}}; null if none.
   */
  private static Object[] gradTargets(OpNode node, Node[] next) {
    Object[] t = null;
    for (int i = 0; i < next.length; i++) {
      if (!(next[i] instanceof AccumulateGrad) || NODES.hasHooks(next[i])) continue;
      Tensor leaf = ((AccumulateGrad) next[i]).variable();
      if (!Arrays.equals(leaf.shapeRef(), NODES.inputShapes(node)[i])
          || leaf.dtype() != NODES.inputDtypes(node)[i]) continue;
      if (t == null) {
        t = new Object[next.length + 1];
        t[0] = node;
      }
      t[i + 1] = leaf;
    }
    return t;
  }

  /**
   * Anomaly mode (see {@link Anomaly}); {@code checkNan}: every computed gradient is checked for
   * NaN.
   */
  public static void setDetectAnomaly(boolean on, boolean checkNan) {
    Anomaly.checkNan = checkNan;
    Anomaly.enabled = on;
  }

  /** Whether anomaly mode is on. */
  public static boolean isDetectAnomaly() {
    return Anomaly.enabled;
  }

  /**
   * Makes backward fill {@code t.grad} with the gradient arriving at {@code node} (t's grad_fn).
   */
  public static void retainGrad(Node node, Tensor t) {
    NODES.retainOutput(node, t);
  }

  /** {@code Tensor.backward}: accumulates d(roots)/d(leaf) into every reachable leaf's .grad. */
  public static void backward(
      Tensor[] roots, Tensor[] grads, boolean retainGraph, boolean createGraph) {
    // inside a compiled function being traced: traced (gradients as steps, .grad updates as
    // effects)
    if (dev.autograd.core.compile.Tracer.active
        && dev.autograd.core.compile.Tracer.backward(roots, grads, retainGraph, createGraph))
      return;
    run(roots, grads, retainGraph, createGraph, null);
  }

  /**
   * {@code backward(inputs=...)}: accumulates d(roots)/d(input) into the .grad of each of {@code
   * inputs} only (leaves or not); an input the roots do not reach keeps its .grad.
   */
  public static void backward(
      Tensor[] roots, Tensor[] grads, boolean retainGraph, boolean createGraph, Tensor[] inputs) {
    if (inputs.length == 0)
      throw new IllegalArgumentException("'inputs' argument to backward() cannot be empty.");
    if (dev.autograd.core.compile.Tracer.active)
      dev.autograd.core.compile.Tracer.unsupported(
          "backward(inputs=...) inside the compiled function");
    Map<Node, Tensor> wanted = new IdentityHashMap<>();
    for (int i = 0; i < inputs.length; i++) {
      Tensor in = inputs[i];
      if (in == null) throw new IllegalArgumentException("backward: inputs[" + i + "] is null");
      if (!in.requiresGrad())
        throw new IllegalStateException("can't retain_grad on Tensor that has requires_grad=False");
      wanted.putIfAbsent(TENSORS.gradEdge(in), in);
    }
    Map<Node, Tensor> captured = run(roots, grads, retainGraph, createGraph, wanted.keySet());
    for (Map.Entry<Node, Tensor> e : wanted.entrySet()) {
      Tensor g = captured.get(e.getKey());
      if (g != null)
        AccumulateGrad.accumulate(
            e.getValue(), fitTo(g, e.getValue().shapeRef(), e.getValue().dtype()), createGraph);
    }
  }

  /**
   * {@code Autograd.grad}: returns d(outputs)/d(inputs) without touching any .grad. An input that
   * the outputs do not depend on is an error unless {@code allowUnused}, in which case its gradient
   * is null.
   */
  public static Tensor[] grad(
      Tensor[] outputs,
      Tensor[] inputs,
      Tensor[] gradOutputs,
      boolean retainGraph,
      boolean createGraph,
      boolean allowUnused) {
    if (inputs.length == 0) throw new IllegalArgumentException("grad requires non-empty inputs.");
    if (dev.autograd.core.compile.Tracer
        .active) { // called by a compiled function being traced: its steps join the trace
      Tensor[] traced =
          dev.autograd.core.compile.Tracer.grad(
              outputs, inputs, gradOutputs, retainGraph, createGraph, allowUnused);
      if (traced != null) return traced;
    }
    Map<Node, Integer> wanted = new IdentityHashMap<>();
    for (int i = 0; i < inputs.length; i++) {
      Tensor in = inputs[i];
      if (in == null) throw new IllegalArgumentException("grad: inputs[" + i + "] is null");
      if (!in.requiresGrad()) {
        throw new IllegalArgumentException(
            "One of the differentiated Tensors does not require grad (input " + i + ")");
      }
      wanted.put(TENSORS.gradEdge(in), i);
    }
    Map<Node, Tensor> captured =
        run(outputs, gradOutputs, retainGraph, createGraph, wanted.keySet());
    Tensor[] result = new Tensor[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      Tensor g = captured.get(TENSORS.gradEdge(inputs[i]));
      if (g == null && !allowUnused) {
        throw new IllegalArgumentException(
            "One of the differentiated Tensors appears to not have been used in the graph. Set allowUnused=true if this is the"
                + " desired behavior (input "
                + i
                + ").");
      }
      result[i] = g;
    }
    return result;
  }

  private static Map<Node, Tensor> run(
      Tensor[] roots, Tensor[] grads, boolean retainGraph, boolean createGraph, Set<Node> capture) {
    if (dev.autograd.core.compile.Tracer.active) dev.autograd.core.compile.Tracer.engineRun();
    // a traced backward must not sum gradients in place (a trace records ops, not writes): like
    // create_graph
    boolean recording = createGraph || dev.autograd.core.compile.Tracer.tracingBackward();
    PendingGrads pending = new PendingGrads();
    PriorityQueue<Node> ready =
        new PriorityQueue<>((x, y) -> Long.compare(y.sequenceNr(), x.sequenceNr()));
    for (int i = 0; i < roots.length; i++) {
      Tensor root = roots[i];
      if (!root.requiresGrad()) {
        throw new IllegalStateException(
            "element " + i + " of tensors does not require grad and does not have a grad_fn");
      }
      Tensor g = grads == null ? null : grads[i];
      if (g == null) {
        if (root.numel() != 1) {
          throw new IllegalStateException(
              "grad can be implicitly created only for scalar outputs (the output has shape "
                  + Arrays.toString(root.shape())
                  + "); pass a gradient of that shape to backward(gradient)");
        }
        g = Tensor.onesLike(root);
      } else if (!Arrays.equals(g.shapeRef(), root.shapeRef())) {
        throw new IllegalArgumentException(
            "Mismatch in shape: grad_output["
                + i
                + "] has a shape of "
                + Arrays.toString(g.shape())
                + " and output["
                + i
                + "] has a shape of "
                + Arrays.toString(root.shape())
                + ".");
      }
      push(
          pending,
          ready,
          TENSORS.gradEdge(root),
          g,
          true); // outside the grad-mode scope: never in place
    }
    Set<Node> needed = capture == null ? null : nodesLeadingTo(ready, capture);
    Map<Node, Tensor> captured = capture == null ? null : new IdentityHashMap<>();
    try (GradMode.Scope ignored = GradMode.scope(createGraph)) {
      while (!ready.isEmpty()) {
        Node node = ready.poll();
        Tensor g = pending.remove(node);
        boolean owned = pending.removedOwned;
        boolean hooked = NODES.hasHooks(node);
        if ((hooked || NODES.retainedOutput(node) != null)
            && recording
            && dev.autograd.core.compile.Tracer.active) dev.autograd.core.compile.Tracer.hooked();
        if (hooked) {
          owned = false; // a hook may keep the gradient it sees
          g = NODES.runPreHooks(node, g);
        }
        if (capture != null) {
          if (capture.contains(node)) {
            captured.put(node, g);
            owned = false; // handed to the caller
          }
          if (!needed.contains(node) || node instanceof AccumulateGrad) continue;
        } else if (node instanceof AccumulateGrad) {
          if (!((AccumulateGrad) node).accumulate(g, createGraph, owned) && owned)
            STORAGES.recycle(Tensors.storage(g));
          continue;
        } else {
          Tensor retained = NODES.retainedOutput(node);
          if (retained != null) AccumulateGrad.accumulate(retained, g, createGraph);
        }
        if (!(node instanceof OpNode)) owned = false; // a custom backward may keep its grad_output
        long epoch = Storage.lastSerial();
        // a matmul's weight gradient added straight into an existing .grad: no new array, no second
        // pass
        Object[] targets =
            capture == null
                    && !recording
                    && !hooked
                    && !Anomaly.enabled
                    && node instanceof OpNode
                    && ((OpNode) node).def().addsIntoGrads()
                ? gradTargets((OpNode) node, NODES.next(node))
                : null;
        Tensor[] inputGrads;
        if (Anomaly.enabled) {
          inputGrads = applyInAnomalyMode(node, g);
        } else if (targets == null) {
          inputGrads = NODES.runPostHooks(node, NODES.apply(node, g), g);
        } else {
          GRAD_TARGETS.set(targets);
          try {
            inputGrads = NODES.apply(node, g); // no post hooks (not hooked)
          } finally {
            GRAD_TARGETS.set(null);
          }
        }
        if (!retainGraph) NODES.release(node);
        Node[] next = NODES.next(node);
        int n = next.length;
        boolean trusted =
            !recording
                && !hooked
                && (node instanceof OpNode
                    || node instanceof FreshGradients); // a hook's tensors are the user's
        Tensor[] fitted =
            inputGrads; // copied on the first entry that changes (never written in place)
        for (int i = 0; i < n; i++) {
          Node target = next[i];
          Tensor gi = inputGrads[i];
          Tensor fi = null;
          if (target != null
              && gi != null
              && (needed == null || needed.contains(target) || capture.contains(target))) {
            fi = fitTo(gi, NODES.inputShapes(node)[i], NODES.inputDtypes(node)[i]);
          }
          if (fi != gi) {
            if (fitted == inputGrads) fitted = Arrays.copyOf(inputGrads, n);
            fitted[i] = fi;
          }
        }
        boolean passedOn = false; // some input gradient shares the incoming gradient's storage
        for (int i = 0; i < n; i++) {
          Tensor gi = fitted[i];
          if (gi == null || next[i] == null) continue;
          Storage si = Tensors.storage(gi);
          boolean fromG = si == Tensors.storage(g);
          passedOn |= fromG;
          boolean fresh = trusted && (fromG ? owned : si.serial() > epoch);
          if (fresh && firstWith(fitted, si) < i)
            continue; // pushed with the first input that shares it
          if (!fresh || !sharedAfter(fitted, i, si)) {
            if ((pending.add(next[i], gi, fresh, recording) & PendingGrads.READY) != 0)
              ready.add(next[i]);
            continue;
          }
          // one fresh gradient for several inputs (AddBackward's g, g): owned by the only holder
          // left, if any
          int kept = 0;
          Node keeper = null;
          for (int j = i; j < n; j++) {
            if (fitted[j] == null || next[j] == null || Tensors.storage(fitted[j]) != si) continue;
            int r = pending.add(next[j], fitted[j], false, recording);
            if ((r & PendingGrads.READY) != 0) ready.add(next[j]);
            if ((r & PendingGrads.KEPT) != 0) {
              kept++;
              keeper = next[j];
            }
          }
          if (kept == 1) pending.markOwned(keeper, si);
          else if (kept == 0) STORAGES.recycle(si);
        }
        if (owned && !passedOn) STORAGES.recycle(Tensors.storage(g));
      }
    }
    return captured;
  }

  private static void push(
      PendingGrads pending, PriorityQueue<Node> ready, Node node, Tensor g, boolean recording) {
    if ((pending.add(node, g, false, recording) & PendingGrads.READY) != 0) ready.add(node);
  }

  /** The first input gradient that lives in storage {@code s}. */
  private static int firstWith(Tensor[] grads, Storage s) {
    int j = 0;
    while (grads[j] == null || Tensors.storage(grads[j]) != s) j++;
    return j;
  }

  /** True when an input gradient after {@code i} also lives in storage {@code s}. */
  private static boolean sharedAfter(Tensor[] grads, int i, Storage s) {
    for (int j = i + 1; j < grads.length; j++)
      if (grads[j] != null && Tensors.storage(grads[j]) == s) return true;
    return false;
  }

  // Un-broadcasting happens here, once, so that derivatives are written as if shapes matched.
  private static Tensor fitTo(Tensor g, int[] shape, dev.autograd.core.DType dtype) {
    if (g.shapeRef() != shape && !Arrays.equals(g.shapeRef(), shape)) g = g.sumTo(shape);
    if (g.dtype() != dtype) g = g.to(dtype);
    return g;
  }

  /** The nodes from which some captured node is reachable (only they need to run). */
  private static Set<Node> nodesLeadingTo(PriorityQueue<Node> roots, Set<Node> capture) {
    List<Node> order = new ArrayList<>();
    Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    ArrayDeque<Node> stack = new ArrayDeque<>(roots);
    while (!stack.isEmpty()) {
      Node n = stack.pop();
      if (!seen.add(n)) continue;
      order.add(n);
      for (Node m : NODES.next(n)) if (m != null) stack.push(m);
    }
    order.sort((x, y) -> Long.compare(x.sequenceNr(), y.sequenceNr())); // inputs first
    Set<Node> needed = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Node n : order) {
      for (Node m : NODES.next(n)) {
        if (m != null && (needed.contains(m) || capture.contains(m))) {
          needed.add(n);
          break;
        }
      }
    }
    return needed;
  }

  // runs the node; a failure (or a NaN gradient, with checkNan) reports where the forward pass
  // created it
  private static Tensor[] applyInAnomalyMode(Node node, Tensor g) {
    try {
      Tensor[] out = NODES.runPostHooks(node, NODES.apply(node, g), g);
      if (Anomaly.checkNan) {
        for (int i = 0; i < out.length; i++) {
          if (out[i] != null && out[i].hasNaN()) {
            throw new IllegalStateException(
                "Function '" + node.name() + "' returned nan values in its " + i + "th output.");
          }
        }
      }
      return out;
    } catch (RuntimeException e) {
      Anomaly.annotate(e, node, NODES.forwardCallSite(node));
      throw e;
    }
  }
}
