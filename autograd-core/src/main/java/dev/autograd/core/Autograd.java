package dev.autograd.core;

import dev.autograd.core.engine.Engine;
import dev.autograd.core.kernels.KernelProvider;

/** Entry points of the autograd engine: grad mode scopes, {@link #grad}, seeding, anomaly mode. */
public final class Autograd {
  private Autograd() {}

  /**
   * Turns recording off on this thread until the returned scope is closed — PyTorch's {@code with
   * torch.no_grad():}. Scopes nest; closing one restores the mode before it.
   *
   * <pre>{@code try (var g = Autograd.noGrad()) { w.sub_(w.grad().mul(lr)); } }</pre>
   */
  public static GradMode.Scope noGrad() {
    return GradMode.scope(false);
  }

  /** Turns recording on inside a {@link #noGrad()} block ({@code torch.enable_grad()}). */
  public static GradMode.Scope enableGrad() {
    return GradMode.scope(true);
  }

  /** True when ops on this thread record their derivatives. */
  public static boolean isGradEnabled() {
    return GradMode.isEnabled();
  }

  /** Reseeds the default generator used by {@code rand}, {@code randn}, dropout and init. */
  public static void manualSeed(long seed) {
    Generator.defaultGenerator().manualSeed(seed);
  }

  /** d(output)/d(inputs) for a one-element output, without touching any {@code .grad}. */
  public static Tensor[] grad(Tensor output, Tensor... inputs) {
    return grad(new Tensor[] {output}, inputs, null, false, false, false);
  }

  /**
   * {@code torch.autograd.grad(outputs, inputs, create_graph=createGraph)}: with {@code
   * createGraph} the returned gradients have their own graph, so they can be differentiated again
   * (Hessian-vector products, gradient penalties).
   */
  public static Tensor[] grad(Tensor[] outputs, Tensor[] inputs, boolean createGraph) {
    return grad(outputs, inputs, null, createGraph, createGraph, false);
  }

  /**
   * The full form: {@code gradOutputs} (null for one-element outputs) are the vectors of the
   * vector-Jacobian product; {@code retainGraph} keeps saved values for another pass; an input not
   * used by the outputs gets null with {@code allowUnused}, an error otherwise.
   */
  public static Tensor[] grad(
      Tensor[] outputs,
      Tensor[] inputs,
      Tensor[] gradOutputs,
      boolean retainGraph,
      boolean createGraph,
      boolean allowUnused) {
    checkArrays("grad", outputs, inputs);
    return Engine.grad(
        outputs, inputs, gradOutputs, retainGraph || createGraph, createGraph, allowUnused);
  }

  /**
   * {@link #grad(Tensor[], Tensor[], Tensor[], boolean, boolean, boolean)} where, with {@code
   * materializeGrads}, an input the outputs do not use gets zeros instead of null (PyTorch 2's
   * {@code materialize_grads=True}; it implies {@code allowUnused}).
   */
  public static Tensor[] grad(
      Tensor[] outputs,
      Tensor[] inputs,
      Tensor[] gradOutputs,
      boolean retainGraph,
      boolean createGraph,
      boolean allowUnused,
      boolean materializeGrads) {
    Tensor[] g =
        grad(
            outputs,
            inputs,
            gradOutputs,
            retainGraph,
            createGraph,
            allowUnused || materializeGrads);
    if (materializeGrads)
      for (int i = 0; i < g.length; i++) if (g[i] == null) g[i] = Tensor.zerosLike(inputs[i]);
    return g;
  }

  private static void checkArrays(String op, Tensor[] outputs, Tensor[] inputs) {
    if (outputs == null) throw new IllegalArgumentException(op + ": outputs is null");
    if (inputs == null) throw new IllegalArgumentException(op + ": inputs is null");
    for (int i = 0; i < outputs.length; i++)
      if (outputs[i] == null)
        throw new IllegalArgumentException(op + ": outputs[" + i + "] is null");
  }

  /** Backward from several roots at once ({@code torch.autograd.backward}). */
  public static void backward(Tensor[] roots, Tensor[] grads, boolean retainGraph) {
    checkArrays("backward", roots, new Tensor[0]);
    Engine.backward(roots, grads, retainGraph, false);
  }

  /**
   * {@code torch.autograd.backward(roots, grads, retain_graph, create_graph, inputs=inputs)}:
   * accumulates only into the {@code .grad} of {@code inputs} (null: every leaf, as {@link
   * #backward(Tensor[], Tensor[], boolean)}).
   */
  public static void backward(
      Tensor[] roots, Tensor[] grads, boolean retainGraph, boolean createGraph, Tensor[] inputs) {
    checkArrays("backward", roots, new Tensor[0]);
    if (inputs == null) Engine.backward(roots, grads, retainGraph || createGraph, createGraph);
    else Engine.backward(roots, grads, retainGraph || createGraph, createGraph, inputs);
  }

  /**
   * Saved-tensor hooks until the returned scope is closed (PyTorch's {@code
   * torch.autograd.graph.saved_tensors_hooks}): every tensor an op saves for backward on this
   * thread is passed to {@code pack} when saved, and what pack returned is passed to {@code unpack}
   * each time backward reads it, e.g. to compress or offload activations. Unpack must return a
   * tensor of the saved shape; it gets the saved tensor's history, so double backward works through
   * it. The version check against in-place changes is not done for packed tensors (the original is
   * not kept).
   *
   * <pre>{@code
   * try (SavedTensorsHooks h = Autograd.savedTensorsHooks(t -> t.to(DType.FLOAT32), p -> p.to(DType.FLOAT64))) {
   *   loss = model.forward(x);
   * }
   * }</pre>
   */
  @SuppressWarnings("unchecked")
  public static <P> SavedTensorsHooks savedTensorsHooks(
      java.util.function.Function<Tensor, P> pack, java.util.function.Function<P, Tensor> unpack) {
    if (pack == null || unpack == null)
      throw new IllegalArgumentException(
          "savedTensorsHooks: " + (pack == null ? "pack" : "unpack") + " is null");
    return new SavedTensorsHooks(
        new dev.autograd.core.engine.SavedTensorHooks.Pair(
            t -> pack.apply(t), p -> unpack.apply((P) p)));
  }

  /**
   * Anomaly mode on or off for the whole JVM (PyTorch's {@code set_detect_anomaly}): nodes created
   * while it is on record their forward call site; a backward that fails or produces a NaN gradient
   * then names the node and prints "Traceback of forward call that caused the error".
   */
  public static void setDetectAnomaly(boolean on) {
    Engine.setDetectAnomaly(on, true);
  }

  /**
   * {@link #setDetectAnomaly(boolean)}; with {@code checkNan} false, NaN gradients are not errors.
   */
  public static void setDetectAnomaly(boolean on, boolean checkNan) {
    Engine.setDetectAnomaly(on, checkNan);
  }

  /** Whether anomaly mode is on ({@code torch.is_anomaly_enabled()}). */
  public static boolean isDetectAnomaly() {
    return Engine.isDetectAnomaly();
  }

  /**
   * Anomaly mode until the returned scope is closed ({@code with
   * torch.autograd.detect_anomaly(check_nan=...)}); closing restores the previous setting.
   */
  public static AnomalyScope detectAnomaly(boolean checkNan) {
    return new AnomalyScope(checkNan);
  }

  /**
   * An open {@link #detectAnomaly(boolean)} block; {@link #close()} restores the setting before it.
   */
  public static final class AnomalyScope implements AutoCloseable {
    private final boolean previousOn;
    private final boolean previousCheckNan;
    private boolean closed;

    private AnomalyScope(boolean checkNan) {
      previousOn = dev.autograd.core.engine.Anomaly.enabled;
      previousCheckNan = dev.autograd.core.engine.Anomaly.checkNan;
      Engine.setDetectAnomaly(true, checkNan);
    }

    /** Restores the anomaly setting in force before the scope. */
    @Override
    public void close() {
      if (closed) return;
      closed = true;
      Engine.setDetectAnomaly(previousOn, previousCheckNan);
    }
  }

  /**
   * Compiles {@code fn} (tensors in, one tensor out): the first call traces it, later calls replay
   * the trace; values branched on with {@link Tensor#toBoolean()} are guarded. See {@link
   * CompiledFunction} for what a compiled function may contain. A Java number that changes between
   * calls (the seed's {@code prev_loss}) is passed as a 0-d tensor: {@code Tensor.scalar(x,
   * FLOAT64)}.
   *
   * <pre>{@code
   * CompiledFunction graph = Autograd.compile(a -> model(a[0], a[1], a[2]));
   * Tensor loss = graph.call(x, y, Tensor.scalar(prevLoss, DType.FLOAT64));
   * loss.backward();
   * }</pre>
   */
  public static CompiledFunction compile(java.util.function.Function<Tensor[], Tensor> fn) {
    if (fn == null) throw new IllegalArgumentException("compile: the function is null");
    return new CompiledFunction(
        new dev.autograd.core.compile.Compiled(
            a -> new Tensor[] {fn.apply(a)}, CompiledFunction.MAX_TRACES),
        false);
  }

  /**
   * {@link #compile} for a function with several outputs; call it with {@link
   * CompiledFunction#callMulti}.
   */
  public static CompiledFunction compileMulti(java.util.function.Function<Tensor[], Tensor[]> fn) {
    if (fn == null) throw new IllegalArgumentException("compileMulti: the function is null");
    return new CompiledFunction(
        new dev.autograd.core.compile.Compiled(fn, CompiledFunction.MAX_TRACES), true);
  }

  // ---------------------------------------------------------------------------------------------
  // Forward-mode AD (torch.autograd.forward_ad)

  /**
   * Opens a forward-mode AD level on this thread, {@code with fwAD.dual_level():}; close it (try
   * with resources) to drop its tangents. Throws {@link IllegalStateException} when this thread
   * already has an open level (PyTorch 1.13 does not nest them).
   */
  public static DualLevel dualLevel() {
    return new DualLevel();
  }

  /**
   * {@code fwAD.make_dual(primal, tangent)}: a view of {@code primal} (same values, same history)
   * whose tangent is {@code tangent}; ops on it compute their outputs' tangents (Jacobian-vector
   * products). Throws {@link IllegalStateException} outside {@link #dualLevel()}, and {@link
   * IllegalArgumentException} for a non-floating primal or tangent, a tangent of another shape, or
   * a primal that already has a tangent at this level.
   */
  public static Tensor makeDual(Tensor primal, Tensor tangent) {
    Checks.notNull(primal, "makeDual", "primal");
    Checks.notNull(tangent, "makeDual", "tangent");
    return ForwardAD.makeDual(primal, tangent);
  }

  /**
   * {@code fwAD.unpack_dual(t)}: the primal (a view of {@code t} without its tangent) and the
   * tangent at this thread's open level (null when {@code t} has none, or no level is open).
   */
  public static UnpackedDual unpackDual(Tensor t) {
    Checks.notNull(t, "unpackDual", "tensor");
    return ForwardAD.unpackDual(t);
  }

  /** Which kernels this JVM runs: {@code "vector (16 float lanes)"} or {@code "scalar"}. */
  public static String kernels() {
    return KernelProvider.get().name();
  }
}
