package dev.autograd.core.ops;

import dev.autograd.core.DType;
import dev.autograd.core.GradMode;
import dev.autograd.core.Tensor;
import dev.autograd.core.compile.Tracer;
import dev.autograd.core.engine.Forward;
import dev.autograd.core.engine.Graph;
import dev.autograd.core.engine.OpNode;
import dev.autograd.core.tensor.Shapes;
import java.util.Locale;
import java.util.Objects;

/**
 * One differentiable op as data: the single place where it is defined, like an entry of PyTorch's
 * {@code derivatives.yaml} with its kernel beside it. An entry names its node ({@code
 * DivBackward0}), says what it saves, how its output's dtype and shape follow from the inputs, how
 * its kernel fills a preallocated output (or, for a view op, which view it returns), and its
 * derivative, written with differentiable ops so that gradients of every order work. Its tangent
 * rule ({@link #tangent}) is the forward-mode derivative (the JVP), written with differentiable ops
 * beside the derivative, so forward-over-reverse and reverse-over-forward work.
 *
 * <p>Entries are constants grouped by family ({@link ElementwiseOps}, {@link ReductionOps}, {@link
 * ShapeOps}, {@link IndexOps}, {@link LinalgOps}, {@link NnOps}); {@code Tensor}'s methods check
 * arguments and call them. A recorded node keeps its entry and attributes ({@link OpNode#def()},
 * {@link OpNode#attrs()}), so a tracer or a renderer can read what ran.
 *
 * @param <A> the attributes of one call (dims, exponents, geometry): an immutable value, or {@code
 *     Void} for ops without any
 */
public final class OpDef<A> {
  /** The output's dtype and shape, known before the kernel runs (so it can be planned). */
  public record OutSpec(DType dtype, int[] shape) {
    private static final OutSpec[] SCALARS = new OutSpec[DType.values().length];

    static {
      for (DType d : DType.values()) SCALARS[d.ordinal()] = new OutSpec(d, Shapes.SCALAR);
    }

    /**
     * The spec of {@code dtype} and {@code shape}; 0-dim specs are shared (a scalar graph infers
     * one per op, and specs are only read).
     */
    public static OutSpec of(DType dtype, int[] shape) {
      return shape.length == 0 ? SCALARS[dtype.ordinal()] : new OutSpec(dtype, shape);
    }
  }

  /** Dtype and shape of the output from the inputs and attributes. */
  @FunctionalInterface
  public interface ShapeRule<A> {
    OutSpec infer(Tensor[] in, A attrs);
  }

  /**
   * Fills {@code out} (contiguous, of the inferred dtype and shape, uninitialized): every element.
   */
  @FunctionalInterface
  public interface Kernel<A> {
    void run(Tensor[] in, A attrs, Tensor out);
  }

  /**
   * The output of a composite forward, computed by other ops (run without history) and returned
   * fresh (a planner copies it into its buffer); kernels into a preallocated output are preferred.
   */
  @FunctionalInterface
  public interface ComputeRule<A> {
    Tensor compute(Tensor[] in, A attrs);
  }

  /** A view op's output: new shape and strides over its input's storage, no copy. */
  @FunctionalInterface
  public interface ViewRule<A> {
    Tensor view(Tensor[] in, A attrs);
  }

  /**
   * The values the derivative reads back through {@link OpNode#saved(int)} (null entries are not
   * kept).
   */
  @FunctionalInterface
  public interface SaveRule<A> {
    Tensor[] save(Tensor[] in, Tensor out, A attrs);
  }

  /**
   * Gradients of the inputs from the output's gradient {@code g}: one per input, null where {@link
   * OpNode#needsGrad} is false, written as if shapes were equal (the engine sums broadcast
   * gradients back to each input's shape).
   */
  @FunctionalInterface
  public interface Derivative<A> {
    Tensor[] apply(Tensor g, OpNode node, A attrs);
  }

  /**
   * Forward mode: the output's tangent from the inputs' tangents (null where an input has none, and
   * for constant inputs), the primal inputs and the primal output. It may return a tangent of a
   * broadcast operand's shape or null (a zero tangent); the caller fits it to the output.
   */
  @FunctionalInterface
  public interface Tangent<A> {
    /** The output's tangent. */
    Tensor apply(Tensor[] tangents, Tensor[] in, Tensor out, A attrs);
  }

  private final String nodeName;
  private final String opName;
  private final ShapeRule<A> shape;
  private final Kernel<A> kernel;
  private final ViewRule<A> view;
  private final ComputeRule<A> compute;
  private final SaveRule<A> saves;
  private final Derivative<A> derivative;
  private final Tangent<A> tangent;

  /**
   * Inputs that never get a gradient (indices, masks, saved operands of a backward op), or null.
   */
  private final boolean[] constant;

  /** Inputs that may be null (addmm's bias), or null. */
  private final boolean[] optional;

  /**
   * The derivative may add a gradient straight into a leaf's existing {@code .grad} (see {@link
   * OpNode#gradTarget}).
   */
  private final boolean addsIntoGrads;

  private OpDef(Builder<A> b) {
    this.nodeName = Objects.requireNonNull(b.nodeName);
    this.opName = b.opName != null ? b.opName : defaultOpName(b.nodeName);
    this.shape = b.shape;
    this.kernel = b.kernel;
    this.view = b.view;
    this.compute = b.compute;
    this.saves = b.saves;
    this.derivative =
        b.nondifferentiable
            ? null
            : Objects.requireNonNull(b.derivative, "derivative of " + b.nodeName);
    this.tangent = b.linearTangent ? this::linearTangent : b.tangent;
    this.constant = b.constant;
    this.optional = b.optional;
    this.addsIntoGrads = b.addsIntoGrads;
    int forwards = (view != null ? 1 : 0) + (compute != null ? 1 : 0) + (kernel != null ? 1 : 0);
    if (forwards != 1 || (kernel != null) != (shape != null)) {
      throw new IllegalStateException(
          nodeName
              + ": an entry has one forward: a shape rule and a kernel, a view rule, or a compute rule");
    }
  }

  private static String defaultOpName(String nodeName) {
    int cut = nodeName.indexOf("Backward");
    return (cut > 0 ? nodeName.substring(0, cut) : nodeName).toLowerCase(Locale.ROOT);
  }

  /**
   * Starts an entry whose nodes are named {@code nodeName} (PyTorch's, e.g. {@code DivBackward0});
   * a non-differentiable entry has no node and is named by its op ({@code "gt"}).
   */
  public static <A> Builder<A> op(String nodeName) {
    return new Builder<>(nodeName);
  }

  /** PyTorch's node name, printed by {@code gradFn()}. */
  public String nodeName() {
    return nodeName;
  }

  /** The op's name in error messages ({@code "div"}). */
  public String opName() {
    return opName;
  }

  /** True for ops without a derivative (comparisons, arg-max indices): they record no node. */
  public boolean isDifferentiable() {
    return derivative != null;
  }

  /** True for view ops: the output shares its input's storage. */
  public boolean isView() {
    return view != null;
  }

  /** The forward-mode rule (the JVP formula); null only for entries without a derivative. */
  public Tangent<A> tangent() {
    return tangent;
  }

  /**
   * True when the derivative may add gradients straight into leaves' {@code .grad} ({@link
   * OpNode#gradTarget}).
   */
  public boolean addsIntoGrads() {
    return addsIntoGrads;
  }

  /** True when the forward is a kernel into a preallocated output (shape known in advance). */
  public boolean hasKernel() {
    return kernel != null;
  }

  /** Output dtype and shape for these inputs (kernel entries only). */
  public OutSpec infer(Tensor[] in, A attrs) {
    return shape.infer(in, attrs);
  }

  /**
   * Runs the kernel into a preallocated, contiguous {@code out} of the inferred dtype and shape.
   */
  public void runKernel(Tensor[] in, A attrs, Tensor out) {
    kernel.run(in, attrs, out);
  }

  /** The derivative, as the engine calls it through the node. */
  public Tensor[] derivative(Tensor g, OpNode node, A attrs) {
    return derivative.apply(g, node, attrs);
  }

  /**
   * Runs the op: the view, or the kernel into a fresh output, then records a node when grad mode is
   * on and an input requires grad. While a compiled function is traced on this thread, the call is
   * also written into the trace ({@link Tracer}).
   */
  public Tensor call(A attrs, Tensor... in) {
    requireInputs(in);
    if (Tracer.active) { // a compiled function is being traced (one volatile read otherwise)
      Tensor traced = Tracer.op(this, attrs, in);
      if (traced != null) return traced;
    }
    if (Forward.openLevels != 0)
      return Forward.call(this, attrs, in); // a dual level is open somewhere
    return record(attrs, in, forward(attrs, in));
  }

  // an op linear in its differentiable inputs (views, sums, gathers): the op itself on their
  // tangents,
  // with zeros where an input has none and the constant inputs (indices) as they are
  private Tensor linearTangent(Tensor[] tangents, Tensor[] in, Tensor out, A attrs) {
    Tensor[] args = in.clone();
    for (int i = 0; i < in.length; i++) {
      if (in[i] == null || isConstantInput(i)) continue;
      args[i] = tangents[i] != null ? tangents[i] : Tensor.zeros(in[i].dtype(), in[i].shapeRef());
    }
    return call(attrs, args);
  }

  /**
   * The forward alone, without history: the view, the compute rule (run without recording), or the
   * kernel into a fresh output. A replay calls it for view and compute entries.
   */
  public Tensor forward(A attrs, Tensor[] in) {
    Tensor y;
    if (view != null) {
      y = view.view(in, attrs);
    } else if (compute != null) {
      try (GradMode.Scope s = GradMode.scope(false)) {
        y = compute.compute(in, attrs);
      }
    } else {
      OutSpec o = shape.infer(in, attrs);
      y = Creation.uninitialized(o.dtype(), o.shape());
      kernel.run(in, attrs, y);
    }
    return y;
  }

  // a null where a tensor is required fails here, naming the op, not deep inside a kernel
  private void requireInputs(Tensor[] in) {
    if (in == null) throw new NullPointerException(opName + "(): the tensor arguments are null");
    for (int i = 0; i < in.length; i++) {
      if (in[i] == null && (optional == null || i >= optional.length || !optional[i])) {
        throw new NullPointerException(opName + "(): tensor argument " + i + " is null");
      }
    }
  }

  /** Gives {@code y}, computed by this op from {@code in}, its node when one is needed. */
  public Tensor record(A attrs, Tensor[] in, Tensor y) {
    if (derivative == null) return y;
    Tensor[] edges = in;
    if (constant != null) {
      edges = in.clone();
      for (int i = 0; i < edges.length && i < constant.length; i++)
        if (constant[i]) edges[i] = null;
    }
    if (!Graph.needsRecording(edges)) return y;
    return Graph.record(this, attrs, y, edges, saves == null ? null : saves.save(in, y, attrs));
  }

  /** True when input {@code i} never gets a gradient from this op. */
  public boolean isConstantInput(int i) {
    return constant != null && i < constant.length && constant[i];
  }

  /**
   * The {@code out=} form: the kernel writes into {@code out}, with no history ({@link Out} checks
   * shape, dtype, overlap and that nothing needs a gradient).
   */
  public Tensor callOut(A attrs, Tensor out, Tensor... in) {
    if (kernel == null)
      throw new UnsupportedOperationException(
          opName + "(): no out= form (its forward is not a kernel)");
    OutSpec o = shape.infer(in, attrs);
    Out.check(opName, out, o.shape(), o.dtype(), in);
    if (Tracer.active) { // inside a traced compiled function: a write the replay repeats
      Tensor[] all = new Tensor[in.length + 1];
      all[0] = out;
      System.arraycopy(in, 0, all, 1, in.length);
      if (Tracer.effect(new KernelInto(this, attrs), all)) return out;
    }
    return writeOut(attrs, out, in);
  }

  private Tensor writeOut(A attrs, Tensor out, Tensor[] in) {
    if (out.isContiguous()) {
      kernel.run(in, attrs, out);
    } else { // kernels write unit-stride rows
      Tensor y = Creation.uninitialized(out.dtype(), out.shapeRef());
      kernel.run(in, attrs, y);
      Creation.copyValues(y, out);
    }
    return Out.written(out);
  }

  /**
   * An {@code out=} call inside a traced function: {@code in[0]} is out, the rest the op's inputs.
   */
  private record KernelInto(OpDef<?> def, Object attrs)
      implements dev.autograd.core.compile.Effect {
    @Override
    @SuppressWarnings("unchecked")
    public void run(Tensor[] in, Tensor scratch) {
      ((OpDef<Object>) def).writeOut(attrs, in[0], java.util.Arrays.copyOfRange(in, 1, in.length));
    }

    @Override
    public String name() {
      return def.opName + "(out=)";
    }
  }

  @Override
  public String toString() {
    return nodeName;
  }

  /** Builds one entry; see {@link OpDef}. */
  public static final class Builder<A> {
    private final String nodeName;
    private String opName;
    private ShapeRule<A> shape;
    private Kernel<A> kernel;
    private ViewRule<A> view;
    private ComputeRule<A> compute;
    private SaveRule<A> saves;
    private Derivative<A> derivative;
    private Tangent<A> tangent;
    private boolean linearTangent;
    private boolean[] constant;
    private boolean[] optional;
    private boolean nondifferentiable;
    private boolean addsIntoGrads;

    private Builder(String nodeName) {
      this.nodeName = nodeName;
    }

    /** The name used in error messages, when it is not the node name's stem. */
    public Builder<A> name(String opName) {
      this.opName = opName;
      return this;
    }

    public Builder<A> shape(ShapeRule<A> rule) {
      this.shape = rule;
      return this;
    }

    public Builder<A> kernel(Kernel<A> k) {
      this.kernel = k;
      return this;
    }

    public Builder<A> view(ViewRule<A> rule) {
      this.view = rule;
      return this;
    }

    public Builder<A> compute(ComputeRule<A> rule) {
      this.compute = rule;
      return this;
    }

    public Builder<A> saves(SaveRule<A> rule) {
      this.saves = rule;
      return this;
    }

    public Builder<A> derivative(Derivative<A> d) {
      this.derivative = d;
      return this;
    }

    /**
     * Inputs at these positions never get a gradient (indices, masks): the node has no edge to
     * them.
     */
    public Builder<A> constantInputs(int... positions) {
      int max = 0;
      for (int p : positions) max = Math.max(max, p + 1);
      constant = new boolean[max];
      for (int p : positions) constant[p] = true;
      return this;
    }

    /** Inputs at these positions may be null (an absent bias). */
    public Builder<A> optionalInputs(int... positions) {
      int max = 0;
      for (int p : positions) max = Math.max(max, p + 1);
      optional = new boolean[max];
      for (int p : positions) optional[p] = true;
      return this;
    }

    /** An op without a derivative (its output never requires grad): no node is recorded. */
    public Builder<A> nondifferentiable() {
      this.nondifferentiable = true;
      return this;
    }

    /**
     * The derivative asks {@link OpNode#gradTarget} for leaves whose {@code .grad} it may add its
     * result into directly (a GEMM accumulating in place instead of a new gradient array), and
     * returns null for the inputs it so handled.
     */
    public Builder<A> addsIntoGrads() {
      this.addsIntoGrads = true;
      return this;
    }

    /** The forward-mode rule: the output's tangent from the inputs' tangents (the JVP formula). */
    public Builder<A> tangent(Tangent<A> t) {
      this.tangent = t;
      return this;
    }

    /**
     * The op is linear in its differentiable inputs (a view, a sum, a gather by fixed indices): its
     * tangent is the op itself applied to the inputs' tangents.
     */
    public Builder<A> linearTangent() {
      this.linearTangent = true;
      return this;
    }

    public OpDef<A> build() {
      return new OpDef<>(this);
    }
  }
}
