package dev.autograd.core;

import static dev.autograd.core.ops.ElementwiseOps.NO_PARAM;

import dev.autograd.core.compile.Tracer;
import dev.autograd.core.engine.AccumulateGrad;
import dev.autograd.core.engine.Engine;
import dev.autograd.core.internal.SharedSecrets;
import dev.autograd.core.internal.TensorAccess;
import dev.autograd.core.kernels.BinaryOp;
import dev.autograd.core.kernels.CompareOp;
import dev.autograd.core.ops.AdvancedIndexing;
import dev.autograd.core.ops.Creation;
import dev.autograd.core.ops.ElementwiseOps;
import dev.autograd.core.ops.InPlace;
import dev.autograd.core.ops.Indexing;
import dev.autograd.core.ops.Matmul;
import dev.autograd.core.ops.Movement;
import dev.autograd.core.ops.Reductions;
import dev.autograd.core.ops.Reorder;
import dev.autograd.core.ops.Scans;
import dev.autograd.core.ops.Softmax;
import dev.autograd.core.ops.Sorting;
import dev.autograd.core.ops.Statistics;
import dev.autograd.core.ops.ViewGrads;
import dev.autograd.core.tensor.Shapes;
import dev.autograd.core.tensor.Storage;
import java.util.Arrays;

/**
 * An n-dimensional array that records the operations applied to it, so that {@link #backward()} can
 * compute gradients — PyTorch's {@code torch.Tensor} for the JVM.
 *
 * <p>A tensor is a view of a {@link Storage}: an offset, a shape and strides. Views (transpose,
 * permute, expand, narrow, slice, select, squeeze, unsqueeze, reshape of contiguous data) share
 * storage; {@link #contiguous()} copies when needed. Leaves are tensors the user made; an op's
 * result requires grad when any input does and grad mode is on, and then has a {@link #gradFn()}.
 *
 * <p>This class holds one-line delegations; the ops, with their derivatives, live in {@code
 * dev.autograd.core.ops}.
 */
public final class Tensor {
  static {
    SharedSecrets.setTensorAccess(
        new EngineHooks()); // first: the engine may need it while Tensor initializes
  }

  private final Storage storage;
  private final int offset;
  private final int[] shape;
  private final int[] strides;

  /** For views: the tensor whose storage this one shares (in-place checks need it). */
  private final Tensor base;

  /**
   * Note [views and in-place]: an in-place op on a view rewrites its base's history (PyTorch's
   * CopySlices); the base counts such rewrites, and a view whose count is behind takes a new
   * grad_fn from the base's current history the next time it is asked (as_strided of the base).
   */
  private int historyVersion;

  /** For views: the base's historyVersion this view's grad_fn reflects. */
  private int seenHistory;

  /**
   * View bits, set once when the view is made: {@link #DETACHED_VIEW} (a detach()ed alias shares
   * memory but never history) and {@link #MULTI_OUTPUT_VIEW} (an output of split/chunk, several
   * views at once: in-place on it is refused when it requires grad). One byte for both keeps a
   * tensor within 56 bytes.
   */
  private byte viewBits;

  private static final byte DETACHED_VIEW = 1;
  private static final byte MULTI_OUTPUT_VIEW = 2;

  // autograd metadata
  private boolean requiresGrad;
  private Node gradFn;
  private volatile Tensor grad;

  /**
   * {@code .grad} was made by the engine (its array referenced by nothing else) and nobody has read
   * it since through {@link #grad()}: replacing it may give its array back for reuse. Read and
   * written under this tensor's lock only.
   */
  private boolean gradUnread;

  /** Set by {@link #retainGrad()}: this non-leaf's {@code .grad} is filled by backward. */
  private volatile boolean retainsGrad;

  private AccumulateGrad accumulator;

  private Tensor(Storage storage, int offset, int[] shape, int[] strides, Tensor base) {
    this.storage = storage;
    this.offset = offset;
    this.shape = shape;
    this.strides = strides;
    this.base = base;
    if (base != null) this.seenHistory = base.historyVersion;
    if (Tracer.active) Tracer.born(this);
  }

  // see Note [views and in-place]
  private void refreshViewHistory() {
    if (base == null || (viewBits & DETACHED_VIEW) != 0 || seenHistory == base.historyVersion)
      return;
    seenHistory = base.historyVersion;
    if (base.requiresGrad) ViewGrads.asStridedOfBase(base, this);
  }

  /** A factory's result: inside a traced compiled function, a constant of the trace. */
  private static Tensor made(Tensor t) {
    return Tracer.active ? Tracer.constant(t) : t;
  }

  // ---------------------------------------------------------------------------------------------
  // Low-level construction (used by ops; no autograd history)

  /**
   * A new contiguous tensor whose values are unspecified, as PyTorch's {@code torch.empty}: for
   * outputs that are written before they are read (the {@code out=} forms). Use {@link #zeros} for
   * zeros.
   */
  public static Tensor empty(DType dtype, int... shape) {
    Checks.notNull(dtype, "empty", "dtype");
    Checks.notNull(shape, "empty", "shape");
    return made(Creation.uninitialized(dtype, shape.clone()));
  }

  // ---------------------------------------------------------------------------------------------
  // Creation (torch.tensor, zeros, ones, ...)

  /**
   * A FLOAT32 tensor of {@code data} (row-major) with the given shape; a 1-D tensor when no shape
   * is given (use {@link #scalar(double)} for a 0-dim tensor).
   */
  public static Tensor of(float[] data, int... shape) {
    Checks.notNull(data, "of", "data");
    Checks.notNull(shape, "of", "shape");
    return made(Creation.of(Storage.of(data.clone()), data.length, shape));
  }

  /** A FLOAT64 tensor of {@code data} (row-major) with the given shape; a 1-D tensor if none. */
  public static Tensor of(double[] data, int... shape) {
    Checks.notNull(data, "of", "data");
    Checks.notNull(shape, "of", "shape");
    return made(Creation.of(Storage.of(data.clone()), data.length, shape));
  }

  /** An INT64 tensor (indices, class targets). */
  public static Tensor of(long[] data, int... shape) {
    Checks.notNull(data, "of", "data");
    Checks.notNull(shape, "of", "shape");
    return made(Creation.of(Storage.of(data.clone()), data.length, shape));
  }

  /** A BOOL tensor (masks). */
  public static Tensor of(boolean[] data, int... shape) {
    Checks.notNull(data, "of", "data");
    Checks.notNull(shape, "of", "shape");
    return made(Creation.of(Storage.of(data.clone()), data.length, shape));
  }

  /** A 2-D FLOAT32 tensor from rows of equal length. */
  public static Tensor of(float[][] rows) {
    Checks.notNull(rows, "of", "rows");
    return made(Creation.of(rows));
  }

  /** A 2-D FLOAT64 tensor from rows of equal length. */
  public static Tensor of(double[][] rows) {
    Checks.notNull(rows, "of", "rows");
    return made(Creation.of(rows));
  }

  /** A 0-dim FLOAT32 tensor, like {@code torch.tensor(2.0)}. */
  public static Tensor scalar(double value) {
    return made(Creation.full(Shapes.SCALAR, value, DType.FLOAT32));
  }

  /** A 0-dim tensor of the given dtype. */
  public static Tensor scalar(double value, DType dtype) {
    Checks.notNull(dtype, "scalar", "dtype");
    return made(Creation.full(Shapes.SCALAR, value, dtype));
  }

  /**
   * A FLOAT32 tensor of zeros ({@code torch.zeros}); throws IllegalArgumentException for a negative
   * size.
   */
  public static Tensor zeros(int... shape) {
    Checks.notNull(shape, "zeros", "shape");
    return made(Creation.full(shape, 0, DType.FLOAT32));
  }

  /** A tensor of zeros in the given dtype ({@code torch.zeros(shape, dtype=...)}). */
  public static Tensor zeros(DType dtype, int... shape) {
    Checks.notNull(dtype, "zeros", "dtype");
    Checks.notNull(shape, "zeros", "shape");
    return made(Creation.full(shape, 0, dtype));
  }

  /**
   * A FLOAT32 tensor of ones ({@code torch.ones}); throws IllegalArgumentException for a negative
   * size.
   */
  public static Tensor ones(int... shape) {
    Checks.notNull(shape, "ones", "shape");
    return made(Creation.full(shape, 1, DType.FLOAT32));
  }

  /** A tensor of ones in the given dtype ({@code torch.ones(shape, dtype=...)}). */
  public static Tensor ones(DType dtype, int... shape) {
    Checks.notNull(dtype, "ones", "dtype");
    Checks.notNull(shape, "ones", "shape");
    return made(Creation.full(shape, 1, dtype));
  }

  /**
   * A FLOAT32 tensor of {@code shape} filled with {@code value} ({@code torch.full}); throws
   * IllegalArgumentException for a negative size.
   */
  public static Tensor full(int[] shape, double value) {
    Checks.notNull(shape, "full", "shape");
    return made(Creation.full(shape, value, DType.FLOAT32));
  }

  /** A tensor of {@code shape} and {@code dtype} filled with {@code value} ({@code torch.full}). */
  public static Tensor full(int[] shape, double value, DType dtype) {
    Checks.notNull(shape, "full", "shape");
    Checks.notNull(dtype, "full", "dtype");
    return made(Creation.full(shape, value, dtype));
  }

  /** Uniform samples in [0, 1) from the default generator ({@link Autograd#manualSeed}). */
  public static Tensor rand(int... shape) {
    Checks.notNull(shape, "rand", "shape");
    return Creation.rand(shape, DType.FLOAT32, Generator.defaultGenerator());
  }

  /**
   * Uniform samples in [0, 1) of the given dtype from {@code gen} ({@code torch.rand(...,
   * generator=gen)}).
   */
  public static Tensor rand(Generator gen, DType dtype, int... shape) {
    Checks.notNull(gen, "rand", "gen");
    Checks.notNull(dtype, "rand", "dtype");
    Checks.notNull(shape, "rand", "shape");
    return Creation.rand(shape, dtype, gen);
  }

  /** Standard normal samples from the default generator ({@link Autograd#manualSeed}). */
  public static Tensor randn(int... shape) {
    Checks.notNull(shape, "randn", "shape");
    return Creation.randn(shape, DType.FLOAT32, Generator.defaultGenerator());
  }

  /**
   * Standard normal samples of the given dtype from {@code gen} ({@code torch.randn(...,
   * generator=gen)}).
   */
  public static Tensor randn(Generator gen, DType dtype, int... shape) {
    Checks.notNull(gen, "randn", "gen");
    Checks.notNull(dtype, "randn", "dtype");
    Checks.notNull(shape, "randn", "shape");
    return Creation.randn(shape, dtype, gen);
  }

  /** Random integers in [low, high) as INT64, like {@code torch.randint}. */
  public static Tensor randint(long low, long high, int... shape) {
    Checks.notNull(shape, "randint", "shape");
    return Creation.randint(low, high, shape, Generator.defaultGenerator());
  }

  /**
   * Random integers in [low, high) as INT64 from {@code gen}; throws IllegalArgumentException when
   * low >= high.
   */
  public static Tensor randint(Generator gen, long low, long high, int... shape) {
    Checks.notNull(gen, "randint", "gen");
    Checks.notNull(shape, "randint", "shape");
    return Creation.randint(low, high, shape, gen);
  }

  /** {@code 0, 1, ..., end-1} as FLOAT32, like {@code torch.arange(end)} with a float end. */
  public static Tensor arange(double end) {
    return made(Creation.arange(0, end, 1, DType.FLOAT32));
  }

  /** {@code start, start+step, ...} below {@code end}. */
  public static Tensor arange(double start, double end, double step) {
    return made(Creation.arange(start, end, step, DType.FLOAT32));
  }

  /**
   * {@code start, start+step, ...} below {@code end} in the given dtype ({@code torch.arange(start,
   * end, step, dtype=...)}); throws IllegalArgumentException for a zero step or a step away from
   * {@code end}.
   */
  public static Tensor arange(double start, double end, double step, DType dtype) {
    Checks.notNull(dtype, "arange", "dtype");
    return made(Creation.arange(start, end, step, dtype));
  }

  /** {@code steps} evenly spaced values from {@code start} to {@code end} inclusive. */
  public static Tensor linspace(double start, double end, int steps) {
    return made(Creation.linspace(start, end, steps, DType.FLOAT32));
  }

  /**
   * {@code steps} evenly spaced values from {@code start} to {@code end} inclusive, in the given
   * dtype ({@code torch.linspace}).
   */
  public static Tensor linspace(double start, double end, int steps, DType dtype) {
    Checks.notNull(dtype, "linspace", "dtype");
    return made(Creation.linspace(start, end, steps, dtype));
  }

  /** The n×n identity. */
  public static Tensor eye(int n) {
    return made(Creation.eye(n, n, DType.FLOAT32));
  }

  /** An n×m matrix with ones on the diagonal in the given dtype ({@code torch.eye(n, m)}). */
  public static Tensor eye(int n, int m, DType dtype) {
    Checks.notNull(dtype, "eye", "dtype");
    return made(Creation.eye(n, m, dtype));
  }

  /** Zeros of {@code t}'s shape and dtype ({@code torch.zeros_like}). */
  public static Tensor zerosLike(Tensor t) {
    Checks.notNull(t, "zerosLike", "t");
    return made(Creation.full(t.shape, 0, t.dtype()));
  }

  /** Ones of {@code t}'s shape and dtype ({@code torch.ones_like}). */
  public static Tensor onesLike(Tensor t) {
    Checks.notNull(t, "onesLike", "t");
    return made(Creation.full(t.shape, 1, t.dtype()));
  }

  /**
   * A tensor of {@code t}'s shape and dtype filled with {@code value} ({@code torch.full_like}).
   */
  public static Tensor fullLike(Tensor t, double value) {
    Checks.notNull(t, "fullLike", "t");
    return made(Creation.full(t.shape, value, t.dtype()));
  }

  /** Uniform samples in [0, 1) of {@code t}'s shape and dtype ({@code torch.rand_like}). */
  public static Tensor randLike(Tensor t) {
    Checks.notNull(t, "randLike", "t");
    return Creation.rand(t.shape, t.dtype(), Generator.defaultGenerator());
  }

  /** Standard normal samples of {@code t}'s shape and dtype ({@code torch.randn_like}). */
  public static Tensor randnLike(Tensor t) {
    Checks.notNull(t, "randnLike", "t");
    return Creation.randn(t.shape, t.dtype(), Generator.defaultGenerator());
  }

  // ---------------------------------------------------------------------------------------------
  // Metadata

  /** A copy of the shape ({@code x.shape} in PyTorch). */
  public int[] shape() {
    return shape.clone();
  }

  /** The shape array itself, for ops that only read it. Do not modify. */
  public int[] shapeRef() {
    return shape;
  }

  /** Size of dimension {@code d} (negative counts from the end). */
  public int size(int d) {
    if (shape.length == 0) {
      throw new IndexOutOfBoundsException(
          "size(): dimension specified as "
              + d
              + " but tensor has no dimensions (it is 0-dim; use numel())");
    }
    return shape[Shapes.normalizeDim(d, shape.length)];
  }

  /** The number of dimensions ({@code x.dim()}); 0 for a scalar tensor. */
  public int dim() {
    return shape.length;
  }

  /** The number of elements ({@code x.numel()}); 1 for a scalar tensor. */
  public int numel() {
    return Shapes.numel(shape);
  }

  /** The element type ({@code x.dtype}). */
  public DType dtype() {
    return storage.dtype();
  }

  /** A copy of the strides, in elements. */
  public int[] stride() {
    return strides.clone();
  }

  /** The strides array itself, for ops that only read it. Do not modify. */
  public int[] strideRef() {
    return strides;
  }

  /**
   * Where this tensor's first element lies in its storage, in elements ({@code
   * x.storage_offset()}).
   */
  public int storageOffset() {
    return offset;
  }

  /** True when this tensor and {@code other} read the same memory (a view and its base, say). */
  public boolean sharesStorageWith(Tensor other) {
    Checks.notNull(other, "sharesStorageWith", "other");
    return storage == other.storage;
  }

  /** True when the elements are laid out row-major without gaps. */
  public boolean isContiguous() {
    return Shapes.isContiguous(shape, strides);
  }

  /** True when this tensor is a view of another tensor's storage. */
  public boolean isView() {
    return base != null;
  }

  /** The tensor this one is a view of, or null. */
  public Tensor base() {
    return base;
  }

  /** The version counter of the storage (PyTorch's {@code _version}): bumped by in-place ops. */
  public int version() {
    return storage.version();
  }

  // ---------------------------------------------------------------------------------------------
  // Reading values

  /** The value of a one-element tensor, as a double. */
  public double item() {
    if (numel() != 1) {
      throw new IllegalStateException(
          "a Tensor with "
              + numel()
              + " elements cannot be converted to Scalar (item() needs exactly one element)");
    }
    double v = storage.get(offset);
    if (Tracer.active)
      Tracer.guardItem(this, v); // inside a compiled function: valid for this value only
    return v;
  }

  /**
   * The truth value of a one-element tensor, like Python's {@code bool(t)}: true when the element
   * is non-zero. Inside a compiled function the branch taken becomes a guard of the trace, so a
   * call whose value comes out the other way records (or replays) the other path.
   */
  public boolean toBoolean() {
    if (numel() != 1) {
      throw new IllegalStateException(
          "Boolean value of Tensor with "
              + numel()
              + " elements is ambiguous (toBoolean() needs exactly one element: reduce first, e.g. x.gt(0).sum().gt(0))");
    }
    boolean v = storage.get(offset) != 0;
    if (Tracer.active) Tracer.guardBool(this, v);
    return v;
  }

  /**
   * The element at the given indices (one per dimension), as a double: PyTorch's {@code x[i,
   * j].item()}. (Not named {@code get}: Kotlin would take a Java {@code get} for its {@code x[i]}
   * operator.)
   */
  public double item(int... index) {
    Checks.notNull(index, "item", "index");
    if (Tracer.active) Tracer.read(this, "item(index)");
    return storage.get(Creation.flatOffset(this, index));
  }

  /** All elements in row-major order, whatever the strides, as float. */
  public float[] toFloatArray() {
    return Creation.toFloatArray(this);
  }

  /** All elements in row-major order, whatever the strides, as double. */
  public double[] toDoubleArray() {
    return Creation.toDoubleArray(this);
  }

  /** All elements in row-major order as long (floats are truncated toward zero). */
  public long[] toLongArray() {
    return Creation.toLongArray(this);
  }

  /** All elements in row-major order as boolean (non-zero is true). */
  public boolean[] toBooleanArray() {
    return Creation.toBooleanArray(this);
  }

  /** True when some element is NaN. */
  public boolean hasNaN() {
    if (!dtype().isFloatingPoint()) return false;
    for (double v : toDoubleArray()) if (Double.isNaN(v)) return true;
    return false;
  }

  // ---------------------------------------------------------------------------------------------
  // Autograd

  /** True when gradients flow to or through this tensor. */
  public boolean requiresGrad() {
    if (base != null) refreshViewHistory();
    return requiresGrad;
  }

  /**
   * Marks this leaf as requiring grad (the default argument of PyTorch's {@code requires_grad_()}).
   */
  public Tensor requiresGrad_() {
    return requiresGrad_(true);
  }

  /** Sets whether this leaf requires grad. Only floating-point leaves can; returns this. */
  public Tensor requiresGrad_(boolean on) {
    if (gradFn != null) {
      if (!on) {
        throw new IllegalStateException(
            "you can only change requires_grad flags of leaf variables. If you want to use a"
                + " computed variable in a subgraph that doesn't require differentiation use"
                + " detach() (var_no_grad = var.detach()).");
      }
      return this;
    }
    if (on && !dtype().isFloatingPoint()) {
      throw new IllegalArgumentException(
          "only Tensors of floating point dtype can require gradients (this one is "
              + dtype().torchName()
              + ")");
    }
    requiresGrad = on;
    return this;
  }

  /**
   * The accumulated gradient of a leaf (or of a non-leaf after {@link #retainGrad()}); else null.
   * Reading the null {@code .grad} of a non-leaf prints PyTorch's warning once per call site.
   */
  public Tensor grad() {
    Tensor g = readGrad();
    if (g == null && gradFn != null && !retainsGrad) NonLeafGradWarning.warnOnce();
    if (Tracer.active)
      Tracer.gradRead(this, g); // inside a compiled function: read afresh on replay
    return g;
  }

  // under the lock setGrad takes: a gradient returned here is never recycled afterwards
  private synchronized Tensor readGrad() {
    if (gradUnread) gradUnread = false;
    return grad;
  }

  /** Replaces {@code .grad} (null clears it), like assigning {@code x.grad} in PyTorch. */
  public void setGrad(Tensor g) {
    if (Tracer.active) {
      if (g == null && Tracer.clearGrad(this))
        return; // zeroGrad() inside a compiled function: replayed
      if (g != null) Tracer.unsupported("setGrad() with a tensor inside the compiled function");
    }
    if (g != null && !Arrays.equals(g.shape, shape)) {
      throw new IllegalArgumentException(
          "assigned grad has data of a different size: "
              + Shapes.str(g.shape)
              + " vs "
              + Shapes.str(shape));
    }
    if (g != null && g.dtype() != dtype()) {
      throw new IllegalArgumentException(
          "assigned grad has data of a different type: "
              + g.dtype().torchName()
              + " vs "
              + dtype().torchName()
              + "; convert it with .to(DType."
              + dtype()
              + ")");
    }
    Tensor unread;
    synchronized (this) {
      unread = gradUnread && grad != g ? grad : null;
      gradUnread = false;
      grad = g;
    }
    // an engine-made gradient nobody has seen (optimizer.zeroGrad() after a built-in step): its
    // array is reused
    if (unread != null) SharedSecrets.storages().recycle(unread.storage);
  }

  /** The node that created this tensor ({@code MulBackward0}, ...), or null for leaves. */
  public Node gradFn() {
    if (base != null) refreshViewHistory();
    Node n = gradFn;
    return n instanceof CustomFunctionNode.OutputEdge
        ? ((CustomFunctionNode.OutputEdge) n).owner()
        : n; // a multi-output function's node
  }

  /** True for tensors the user made (and results of ops that record nothing). */
  public boolean isLeaf() {
    return gradFn() == null;
  }

  /** Asks a non-leaf tensor to keep its gradient in {@code .grad} during backward. */
  public void retainGrad() {
    if (Tracer.active) Tracer.unsupported("retainGrad() inside the compiled function");
    if (!requiresGrad) {
      throw new IllegalStateException("can't retain_grad on Tensor that has requires_grad=False");
    }
    if (gradFn != null) {
      retainsGrad = true;
      Engine.retainGrad(gradFn, this);
    }
  }

  /**
   * Runs {@code hook} on this tensor's gradient each time backward computes it (PyTorch's {@code
   * register_hook}); a non-null result replaces the gradient (same shape and dtype), so the hook
   * can inspect, log or change it. For a leaf it runs before the gradient is added to {@code
   * .grad}. Returns a handle whose {@code remove()} unregisters it.
   */
  public RemovableHandle registerHook(java.util.function.UnaryOperator<Tensor> hook) {
    Checks.notNull(hook, "registerHook", "hook");
    if (!requiresGrad()) {
      throw new IllegalStateException(
          "cannot register a hook on a tensor that doesn't require gradient; call requiresGrad_() first");
    }
    return SharedSecrets.tensors().gradEdge(this).registerPrehook(hook);
  }

  /** Computes d(this)/d(leaf) for every leaf that requires grad; this must have one element. */
  public void backward() {
    Engine.backward(new Tensor[] {this}, null, false, false);
  }

  /** Backward with an explicit gradient of this tensor's shape (vector-Jacobian product). */
  public void backward(Tensor gradient) {
    backward(gradient, false);
  }

  /** Backward that keeps saved values, so the graph can be walked again. */
  public void backward(Tensor gradient, boolean retainGraph) {
    Engine.backward(
        new Tensor[] {this}, gradient == null ? null : new Tensor[] {gradient}, retainGraph, false);
  }

  /** Backward with full control: {@code createGraph} records the backward pass for higher order. */
  public void backward(Tensor gradient, boolean retainGraph, boolean createGraph) {
    Engine.backward(
        new Tensor[] {this},
        gradient == null ? null : new Tensor[] {gradient},
        retainGraph || createGraph,
        createGraph);
  }

  /**
   * Backward that accumulates only into the {@code .grad} of {@code inputs} (PyTorch's {@code
   * backward(inputs=...)}): leaves or non-leaves that require grad; other leaves are left alone.
   * {@code gradient} may be null for a one-element tensor. Throws IllegalArgumentException for an
   * empty {@code inputs}, IllegalStateException for an input that does not require grad.
   */
  public void backward(
      Tensor gradient, boolean retainGraph, boolean createGraph, Tensor... inputs) {
    Checks.notNull(inputs, "backward", "inputs");
    Engine.backward(
        new Tensor[] {this},
        gradient == null ? null : new Tensor[] {gradient},
        retainGraph || createGraph,
        createGraph,
        inputs);
  }

  /**
   * A tensor sharing this one's storage, cut off from the graph (a leaf that does not require
   * grad).
   */
  public Tensor detach() {
    Tensor d = new Tensor(storage, offset, shape, strides, base != null ? base : this);
    d.viewBits |= DETACHED_VIEW;
    if (Tracer.active) Tracer.same(d, this); // in a trace, the same value as this
    return d;
  }

  /** Cuts this tensor off from the graph in place. */
  public Tensor detach_() {
    if (base != null && (viewBits & DETACHED_VIEW) == 0) {
      throw new IllegalStateException(
          "Can't detach views in-place. Use detach() instead: it returns a new tensor without history.");
    }
    gradFn = null;
    requiresGrad = false;
    return this;
  }

  // ---------------------------------------------------------------------------------------------
  // Conversion and copies

  /** This tensor in another dtype (a copy unless it already is; differentiable between floats). */
  public Tensor to(DType dtype) {
    Checks.notNull(dtype, "to", "dtype");
    return ElementwiseOps.cast(this, dtype);
  }

  /** Same data, laid out contiguously: this tensor if it already is, else a copy. */
  public Tensor contiguous() {
    return isContiguous() ? this : Movement.clone(this);
  }

  /** A contiguous copy with its own storage; differentiable. */
  public Tensor clone() {
    return Movement.clone(this);
  }

  // ---------------------------------------------------------------------------------------------
  // Element-wise math (entries in ops.ElementwiseOps)

  /** -x element-wise ({@code torch.neg}). */
  public Tensor neg() {
    return ElementwiseOps.NEG.call(NO_PARAM, this);
  }

  /** e^x element-wise ({@code torch.exp}). */
  public Tensor exp() {
    return ElementwiseOps.EXP.call(NO_PARAM, this);
  }

  /**
   * The natural logarithm element-wise ({@code torch.log}); -inf at 0, NaN below, as in PyTorch.
   */
  public Tensor log() {
    return ElementwiseOps.LOG.call(NO_PARAM, this);
  }

  /** log(1 + x) element-wise, accurate near 0 ({@code torch.log1p}). */
  public Tensor log1p() {
    return ElementwiseOps.LOG1P.call(NO_PARAM, this);
  }

  /** e^x - 1 element-wise, accurate near 0 ({@code torch.expm1}). */
  public Tensor expm1() {
    return ElementwiseOps.EXPM1.call(NO_PARAM, this);
  }

  /** The square root element-wise ({@code torch.sqrt}); NaN below 0. */
  public Tensor sqrt() {
    return ElementwiseOps.SQRT.call(NO_PARAM, this);
  }

  /** 1 / sqrt(x) element-wise ({@code torch.rsqrt}). */
  public Tensor rsqrt() {
    return ElementwiseOps.RSQRT.call(NO_PARAM, this);
  }

  /** |x| element-wise ({@code torch.abs}); gradient sign(x), 0 at 0. */
  public Tensor abs() {
    return ElementwiseOps.ABS.call(NO_PARAM, this);
  }

  /** sin(x) element-wise ({@code torch.sin}). */
  public Tensor sin() {
    return ElementwiseOps.SIN.call(NO_PARAM, this);
  }

  /** cos(x) element-wise ({@code torch.cos}). */
  public Tensor cos() {
    return ElementwiseOps.COS.call(NO_PARAM, this);
  }

  /** tan(x) element-wise ({@code torch.tan}). */
  public Tensor tan() {
    return ElementwiseOps.TAN.call(NO_PARAM, this);
  }

  /** tanh(x) element-wise ({@code torch.tanh}). */
  public Tensor tanh() {
    return ElementwiseOps.TANH.call(NO_PARAM, this);
  }

  /** 1 / (1 + e^-x) element-wise ({@code torch.sigmoid}). */
  public Tensor sigmoid() {
    return ElementwiseOps.SIGMOID.call(NO_PARAM, this);
  }

  /** max(x, 0); its gradient at exactly 0 is 0, as in PyTorch. */
  public Tensor relu() {
    return ElementwiseOps.RELU.call(NO_PARAM, this);
  }

  /** x where x > 0, negativeSlope * x elsewhere ({@code F.leaky_relu}). */
  public Tensor leakyRelu(double negativeSlope) {
    return ElementwiseOps.LEAKY_RELU.call(negativeSlope, this);
  }

  /** 1 / x element-wise ({@code torch.reciprocal}). */
  public Tensor reciprocal() {
    return ElementwiseOps.RECIPROCAL.call(NO_PARAM, this);
  }

  /** x * x element-wise ({@code torch.square}). */
  public Tensor square() {
    return ElementwiseOps.SQUARE.call(NO_PARAM, this);
  }

  /** log(1 + e^x) element-wise ({@code F.softplus} with beta 1), stable for large x. */
  public Tensor softplus() {
    return ElementwiseOps.SOFTPLUS.call(NO_PARAM, this);
  }

  /** The exact (erf-based) GELU, PyTorch's default. */
  public Tensor gelu() {
    return ElementwiseOps.GELU.call(NO_PARAM, this);
  }

  /** x * sigmoid(x) element-wise ({@code F.silu}, also called swish). */
  public Tensor silu() {
    return ElementwiseOps.SILU.call(NO_PARAM, this);
  }

  /** The error function erf(x) element-wise ({@code torch.erf}). */
  public Tensor erf() {
    return ElementwiseOps.ERF.call(NO_PARAM, this);
  }

  /** x^exponent for a number exponent. */
  public Tensor pow(double exponent) {
    return exponent == 2 && dtype().isFloatingPoint()
        ? ElementwiseOps.SQUARE.call(NO_PARAM, this)
        : ElementwiseOps.POW.call(exponent, this);
  }

  /** Element-wise x^e with broadcasting. */
  public Tensor pow(Tensor exponent) {
    Checks.notNull(exponent, "pow", "exponent");
    return ElementwiseOps.POW_TENSOR.call(null, this, exponent);
  }

  /** -1, 0 or 1 by sign; zero gradient. */
  public Tensor sign() {
    return ElementwiseOps.SIGN.call(NO_PARAM, this);
  }

  /** The largest integer not above x, element-wise ({@code torch.floor}); zero gradient. */
  public Tensor floor() {
    return ElementwiseOps.FLOOR.call(NO_PARAM, this);
  }

  /** The smallest integer not below x, element-wise ({@code torch.ceil}); zero gradient. */
  public Tensor ceil() {
    return ElementwiseOps.CEIL.call(NO_PARAM, this);
  }

  /** Rounds half to even, like PyTorch; zero gradient. */
  public Tensor round() {
    return ElementwiseOps.ROUND.call(NO_PARAM, this);
  }

  /** Limits values to [min, max]; a null bound is open. Gradient 1 inside, 0 where clamped. */
  public Tensor clamp(Double min, Double max) {
    return ElementwiseOps.clamp(this, min, max);
  }

  /** max(x, min) element-wise ({@code torch.clamp(x, min=...)}); gradient 0 where clamped. */
  public Tensor clampMin(double min) {
    return ElementwiseOps.clamp(this, min, null);
  }

  /** min(x, max) element-wise ({@code torch.clamp(x, max=...)}); gradient 0 where clamped. */
  public Tensor clampMax(double max) {
    return ElementwiseOps.clamp(this, null, max);
  }

  // --- binary, with broadcasting ---

  /**
   * this + other element-wise with broadcasting ({@code torch.add}); throws
   * IllegalArgumentException when the shapes do not broadcast.
   */
  public Tensor add(Tensor other) {
    Checks.notNull(other, "add", "other");
    return ElementwiseOps.ADD.call(null, this, other);
  }

  /** this + alpha * other, like {@code torch.add(x, y, alpha=...)}. */
  public Tensor add(Tensor other, double alpha) {
    Checks.notNull(other, "add", "other");
    return alpha == 1 ? add(other) : add(other.mul(alpha));
  }

  /** this + other for a number ({@code x + 2}); keeps this dtype. */
  public Tensor add(double other) {
    return ElementwiseOps.ADD.call(null, this, ElementwiseOps.wrap(other, this));
  }

  /** this - other element-wise with broadcasting ({@code torch.sub}). */
  public Tensor sub(Tensor other) {
    Checks.notNull(other, "sub", "other");
    return ElementwiseOps.SUB.call(null, this, other);
  }

  /** this - other for a number ({@code x - 2}). */
  public Tensor sub(double other) {
    return ElementwiseOps.SUB.call(null, this, ElementwiseOps.wrap(other, this));
  }

  /** other - this. */
  public Tensor rsub(double other) {
    return ElementwiseOps.SUB.call(null, ElementwiseOps.wrap(other, this), this);
  }

  /** this * other element-wise with broadcasting ({@code torch.mul}). */
  public Tensor mul(Tensor other) {
    Checks.notNull(other, "mul", "other");
    return ElementwiseOps.MUL.call(null, this, other);
  }

  /** this * other for a number ({@code x * 2}). */
  public Tensor mul(double other) {
    return ElementwiseOps.MUL.call(null, this, ElementwiseOps.wrap(other, this));
  }

  /** this / other element-wise with broadcasting ({@code torch.div}, true division). */
  public Tensor div(Tensor other) {
    Checks.notNull(other, "div", "other");
    return ElementwiseOps.DIV.call(null, this, other);
  }

  /** this / other for a number ({@code x / 2}). */
  public Tensor div(double other) {
    return ElementwiseOps.DIV.call(null, this, ElementwiseOps.wrap(other, this));
  }

  /** other / this. */
  public Tensor rdiv(double other) {
    return ElementwiseOps.DIV.call(null, ElementwiseOps.wrap(other, this), this);
  }

  /**
   * atan2(this, other) element-wise (broadcast): the angle of the point (other, this), in (-π, π].
   */
  public Tensor atan2(Tensor other) {
    Checks.notNull(other, "atan2", "other");
    return ElementwiseOps.ATAN2.call(null, this, other);
  }

  /** Element-wise maximum (gradient split evenly on ties, as in PyTorch). */
  public Tensor maximum(Tensor other) {
    Checks.notNull(other, "maximum", "other");
    return ElementwiseOps.MAXIMUM.call(null, this, other);
  }

  /** The element-wise minimum with broadcasting ({@code torch.minimum}). */
  public Tensor minimum(Tensor other) {
    Checks.notNull(other, "minimum", "other");
    return ElementwiseOps.MINIMUM.call(null, this, other);
  }

  // --- comparisons (BOOL results, no gradient) ---

  /** this > o element-wise with broadcasting: a BOOL tensor ({@code torch.gt}). */
  public Tensor gt(Tensor o) {
    Checks.notNull(o, "gt", "o");
    return ElementwiseOps.compare(CompareOp.GT, this, o);
  }

  /** this > o for a number, element-wise: a BOOL tensor. */
  public Tensor gt(double o) {
    return ElementwiseOps.compare(CompareOp.GT, this, ElementwiseOps.wrap(o, this));
  }

  /** this {@literal <} o element-wise with broadcasting: a BOOL tensor ({@code torch.lt}). */
  public Tensor lt(Tensor o) {
    Checks.notNull(o, "lt", "o");
    return ElementwiseOps.compare(CompareOp.LT, this, o);
  }

  /** this {@literal <} o for a number, element-wise: a BOOL tensor. */
  public Tensor lt(double o) {
    return ElementwiseOps.compare(CompareOp.LT, this, ElementwiseOps.wrap(o, this));
  }

  /** this >= o element-wise with broadcasting: a BOOL tensor ({@code torch.ge}). */
  public Tensor ge(Tensor o) {
    Checks.notNull(o, "ge", "o");
    return ElementwiseOps.compare(CompareOp.GE, this, o);
  }

  /** this >= o for a number, element-wise: a BOOL tensor. */
  public Tensor ge(double o) {
    return ElementwiseOps.compare(CompareOp.GE, this, ElementwiseOps.wrap(o, this));
  }

  /** this {@literal <=} o element-wise with broadcasting: a BOOL tensor ({@code torch.le}). */
  public Tensor le(Tensor o) {
    Checks.notNull(o, "le", "o");
    return ElementwiseOps.compare(CompareOp.LE, this, o);
  }

  /** this {@literal <=} o for a number, element-wise: a BOOL tensor. */
  public Tensor le(double o) {
    return ElementwiseOps.compare(CompareOp.LE, this, ElementwiseOps.wrap(o, this));
  }

  /** this == o element-wise with broadcasting: a BOOL tensor, no gradient ({@code torch.eq}). */
  public Tensor eq(Tensor o) {
    Checks.notNull(o, "eq", "o");
    return ElementwiseOps.compare(CompareOp.EQ, this, o);
  }

  /** this == o for a number, element-wise: a BOOL tensor ({@code torch.eq}). */
  public Tensor eq(double o) {
    return ElementwiseOps.compare(CompareOp.EQ, this, ElementwiseOps.wrap(o, this));
  }

  /** this != o element-wise with broadcasting: a BOOL tensor ({@code torch.ne}). */
  public Tensor ne(Tensor o) {
    Checks.notNull(o, "ne", "o");
    return ElementwiseOps.compare(CompareOp.NE, this, o);
  }

  /** this != o for a number, element-wise: a BOOL tensor. */
  public Tensor ne(double o) {
    return ElementwiseOps.compare(CompareOp.NE, this, ElementwiseOps.wrap(o, this));
  }

  /** Element-wise {@code this && other} (nonzero is true) with broadcasting: a BOOL tensor. */
  public Tensor logicalAnd(Tensor other) {
    Checks.notNull(other, "logicalAnd", "other");
    return ElementwiseOps.LOGICAL_AND.call(null, this, other);
  }

  /** Element-wise {@code this || other} (nonzero is true) with broadcasting: a BOOL tensor. */
  public Tensor logicalOr(Tensor other) {
    Checks.notNull(other, "logicalOr", "other");
    return ElementwiseOps.LOGICAL_OR.call(null, this, other);
  }

  /** Logical not of a BOOL tensor. */
  public Tensor logicalNot() {
    return ElementwiseOps.logicalNot(this);
  }

  /** True when both tensors have the same shape and all values are within tolerance. */
  public boolean allclose(Tensor other, double rtol, double atol) {
    Checks.notNull(other, "allclose", "other");
    return ElementwiseOps.allclose(this, other, rtol, atol);
  }

  /** {@code cond ? a : b} element-wise, with broadcasting; gradients flow to the chosen side. */
  public static Tensor where(Tensor cond, Tensor a, Tensor b) {
    Checks.notNull(cond, "where", "cond");
    Checks.notNull(a, "where", "a");
    Checks.notNull(b, "where", "b");
    return ElementwiseOps.where(cond, a, b);
  }

  /** A copy with {@code value} where {@code mask} is true; gradient 0 there. */
  public Tensor maskedFill(Tensor mask, double value) {
    Checks.notNull(mask, "maskedFill", "mask");
    return ElementwiseOps.maskedFill(this, mask, value);
  }

  // ---------------------------------------------------------------------------------------------
  // In-place ops (end in '_'; they bump the version counter)

  /**
   * In place: this += other (other broadcast to this shape); returns this. Throws when a recorded
   * op saved this tensor or it is a leaf that requires grad.
   */
  public Tensor add_(Tensor other) {
    Checks.notNull(other, "add_", "other");
    return InPlace.binary(this, "add_", BinaryOp.ADD, other, 1, t -> t.add(other));
  }

  /** In place: this += other for a number; returns this. */
  public Tensor add_(double other) {
    return InPlace.binary(
        this, "add_", BinaryOp.ADD, ElementwiseOps.wrap(other, this), 1, t -> t.add(other));
  }

  /** this += alpha * other. */
  public Tensor add_(Tensor other, double alpha) {
    Checks.notNull(other, "add_", "other");
    return InPlace.binary(this, "add_", BinaryOp.ADD, other, alpha, t -> t.add(other, alpha));
  }

  /** In place: this -= other (other broadcast to this shape); returns this. */
  public Tensor sub_(Tensor other) {
    Checks.notNull(other, "sub_", "other");
    return InPlace.binary(this, "sub_", BinaryOp.SUB, other, 1, t -> t.sub(other));
  }

  /** In place: this -= other for a number; returns this. */
  public Tensor sub_(double other) {
    return InPlace.binary(
        this, "sub_", BinaryOp.SUB, ElementwiseOps.wrap(other, this), 1, t -> t.sub(other));
  }

  /** In place: this *= other (other broadcast to this shape); returns this. */
  public Tensor mul_(Tensor other) {
    Checks.notNull(other, "mul_", "other");
    return InPlace.binary(this, "mul_", BinaryOp.MUL, other, 1, t -> t.mul(other));
  }

  /** In place: this *= other for a number; returns this. */
  public Tensor mul_(double other) {
    return InPlace.binary(
        this, "mul_", BinaryOp.MUL, ElementwiseOps.wrap(other, this), 1, t -> t.mul(other));
  }

  /** In place: this /= other (other broadcast to this shape); returns this. */
  public Tensor div_(Tensor other) {
    Checks.notNull(other, "div_", "other");
    return InPlace.binary(this, "div_", BinaryOp.DIV, other, 1, t -> t.div(other));
  }

  /** In place: this /= other for a number; returns this. */
  public Tensor div_(double other) {
    return InPlace.binary(
        this, "div_", BinaryOp.DIV, ElementwiseOps.wrap(other, this), 1, t -> t.div(other));
  }

  /**
   * In place {@link #clamp(Double, Double)}: limits values to [min, max], a null bound being open;
   * returns this.
   */
  public Tensor clamp_(Double min, Double max) {
    return InPlace.apply(this, "clamp_", t -> t.clamp(min, max));
  }

  /** In place {@link #neg()}; returns this. */
  public Tensor neg_() {
    return InPlace.apply(this, "neg_", Tensor::neg);
  }

  /** In place {@link #exp()}; returns this. */
  public Tensor exp_() {
    return InPlace.apply(this, "exp_", Tensor::exp);
  }

  /** In place {@link #relu()}; returns this. */
  public Tensor relu_() {
    return InPlace.apply(this, "relu_", Tensor::relu);
  }

  /** In place {@link #sqrt()}; returns this. */
  public Tensor sqrt_() {
    return InPlace.apply(this, "sqrt_", Tensor::sqrt);
  }

  /** In place {@link #pow(double)}; returns this. */
  public Tensor pow_(double exponent) {
    return InPlace.apply(this, "pow_", t -> t.pow(exponent));
  }

  /** Sets every element to zero (e.g. {@code x.grad().zero_()}). */
  public Tensor zero_() {
    return InPlace.fill(this, 0);
  }

  /** In place: sets every element to {@code value}; returns this ({@code x.fill_(v)}). */
  public Tensor fill_(double value) {
    return InPlace.fill(this, value);
  }

  /** Copies {@code src} (broadcast to this shape) into this tensor. */
  public Tensor copy_(Tensor src) {
    Checks.notNull(src, "copy_", "src");
    return InPlace.apply(
        this, "copy_", t -> Movement.alias(src.expand(t.shapeRef()))); // alias: keeps src's history
  }

  /** Fills with uniform samples in [from, to). */
  public Tensor uniform_(double from, double to, Generator gen) {
    Checks.notNull(gen, "uniform_", "gen");
    return InPlace.copyNoGrad(this, Creation.uniform(shape, dtype(), from, to, gen));
  }

  /** Fills with normal samples. */
  public Tensor normal_(double mean, double std, Generator gen) {
    Checks.notNull(gen, "normal_", "gen");
    return InPlace.copyNoGrad(this, Creation.randn(shape, dtype(), gen).mul(std).add(mean));
  }

  // ---------------------------------------------------------------------------------------------
  // Shape and views (derivatives in ops.Movement)

  /**
   * Same data with a new shape (one -1 is inferred); a view when the layout allows, else a copy.
   */
  public Tensor reshape(int... newShape) {
    Checks.notNull(newShape, "reshape", "newShape");
    return Movement.reshape(this, newShape);
  }

  /** A view with a new shape; the data must be contiguous (PyTorch's {@code view}). */
  public Tensor view(int... newShape) {
    Checks.notNull(newShape, "view", "newShape");
    return Movement.view(this, newShape);
  }

  /** {@link #view} with {@code other}'s shape ({@code x.view_as(other)}). */
  public Tensor viewAs(Tensor other) {
    Checks.notNull(other, "viewAs", "other");
    return view(other.shape);
  }

  /** All dimensions in one ({@code torch.flatten(x)}); a view when the layout allows. */
  public Tensor flatten() {
    return Movement.flatten(this, 0, -1);
  }

  /** Dimensions from {@code startDim} to the last in one ({@code torch.flatten(x, start_dim)}). */
  public Tensor flatten(int startDim) {
    return Movement.flatten(this, startDim, -1);
  }

  /**
   * Dimensions {@code startDim..endDim} (inclusive, negative counts from the end) in one ({@code
   * torch.flatten}).
   */
  public Tensor flatten(int startDim, int endDim) {
    return Movement.flatten(this, startDim, endDim);
  }

  /**
   * A view with the dimensions reordered ({@code x.permute(dims)}); {@code dims} must list each
   * dimension once.
   */
  public Tensor permute(int... dims) {
    Checks.notNull(dims, "permute", "dims");
    return Movement.permute(this, dims);
  }

  /** A view with dimensions {@code dim0} and {@code dim1} swapped ({@code x.transpose(d0, d1)}). */
  public Tensor transpose(int dim0, int dim1) {
    return Movement.transpose(this, dim0, dim1);
  }

  /** Transpose of a tensor of at most 2 dims. */
  public Tensor t() {
    return Movement.t(this);
  }

  /** Transpose of the last two dims (PyTorch's {@code mT}). */
  public Tensor mT() {
    return transpose(-2, -1);
  }

  /** A view with size-1 dims repeated (stride 0) to {@code shape}; -1 keeps a size. */
  public Tensor expand(int... newShape) {
    Checks.notNull(newShape, "expand", "newShape");
    return Movement.expand(this, newShape);
  }

  /** {@link #expand} to {@code other}'s shape ({@code x.expand_as(other)}). */
  public Tensor expandAs(Tensor other) {
    Checks.notNull(other, "expandAs", "other");
    return expand(other.shape);
  }

  /** Sums a broadcast gradient back to {@code shape} (the reverse of broadcasting). */
  public Tensor sumTo(int... targetShape) {
    Checks.notNull(targetShape, "sumTo", "targetShape");
    return Reductions.sumTo(this, targetShape);
  }

  /** Elements {@code start .. start+length-1} along {@code dim}, as a view. */
  public Tensor narrow(int dim, int start, int length) {
    return Movement.slice(this, dim, start, start + length, 1);
  }

  /**
   * Python's {@code x[..., start:end:step]} along {@code dim}, as a view (negative indices count
   * from the end).
   */
  public Tensor slice(int dim, int start, int end, int step) {
    return Movement.slice(this, dim, start, end, step);
  }

  /** Index {@code index} along {@code dim}, removing that dim, as a view. */
  public Tensor select(int dim, int index) {
    return Movement.select(this, dim, index);
  }

  /** Removes every size-1 dim. */
  public Tensor squeeze() {
    return Movement.squeeze(this, null);
  }

  /** Removes {@code dim} if its size is 1. */
  public Tensor squeeze(int dim) {
    return Movement.squeeze(this, dim);
  }

  /**
   * A view with a size-1 dimension inserted at {@code dim} ({@code x.unsqueeze(dim)}); dim may be
   * -1 for the end.
   */
  public Tensor unsqueeze(int dim) {
    return Movement.unsqueeze(this, dim);
  }

  /** Concatenates along {@code dim}; all other sizes must match. */
  public static Tensor cat(int dim, Tensor... tensors) {
    Checks.notNull(tensors, "cat", "tensors");
    return Movement.cat(dim, tensors);
  }

  /** Stacks equal-shaped tensors along a new dim. */
  public static Tensor stack(int dim, Tensor... tensors) {
    Checks.notNull(tensors, "stack", "tensors");
    return Movement.stack(dim, tensors);
  }

  // ---------------------------------------------------------------------------------------------
  // Reductions (derivatives in ops.Reductions)

  /** Sum of all elements (0-dim). */
  public Tensor sum() {
    return Reductions.sum(this, null, false);
  }

  /** Sum over {@code dim} (negative counts from the end). */
  public Tensor sum(int dim) {
    return Reductions.sum(this, new int[] {dim}, false);
  }

  /**
   * The sum over dimension {@code dim}, kept as size 1 when {@code keepDim} ({@code x.sum(dim,
   * keepdim)}).
   */
  public Tensor sum(int dim, boolean keepDim) {
    return Reductions.sum(this, new int[] {dim}, keepDim);
  }

  /**
   * The sum over {@code dims}, kept as size 1 when {@code keepDim} ({@code x.sum(dims, keepdim)}).
   */
  public Tensor sum(int[] dims, boolean keepDim) {
    Checks.notNull(dims, "sum", "dims");
    return Reductions.sum(this, dims, keepDim);
  }

  /**
   * The mean of all elements as a 0-dim tensor ({@code x.mean()}); throws IllegalArgumentException
   * for integer and BOOL tensors, as PyTorch does.
   */
  public Tensor mean() {
    return Reductions.mean(this, null, false);
  }

  /** The mean over dimension {@code dim}, which is removed ({@code x.mean(dim)}). */
  public Tensor mean(int dim) {
    return Reductions.mean(this, new int[] {dim}, false);
  }

  /**
   * The mean over dimension {@code dim}, kept as size 1 when {@code keepDim} ({@code x.mean(dim,
   * keepdim)}).
   */
  public Tensor mean(int dim, boolean keepDim) {
    return Reductions.mean(this, new int[] {dim}, keepDim);
  }

  /**
   * The mean over {@code dims}, kept as size 1 when {@code keepDim} ({@code x.mean(dims,
   * keepdim)}).
   */
  public Tensor mean(int[] dims, boolean keepDim) {
    Checks.notNull(dims, "mean", "dims");
    return Reductions.mean(this, dims, keepDim);
  }

  // ---------------------------------------------------------------------------------------------
  // Linear algebra (derivatives in ops.Matmul)

  /** Matrix product of two 2-D tensors. */
  public Tensor mm(Tensor other) {
    Checks.notNull(other, "mm", "other");
    return Matmul.mm(this, other);
  }

  /** PyTorch's {@code @}: 1-D, 2-D and batched products with broadcast batch dims. */
  public Tensor matmul(Tensor other) {
    Checks.notNull(other, "matmul", "other");
    return Matmul.matmul(this, other);
  }

  /** Batched product of [b, n, k] and [b, k, m]. */
  public Tensor bmm(Tensor other) {
    Checks.notNull(other, "bmm", "other");
    return Matmul.bmm(this, other);
  }

  /** Matrix-vector product. */
  public Tensor mv(Tensor vec) {
    Checks.notNull(vec, "mv", "vec");
    return Matmul.mv(this, vec);
  }

  /** Dot product of two 1-D tensors. */
  public Tensor dot(Tensor other) {
    Checks.notNull(other, "dot", "other");
    return Matmul.dot(this, other);
  }

  /** Outer product of two 1-D tensors. */
  public Tensor outer(Tensor other) {
    Checks.notNull(other, "outer", "other");
    return Matmul.outer(this, other);
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * PyTorch's printout, e.g. {@code tensor([0., 1., 0.])} or {@code tensor(59.1124,
   * grad_fn=<MulBackward0>)}.
   */
  @Override
  public String toString() {
    return Format.tensor(this);
  }

  // ---------------------------------------------------------------------------------------------
  // --- statistics, indexing, softmax and extra ops (ops.Statistics, Indexing, Softmax, Reorder,
  // Sorting) ---

  /**
   * The values and INT64 indices returned by {@code max(dim)}, {@code min(dim)}, {@code sort} and
   * {@code topk}.
   */
  public record ValuesIndices(Tensor values, Tensor indices) {}

  /** Largest value and its index along {@code dim}; the values' gradient goes to that index. */
  public ValuesIndices max(int dim, boolean keepDim) {
    Tensor[] r = Statistics.extremeDim(this, dim, keepDim, true);
    return new ValuesIndices(r[0], r[1]);
  }

  /** Smallest value and its index along {@code dim}; the values' gradient goes to that index. */
  public ValuesIndices min(int dim, boolean keepDim) {
    Tensor[] r = Statistics.extremeDim(this, dim, keepDim, false);
    return new ValuesIndices(r[0], r[1]);
  }

  /** Largest element (0-dim); gradient split evenly among ties (PyTorch's amax rule). */
  public Tensor max() {
    return Statistics.amax(this, null, false, Statistics.MAX_ALL);
  }

  /** Smallest element (0-dim); gradient split evenly among ties. */
  public Tensor min() {
    return Statistics.amax(this, null, false, Statistics.MIN_ALL);
  }

  /** Maximum over {@code dims} (values only); gradient split evenly among ties. */
  public Tensor amax(int[] dims, boolean keepDim) {
    Checks.notNull(dims, "amax", "dims");
    return Statistics.amax(this, dims, keepDim, Statistics.AMAX);
  }

  /** Minimum over {@code dims} (values only); gradient split evenly among ties. */
  public Tensor amin(int[] dims, boolean keepDim) {
    Checks.notNull(dims, "amin", "dims");
    return Statistics.amax(this, dims, keepDim, Statistics.AMIN);
  }

  /** Index (INT64, into the flattened tensor) of the largest element; first of ties. */
  public Tensor argmax() {
    return Statistics.argExtreme(this, null, false, true);
  }

  /** Indices (INT64) of the largest elements along {@code dim}. */
  public Tensor argmax(int dim, boolean keepDim) {
    return Statistics.argExtreme(this, dim, keepDim, true);
  }

  /** Index (INT64, into the flattened tensor) of the smallest element. */
  public Tensor argmin() {
    return Statistics.argExtreme(this, null, false, false);
  }

  /** Indices (INT64) of the smallest elements along {@code dim}. */
  public Tensor argmin(int dim, boolean keepDim) {
    return Statistics.argExtreme(this, dim, keepDim, false);
  }

  /** log(sum(exp(x))) along {@code dim}, computed stably; gradient {@code g * exp(x - y)}. */
  public Tensor logsumexp(int dim, boolean keepDim) {
    return Statistics.logsumexp(this, new int[] {dim}, keepDim);
  }

  /** log(sum(exp(x))) over several dims. */
  public Tensor logsumexp(int[] dims, boolean keepDim) {
    Checks.notNull(dims, "logsumexp", "dims");
    return Statistics.logsumexp(this, dims, keepDim);
  }

  /** Variance of all elements; {@code unbiased} divides by N - 1 (PyTorch's default). */
  public Tensor var(boolean unbiased) {
    return Statistics.var(this, null, unbiased, false);
  }

  /** Variance along {@code dim}; gradient {@code g * 2 (x - mean) / (N - 1)} when unbiased. */
  public Tensor var(int dim, boolean unbiased, boolean keepDim) {
    return Statistics.var(this, new int[] {dim}, unbiased, keepDim);
  }

  /** Variance over several dims. */
  public Tensor var(int[] dims, boolean unbiased, boolean keepDim) {
    Checks.notNull(dims, "var", "dims");
    return Statistics.var(this, dims, unbiased, keepDim);
  }

  /** Standard deviation of all elements (sqrt of {@link #var(boolean)}). */
  public Tensor std(boolean unbiased) {
    return Statistics.std(this, null, unbiased, false);
  }

  /** Standard deviation along {@code dim}. */
  public Tensor std(int dim, boolean unbiased, boolean keepDim) {
    return Statistics.std(this, new int[] {dim}, unbiased, keepDim);
  }

  /** Standard deviation over several dims. */
  public Tensor std(int[] dims, boolean unbiased, boolean keepDim) {
    Checks.notNull(dims, "std", "dims");
    return Statistics.std(this, dims, unbiased, keepDim);
  }

  /** The Euclidean norm of all elements; gradient {@code g * x / y} (0 where y is 0). */
  public Tensor norm() {
    return Statistics.norm(this, 2, null, false);
  }

  /** The p-norm of all elements (p >= 1, or infinity for max |x|). */
  public Tensor norm(double p) {
    return Statistics.norm(this, p, null, false);
  }

  /** The p-norm along {@code dim}. */
  public Tensor norm(double p, int dim, boolean keepDim) {
    return Statistics.norm(this, p, new int[] {dim}, keepDim);
  }

  /** The p-norm over several dims. */
  public Tensor norm(double p, int[] dims, boolean keepDim) {
    Checks.notNull(dims, "norm", "dims");
    return Statistics.norm(this, p, dims, keepDim);
  }

  /** Product of all elements; its gradient is exact also when elements are zero. */
  public Tensor prod() {
    return Statistics.prod(this, null, false);
  }

  /** Product along {@code dim}. */
  public Tensor prod(int dim, boolean keepDim) {
    return Statistics.prod(this, dim, keepDim);
  }

  /** Running sum along {@code dim}; gradient: the reversed running sum of g. */
  public Tensor cumsum(int dim) {
    return Scans.cumsum(this, dim);
  }

  /** log(cumsum(exp(this))) along {@code dim}, computed stably (PyTorch's {@code logcumsumexp}). */
  public Tensor logcumsumexp(int dim) {
    return Scans.logcumsumexp(this, dim);
  }

  /**
   * Slices at the INT64 {@code index} (a vector) along {@code dim}; gradient: indexAdd into zeros.
   */
  public Tensor indexSelect(int dim, Tensor index) {
    Checks.notNull(index, "indexSelect", "index");
    return Indexing.indexSelect(this, dim, index);
  }

  /**
   * A copy with {@code src}'s slices added at {@code index} along {@code dim}; differentiable in
   * both.
   */
  public Tensor indexAdd(int dim, Tensor index, Tensor src) {
    Checks.notNull(index, "indexAdd", "index");
    Checks.notNull(src, "indexAdd", "src");
    return Indexing.indexAdd(this, dim, index, src);
  }

  /**
   * PyTorch's advanced indexing {@code x[i0, i1, ...]}: one entry per leading dim, each an INT64
   * index tensor, a BOOL mask (covering as many dims as it has, {@code x[mask]}) or {@code null}
   * for a full slice {@code :}. The index tensors broadcast together to a shape B that replaces the
   * indexed dims (in their place when they are adjacent, first otherwise); negative indices count
   * from the end. A copy; gradient: an accumulating {@link #indexPut} into zeros.
   *
   * @throws IndexOutOfBoundsException for an index out of range, a mask whose shape differs from
   *     the dims it covers, too many indices, or index tensors that do not broadcast
   * @throws IllegalArgumentException for index tensors that are neither INT64 nor BOOL, or no
   *     tensor at all
   */
  public Tensor index(Tensor... indices) {
    Checks.notNull(indices, "index", "indices");
    return AdvancedIndexing.index(this, indices);
  }

  /**
   * A copy with {@code values} (broadcast to the shape of {@code x[indices]}) written at {@code
   * x[indices]}, or added there when {@code accumulate} (repeated indices then sum). With repeated
   * indices and {@code accumulate=false} PyTorch leaves the result undefined; here the last write
   * wins. Differentiable in this (zero at written positions unless accumulating) and in values
   * ({@code g[indices]}).
   *
   * @throws IllegalArgumentException when values' dtype differs or its shape does not broadcast to
   *     the indexing result's; see {@link #index} for the indices' errors
   */
  public Tensor indexPut(Tensor[] indices, Tensor values, boolean accumulate) {
    Checks.notNull(indices, "indexPut", "indices");
    Checks.notNull(values, "indexPut", "values");
    return AdvancedIndexing.indexPut(this, indices, values, accumulate);
  }

  /**
   * {@code x[indices] = values} (or {@code x[indices] += values} with {@code accumulate}), in
   * place; see {@link #indexPut} for the rules and the gradient.
   *
   * @throws IllegalStateException on a leaf that requires grad while grad mode is on
   */
  public Tensor indexPut_(Tensor[] indices, Tensor values, boolean accumulate) {
    Checks.notNull(indices, "indexPut_", "indices");
    Checks.notNull(values, "indexPut_", "values");
    return AdvancedIndexing.indexPut_(this, indices, values, accumulate);
  }

  /**
   * {@code out[i][j] = this[i][index[i][j]]} for dim 1 (output has index's shape); gradient:
   * scatterAdd.
   */
  public Tensor gather(int dim, Tensor index) {
    Checks.notNull(index, "gather", "index");
    return Indexing.gather(this, dim, index);
  }

  /**
   * A copy with {@code out[i][index[i][j]] += src[i][j]} for dim 1; differentiable in this and src.
   */
  public Tensor scatterAdd(int dim, Tensor index, Tensor src) {
    Checks.notNull(index, "scatterAdd", "index");
    Checks.notNull(src, "scatterAdd", "src");
    return Indexing.scatterAdd(this, dim, index, src);
  }

  /** Softmax along {@code dim} (max-subtracted); gradient {@code y * (g - sum(g * y))}. */
  public Tensor softmax(int dim) {
    return Softmax.softmax(this, dim);
  }

  /** Log of softmax along {@code dim}, computed stably; gradient {@code g - exp(y) * sum(g)}. */
  public Tensor logSoftmax(int dim) {
    return Softmax.logSoftmax(this, dim);
  }

  /** Views of {@code size} elements along {@code dim} (the last may be smaller). */
  public Tensor[] split(int size, int dim) {
    return Reorder.split(this, size, dim);
  }

  /** {@code split(size, 0)}. */
  public Tensor[] split(int size) {
    return Reorder.split(this, size, 0);
  }

  /** At most {@code chunks} equal views along {@code dim} (the last may be smaller). */
  public Tensor[] chunk(int chunks, int dim) {
    return Reorder.chunk(this, chunks, dim);
  }

  /** {@code chunk(chunks, 0)}. */
  public Tensor[] chunk(int chunks) {
    return Reorder.chunk(this, chunks, 0);
  }

  /** Tiles this tensor {@code reps[d]} times along each dim; gradient sums over the copies. */
  public Tensor repeat(int... reps) {
    Checks.notNull(reps, "repeat", "reps");
    return Reorder.repeat(this, reps);
  }

  /** Reverses the order along {@code dims} (a copy). */
  public Tensor flip(int... dims) {
    Checks.notNull(dims, "flip", "dims");
    return Reorder.flip(this, dims);
  }

  /** Values sorted along {@code dim} and their INT64 indices (stable). */
  public ValuesIndices sort(int dim, boolean descending) {
    Tensor[] r = Sorting.sort(this, dim, descending);
    return new ValuesIndices(r[0], r[1]);
  }

  /**
   * The {@code k} largest (or smallest) values along {@code dim} and their indices; always sorted.
   */
  public ValuesIndices topk(int k, int dim, boolean largest, boolean sorted) {
    Tensor[] r = Sorting.topk(this, k, dim, largest);
    return new ValuesIndices(r[0], r[1]);
  }

  /** The {@code k} largest values along the last dim. */
  public ValuesIndices topk(int k) {
    return topk(k, -1, true, true);
  }

  // --- out= forms (ops.Out): the result written into a tensor allocated once, no history ---
  // Each checks out's shape and dtype, rejects overlap with an input (exact aliasing, as in
  // x.exp(x), is allowed) and refuses to run where a gradient would be needed: use them under
  // Autograd.noGrad(), e.g. in evaluation loops or optimizer code over large tensors.

  /** {@code this + other} (broadcast) written into {@code out}; returns {@code out}. */
  public Tensor add(Tensor other, Tensor out) {
    Checks.notNull(other, "add", "other");
    Checks.notNull(out, "add", "out");
    return ElementwiseOps.ADD.callOut(null, out, this, other);
  }

  /** {@code this + other} written into {@code out}; returns {@code out}. */
  public Tensor add(double other, Tensor out) {
    Checks.notNull(out, "add", "out");
    return ElementwiseOps.ADD.callOut(null, out, this, ElementwiseOps.wrap(other, this));
  }

  /** {@code this - other} (broadcast) written into {@code out}; returns {@code out}. */
  public Tensor sub(Tensor other, Tensor out) {
    Checks.notNull(other, "sub", "other");
    Checks.notNull(out, "sub", "out");
    return ElementwiseOps.SUB.callOut(null, out, this, other);
  }

  /** {@code this * other} (broadcast) written into {@code out}; returns {@code out}. */
  public Tensor mul(Tensor other, Tensor out) {
    Checks.notNull(other, "mul", "other");
    Checks.notNull(out, "mul", "out");
    return ElementwiseOps.MUL.callOut(null, out, this, other);
  }

  /** {@code this * other} written into {@code out}; returns {@code out}. */
  public Tensor mul(double other, Tensor out) {
    Checks.notNull(out, "mul", "out");
    return ElementwiseOps.MUL.callOut(null, out, this, ElementwiseOps.wrap(other, this));
  }

  /**
   * {@code this / other} (broadcast, true division) written into {@code out}; returns {@code out}.
   */
  public Tensor div(Tensor other, Tensor out) {
    Checks.notNull(other, "div", "other");
    Checks.notNull(out, "div", "out");
    return ElementwiseOps.DIV.callOut(null, out, this, other);
  }

  /** {@code -this} written into {@code out}; returns {@code out}. */
  public Tensor neg(Tensor out) {
    Checks.notNull(out, "neg", "out");
    return ElementwiseOps.NEG.callOut(NO_PARAM, out, this);
  }

  /** {@code e^this} written into {@code out}; returns {@code out}. */
  public Tensor exp(Tensor out) {
    Checks.notNull(out, "exp", "out");
    return ElementwiseOps.EXP.callOut(NO_PARAM, out, this);
  }

  /** Natural log written into {@code out}; returns {@code out}. */
  public Tensor log(Tensor out) {
    Checks.notNull(out, "log", "out");
    return ElementwiseOps.LOG.callOut(NO_PARAM, out, this);
  }

  /** Square root written into {@code out}; returns {@code out}. */
  public Tensor sqrt(Tensor out) {
    Checks.notNull(out, "sqrt", "out");
    return ElementwiseOps.SQRT.callOut(NO_PARAM, out, this);
  }

  /** Hyperbolic tangent written into {@code out}; returns {@code out}. */
  public Tensor tanh(Tensor out) {
    Checks.notNull(out, "tanh", "out");
    return ElementwiseOps.TANH.callOut(NO_PARAM, out, this);
  }

  /** Logistic sigmoid written into {@code out}; returns {@code out}. */
  public Tensor sigmoid(Tensor out) {
    Checks.notNull(out, "sigmoid", "out");
    return ElementwiseOps.SIGMOID.callOut(NO_PARAM, out, this);
  }

  /** {@code max(this, 0)} written into {@code out}; returns {@code out}. */
  public Tensor relu(Tensor out) {
    Checks.notNull(out, "relu", "out");
    return ElementwiseOps.RELU.callOut(NO_PARAM, out, this);
  }

  /**
   * The matrix product {@code this · other} ([m, k] x [k, n]) written into {@code out}; returns
   * {@code out}.
   */
  public Tensor mm(Tensor other, Tensor out) {
    Checks.notNull(other, "mm", "other");
    Checks.notNull(out, "mm", "out");
    return Matmul.mmOut(this, other, out);
  }

  /** Sum of all elements written into the 0-dim {@code out}; returns {@code out}. */
  public Tensor sum(Tensor out) {
    Checks.notNull(out, "sum", "out");
    return Reductions.sumOut(this, null, false, out);
  }

  /** Sum over {@code dim} written into {@code out}; returns {@code out}. */
  public Tensor sum(int dim, boolean keepDim, Tensor out) {
    Checks.notNull(out, "sum", "out");
    return Reductions.sumOut(this, new int[] {dim}, keepDim, out);
  }

  // The engine's way in (see SharedSecrets): not part of the public API.
  private static final class EngineHooks implements TensorAccess {
    @Override
    public Node gradEdge(Tensor t) {
      if (t.base != null) t.refreshViewHistory();
      if (t.gradFn != null) return t.gradFn;
      if (!t.requiresGrad) return null;
      synchronized (t) {
        if (t.accumulator == null) t.accumulator = new AccumulateGrad(t);
        return t.accumulator;
      }
    }

    @Override
    public Storage storage(Tensor t) {
      return t.storage;
    }

    @Override
    public Tensor fromStorage(Storage storage, int... shape) {
      int[] s = shape.length == 0 ? Shapes.SCALAR : shape.clone(); // an empty array is shared
      if (Shapes.numel(s) > storage.length()) {
        throw new IllegalArgumentException(
            "shape "
                + Shapes.str(s)
                + " needs "
                + Shapes.numel(s)
                + " elements; storage has "
                + storage.length());
      }
      return new Tensor(storage, 0, s, Shapes.contiguousStrides(s), null);
    }

    @Override
    public Tensor viewOf(Tensor source, int offset, int[] shape, int[] strides) {
      Tensor root = source.base != null ? source.base : source;
      return new Tensor(source.storage, offset, shape, strides, root);
    }

    @Override
    public void attachGradFn(Tensor t, Node node) {
      t.gradFn = node;
      t.requiresGrad = true;
    }

    @Override
    public void rebaseHistory(Tensor base, Node node) {
      attachGradFn(base, node);
      base.historyVersion++;
    }

    @Override
    public void markMultiOutputView(Tensor t) {
      t.viewBits |= MULTI_OUTPUT_VIEW;
    }

    @Override
    public boolean isMultiOutputView(Tensor t) {
      return (t.viewBits & MULTI_OUTPUT_VIEW) != 0;
    }

    @Override
    public Tensor peekGrad(Tensor t) {
      return t.grad;
    }

    @Override
    public void setEngineGrad(Tensor t, Tensor g) {
      synchronized (t) {
        t.gradUnread = true;
        t.grad = g;
      }
    }
  }
}
