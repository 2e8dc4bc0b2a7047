package dev.autograd.core.engine;

import dev.autograd.core.DType;
import dev.autograd.core.GradMode;
import dev.autograd.core.Node;
import dev.autograd.core.Tensor;
import dev.autograd.core.internal.SharedSecrets;
import dev.autograd.core.ops.OpDef;
import dev.autograd.core.tensor.Shapes;

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
    for (int i = 0; i < n; i++) {
      Tensor t = inputs[i];
      if (t != null && t.requiresGrad()) next[i] = SharedSecrets.tensors().gradEdge(t);
    }
    int[][] shapes = SCALARS.length > n && allScalars(inputs) ? SCALARS[n] : null;
    DType[] dtypes = shapes != null ? sameDtypes(inputs) : null;
    if (dtypes == null) {
      shapes = new int[n][];
      dtypes = new DType[n];
      for (int i = 0; i < n; i++) {
        Tensor t = inputs[i];
        if (t == null) continue;
        shapes[i] = t.shapeRef();
        dtypes[i] = t.dtype();
      }
    }
    return new OpNode(def, attrs, next, shapes, dtypes, saved);
  }

  // A graph of 0-dim tensors (scalar code, one op per arithmetic step) shares its nodes' input
  // shapes and dtypes instead of two new arrays per node: nodes only read them.
  private static final int[][][] SCALARS = {
    {},
    {Shapes.SCALAR},
    {Shapes.SCALAR, Shapes.SCALAR},
    {Shapes.SCALAR, Shapes.SCALAR, Shapes.SCALAR}
  };
  private static final DType[][][] SAME_DTYPES = new DType[DType.values().length][SCALARS.length][];

  static {
    for (DType d : DType.values()) {
      for (int n = 0; n < SCALARS.length; n++) {
        DType[] ds = new DType[n];
        java.util.Arrays.fill(ds, d);
        SAME_DTYPES[d.ordinal()][n] = ds;
      }
    }
  }

  private static boolean allScalars(Tensor[] inputs) {
    for (Tensor t : inputs) if (t == null || t.dim() != 0) return false;
    return true;
  }

  // the shared array when every input has the first one's dtype, else null
  private static DType[] sameDtypes(Tensor[] inputs) {
    if (inputs.length == 0) return SAME_DTYPES[0][0];
    DType d = inputs[0].dtype();
    for (Tensor t : inputs) if (t.dtype() != d) return null;
    return SAME_DTYPES[d.ordinal()][inputs.length];
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
