package dev.autograd.core.engine;

import dev.autograd.core.DType;
import dev.autograd.core.GradMode;
import dev.autograd.core.Node;
import dev.autograd.core.Tensor;
import dev.autograd.core.internal.SharedSecrets;
import dev.autograd.core.ops.OpDef;

/** Records ops into the graph: the one place where an op's output gets its {@code grad_fn}. */
public final class Graph {
  private Graph() {}

  /** True when an op on these inputs must record a node (grad mode on, some input needs grad). */
  public static boolean needsRecording(Tensor... inputs) {
    for (Tensor t : inputs)
      if (t != null && t.requiresGrad())
        return GradMode.isEnabled(); // field reads before the thread-local
    return false;
  }

  /**
   * Gives {@code y}, the output of {@code def} on {@code inputs}, a node that keeps the entry, its
   * attributes and {@code saved} (the tensors the derivative reads back through {@link
   * OpNode#saved(int)}). The caller has checked {@link #needsRecording}.
   */
  public static Tensor record(
      OpDef<?> def, Object attrs, Tensor y, Tensor[] inputs, Tensor[] saved) {
    SharedSecrets.tensors().attachGradFn(y, node(def, attrs, inputs, saved));
    return y;
  }

  /**
   * The node {@link #record} would attach, for callers that attach it themselves (in-place on
   * views).
   */
  public static Node node(OpDef<?> def, Object attrs, Tensor[] inputs, Tensor[] saved) {
    int n = inputs.length;
    Node[] next = new Node[n];
    int[][] shapes = new int[n][];
    DType[] dtypes = new DType[n];
    for (int i = 0; i < n; i++) {
      Tensor t = inputs[i];
      if (t == null) continue;
      next[i] = t.requiresGrad() ? SharedSecrets.tensors().gradEdge(t) : null;
      shapes[i] = t.shapeRef();
      dtypes[i] = t.dtype();
    }
    return new OpNode(def, attrs, next, shapes, dtypes, saved);
  }

  /** Records a node built elsewhere (custom functions) as {@code y}'s grad_fn. */
  public static Tensor attach(Tensor y, Node node) {
    SharedSecrets.tensors().attachGradFn(y, node);
    return y;
  }

  /** Node edges for {@code inputs}: their grad_fn, their AccumulateGrad, or null. */
  public static Node[] edges(Tensor[] inputs) {
    Node[] next = new Node[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      Tensor t = inputs[i];
      next[i] = t != null && t.requiresGrad() ? SharedSecrets.tensors().gradEdge(t) : null;
    }
    return next;
  }
}
