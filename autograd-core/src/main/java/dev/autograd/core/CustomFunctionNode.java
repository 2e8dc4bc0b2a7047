package dev.autograd.core;

import dev.autograd.core.engine.Graph;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The node a custom {@link Function} or {@link MultiOutputFunction} records. A one-output function
 * is this node directly; with several outputs, each differentiable output's edge is an {@link
 * OutputEdge} that hands its gradient to this node (the engine has one gradient per node), and
 * {@code gradFn()} of every output still reports this node, as PyTorch's does.
 */
final class CustomFunctionNode extends Node {
  /** The user's backward: gradients of the outputs in, gradients of the inputs out. */
  @FunctionalInterface
  interface Backward {
    Tensor[] apply(Context ctx, Tensor[] gradOutputs);
  }

  static final String ONCE_ERROR =
      "trying to differentiate twice a function that was marked with @once_differentiable"
          + " (its onceDifferentiable() is true: its backward is not differentiable)";

  private final Context ctx;
  private final Backward backward;
  private final boolean once;
  private final int[][] outputShapes;
  private final DType[] outputDtypes;

  /**
   * Gradients handed over by the output edges, per backward pass (keyed by thread: a pass runs on
   * one).
   */
  private final Map<Thread, Tensor[]> arrived;

  private CustomFunctionNode(
      String name,
      Node[] next,
      int[][] shapes,
      DType[] dtypes,
      Context ctx,
      Backward backward,
      boolean once,
      Tensor[] outputs) {
    super(name, next, shapes, dtypes);
    this.ctx = ctx;
    this.backward = backward;
    this.once = once;
    this.arrived =
        outputs.length > 1
            ? new IdentityHashMap<>()
            : null; // one output: its gradient comes directly
    this.outputShapes = new int[outputs.length][];
    this.outputDtypes = new DType[outputs.length];
    for (int i = 0; i < outputs.length; i++) {
      outputShapes[i] = outputs[i].shapeRef();
      outputDtypes[i] = outputs[i].dtype();
    }
  }

  /**
   * Runs {@code forward} with recording off and, when an input requires grad, records one node for
   * the outputs (PyTorch's {@code Function.apply}): dirty inputs keep their identity and get the
   * node as their new history, non-differentiable outputs get none.
   */
  static Tensor[] apply(
      String owner,
      String name,
      Tensor[] inputs,
      java.util.function.Function<Context, Tensor[]> forward,
      Backward backward,
      boolean once) {
    if (dev.autograd.core.compile.Tracer.active) {
      dev.autograd.core.compile.Tracer.unsupported(
          "the custom Function "
              + owner
              + " (its Java forward and backward are opaque to a trace)");
    }
    if (inputs == null) throw new IllegalArgumentException(owner + ".apply: inputs is null");
    if (dev.autograd.core.engine.Forward.anyTangent(
        inputs)) { // PyTorch: a custom Function needs a jvp for forward mode
      throw new dev.autograd.core.engine.NoTangentRule(
          owner
              + ": You must implement the jvp function for custom autograd.Function to use it"
              + " with forward mode AD. Custom Functions have no jvp here yet: write the function with tensor ops, or use reverse mode");
    }
    boolean recording = Graph.needsRecording(inputs);
    boolean[] needs = new boolean[inputs.length];
    for (int i = 0; i < inputs.length; i++)
      needs[i] = recording && inputs[i] != null && inputs[i].requiresGrad();
    Context ctx = new Context(needs);
    Node[] next =
        recording ? Graph.edges(inputs) : null; // before forward: a dirty input's history changes
    Tensor[] out;
    try (GradMode.Scope s = GradMode.scope(false)) {
      out = forward.apply(ctx);
    }
    if (out == null || out.length == 0)
      throw new IllegalStateException(
          owner + ".forward returned " + (out == null ? "null" : "no outputs"));
    for (int i = 0; i < out.length; i++) {
      if (out[i] == null)
        throw new IllegalStateException(owner + ".forward returned null as output " + i);
    }
    ctx.checkMarked(owner, inputs, out);
    if (!recording) return out;
    boolean[] nonDifferentiable = new boolean[out.length];
    for (int i = 0; i < out.length; i++) {
      nonDifferentiable[i] =
          ctx.isNonDifferentiable(out[i])
              || !out[i].dtype().isFloatingPoint(); // PyTorch: integer outputs have no gradient
      Tensor o = out[i];
      if (ctx.isDirty(o)) {
        if (o.isLeaf() && o.requiresGrad())
          throw new IllegalStateException(
              "a leaf Variable that requires grad has been used in an in-place operation.");
        if (o.isView()) {
          throw new IllegalStateException(
              owner
                  + ": markDirty on a view is not supported; modify a clone() or the base tensor instead");
        }
      } else if (indexOf(inputs, o) >= 0 || indexOf(out, o) < i) {
        out[i] =
            o.detach(); // an input (or an earlier output) returned as is: give it its own identity
      }
    }
    int[][] shapes = new int[inputs.length][];
    DType[] dtypes = new DType[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      if (inputs[i] == null) continue;
      shapes[i] = inputs[i].shapeRef();
      dtypes[i] = inputs[i].dtype();
    }
    CustomFunctionNode node =
        new CustomFunctionNode(name, next, shapes, dtypes, ctx, backward, once, out);
    for (int i = 0; i < out.length; i++) {
      if (nonDifferentiable[i]) continue;
      Graph.attach(out[i], out.length == 1 ? node : new OutputEdge(node, i, out[i]));
    }
    ctx.freeze(node);
    return out;
  }

  private static int indexOf(Tensor[] ts, Tensor t) {
    for (int i = 0; i < ts.length; i++) if (ts[i] == t) return i;
    return -1;
  }

  @Override
  protected Tensor[] apply(Tensor g) {
    if (ctx.isReleased()) throw Node.freedError();
    Tensor[] grads;
    if (outputShapes.length == 1) {
      grads = new Tensor[] {g};
    } else {
      synchronized (arrived) {
        grads = arrived.remove(Thread.currentThread());
      }
      if (grads == null) grads = new Tensor[outputShapes.length];
    }
    boolean anyRequiresGrad = false;
    for (int i = 0; i < grads.length; i++) {
      if (grads[i] == null && ctx.materializeGrads())
        grads[i] = Tensor.zeros(outputDtypes[i], outputShapes[i]);
      anyRequiresGrad |= grads[i] != null && grads[i].requiresGrad();
    }
    Tensor[] result;
    if (once) {
      try (GradMode.Scope off = GradMode.scope(false)) {
        result = backward.apply(ctx, grads);
      }
    } else {
      result = backward.apply(ctx, grads);
    }
    result = checked(result);
    if (once && anyRequiresGrad && GradMode.isEnabled()) result = delayError(result, grads);
    return result;
  }

  // PyTorch's validate_outputs: one gradient per input (extra trailing nulls allowed), shapes that
  // sum to the input's
  private Tensor[] checked(Tensor[] grads) {
    int n = next.length;
    int got = grads == null ? 0 : grads.length;
    boolean extraAllNull = true;
    for (int i = n; i < got; i++) extraAllNull &= grads[i] == null;
    if (grads == null || got < n || !extraAllNull) {
      throw new IllegalStateException(
          "function "
              + name()
              + " returned an incorrect number of gradients (expected "
              + n
              + ", got "
              + got
              + ")");
    }
    Tensor[] out = got == n ? grads : Arrays.copyOf(grads, n);
    for (int i = 0; i < n; i++) {
      if (out[i] == null || next[i] == null || Arrays.equals(out[i].shapeRef(), inputShapes[i]))
        continue;
      if (!expandable(inputShapes[i], out[i].shapeRef())) {
        throw new IllegalStateException(
            "Function "
                + name()
                + " returned an invalid gradient at index "
                + i
                + " - got "
                + Arrays.toString(out[i].shapeRef())
                + " but expected shape compatible with "
                + Arrays.toString(inputShapes[i]));
      }
      out[i] = out[i].sumTo(inputShapes[i]);
    }
    return out;
  }

  /**
   * True when {@code shape} broadcasts to {@code target} (the gradient then sums back to shape).
   */
  private static boolean expandable(int[] shape, int[] target) {
    if (shape.length > target.length) return false;
    for (int i = 1; i <= shape.length; i++) {
      int s = shape[shape.length - i];
      if (s != 1 && s != target[target.length - i]) return false;
    }
    return true;
  }

  // the results of a once-differentiable backward under createGraph: differentiating them again is
  // PyTorch's error
  private static Tensor[] delayError(Tensor[] result, Tensor[] grads) {
    Node[] edges = Graph.edges(grads);
    int[][] shapes = new int[grads.length][];
    DType[] dtypes = new DType[grads.length];
    for (int i = 0; i < grads.length; i++) {
      if (grads[i] == null) continue;
      shapes[i] = grads[i].shapeRef();
      dtypes[i] = grads[i].dtype();
    }
    Tensor[] out = result.clone();
    for (int i = 0; i < out.length; i++) {
      if (out[i] == null) continue;
      out[i] = Graph.attach(out[i].detach(), new DelayedError(edges, shapes, dtypes));
    }
    return out;
  }

  private void arrive(int output, Tensor g) {
    synchronized (arrived) {
      Tensor[] slots =
          arrived.computeIfAbsent(Thread.currentThread(), t -> new Tensor[outputShapes.length]);
      slots[output] = slots[output] == null ? g : slots[output].add(g);
    }
  }

  @Override
  protected void release() {
    ctx.release();
  }

  /** PyTorch's {@code DelayedError} node (named {@code Error}): its backward always fails. */
  private static final class DelayedError extends Node {
    DelayedError(Node[] next, int[][] shapes, DType[] dtypes) {
      super("Error", next, shapes, dtypes);
    }

    @Override
    protected Tensor[] apply(Tensor g) {
      throw new IllegalStateException(ONCE_ERROR);
    }
  }

  /**
   * The edge of output {@code index} of a multi-output custom function: passes the output's
   * gradient to the function's node, which runs once with all of them after every output's edge
   * (edges are created later, so the engine reaches them first).
   */
  static final class OutputEdge extends Node {
    private static final int[][] SCALAR = {{}};
    private final CustomFunctionNode owner;
    private final int index;

    OutputEdge(CustomFunctionNode owner, int index, Tensor output) {
      super(owner.name(), new Node[] {owner}, SCALAR, new DType[] {output.dtype()});
      this.owner = owner;
      this.index = index;
    }

    /** The function's node, which {@code gradFn()} reports. */
    Node owner() {
      return owner;
    }

    @Override
    protected Tensor[] apply(Tensor g) {
      owner.arrive(index, g);
      return new Tensor[] {
        Tensor.zeros(inputDtypes[0])
      }; // schedules the owner; its own gradient is the handed-over one
    }
  }
}
