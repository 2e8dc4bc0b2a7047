package dev.autograd.core.compile;

import dev.autograd.core.Node;
import dev.autograd.core.Tensor;
import dev.autograd.core.engine.AccumulateGrad;
import dev.autograd.core.engine.Engine;
import dev.autograd.core.internal.NodeAccess;
import dev.autograd.core.internal.SharedSecrets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * {@code backward()} called by a traced function (a whole training step): the gradients of the
 * leaves it reaches are traced like {@code Autograd.grad} (their steps join the trace), then each
 * is accumulated into its leaf's {@code .grad} by an {@link Effects.AccumulateGrad} effect, which
 * the trace performs now and every replay performs again. Leaves must be arguments or tensors the
 * function reads; hooks and retained gradients (Java code) make the trace eager.
 */
final class InlineBackward {
  private InlineBackward() {}

  private static final NodeAccess NODES = SharedSecrets.nodes();

  /**
   * Traces and performs the backward; false when the engine should run it instead (the trace is
   * then unusable).
   */
  static boolean run(Recorder r, Tensor[] roots, Tensor[] grads, boolean retainGraph) {
    List<Tensor> leaves = new ArrayList<>();
    List<Integer> leafSlots = new ArrayList<>();
    Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    ArrayDeque<Node> todo = new ArrayDeque<>();
    for (Tensor root : roots) {
      if (root == null || !root.requiresGrad()) return false; // the engine's own error
      Node n = SharedSecrets.tensors().gradEdge(root);
      if (n != null) todo.push(n);
    }
    while (!todo.isEmpty()) {
      Node n = todo.pop();
      if (!seen.add(n)) continue;
      if (NODES.hasHooks(n) || NODES.retainedOutput(n) != null) {
        r.unsupported(
            "backward() inside the compiled function meets a gradient hook or retainGrad() (their Java code is not traced)");
        return false;
      }
      if (n instanceof AccumulateGrad acc) {
        Tensor leaf = acc.variable();
        Integer s = r.knownSlot(leaf);
        Slot.Kind k = s == null ? null : r.slots.get(s).kind();
        if (k != Slot.Kind.ARG && k != Slot.Kind.CAPTURED) {
          r.unsupported(
              "backward() inside the compiled function reaches a leaf that is neither an argument nor a tensor the function reads");
          return false;
        }
        leaves.add(leaf);
        leafSlots.add(s);
        continue;
      }
      for (Node m : n.nextFunctions()) if (m != null) todo.push(m);
    }
    r.ranBackward = true;
    Tensor[] g;
    r.inline = true;
    try {
      g = Engine.grad(roots, leaves.toArray(new Tensor[0]), grads, retainGraph, false, true);
    } finally {
      r.inline = false;
    }
    Effect acc = new Effects.AccumulateGrad();
    for (int i = 0; i < g.length; i++) {
      if (g[i] == null) continue;
      Tensor leaf = leaves.get(i);
      if (!Tracer.effect(
          acc, leaf, g[i])) { // the trace became unusable: the write still happens, eagerly
        try (dev.autograd.core.GradMode.Scope s = dev.autograd.core.GradMode.scope(false)) {
          acc.run(new Tensor[] {leaf, g[i]}, null);
        }
      }
      r.gradFilled(leafSlots.get(i));
    }
    return true;
  }
}
