package dev.autograd.core;

import dev.autograd.core.engine.Engine;
import dev.autograd.core.kernels.KernelProvider;

/** Entry points of the autograd engine: grad mode scopes, {@link #grad}, seeding, anomaly mode. */
public final class Autograd {
  private Autograd() {}

  /**
   * Turns recording off on this thread until the returned scope is closed — PyTorch's {@code
   * with torch.no_grad():}. Scopes nest; closing one restores the mode before it.
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
   * vector-Jacobian product; {@code retainGraph} keeps saved values for another pass; an input
   * not used by the outputs gets null with {@code allowUnused}, an error otherwise.
   */
  public static Tensor[] grad(
      Tensor[] outputs, Tensor[] inputs, Tensor[] gradOutputs, boolean retainGraph, boolean createGraph, boolean allowUnused) {
    return Engine.grad(outputs, inputs, gradOutputs, retainGraph || createGraph, createGraph, allowUnused);
  }

  /** Backward from several roots at once ({@code torch.autograd.backward}). */
  public static void backward(Tensor[] roots, Tensor[] grads, boolean retainGraph) {
    Engine.backward(roots, grads, retainGraph, false);
  }

  /** Anomaly mode: backward checks every gradient for NaN and names the node that produced it. */
  public static void setDetectAnomaly(boolean on) {
    Engine.setDetectAnomaly(on);
  }

  /** Whether anomaly mode is on ({@code torch.is_anomaly_enabled()}). */
  public static boolean isDetectAnomaly() {
    return Engine.isDetectAnomaly();
  }

  /**
   * Compiles {@code fn} (tensors in, one tensor out): the first call traces it, later calls replay
   * the trace; values branched on with {@link Tensor#toBoolean()} are guarded. See {@link
   * CompiledFunction} for what a compiled function may contain. A Java number that changes between
   * calls (the seed's {@code prev_loss}) is passed as a 0-d tensor: {@code Tensor.scalar(x, FLOAT64)}.
   *
   * <pre>{@code
   * CompiledFunction graph = Autograd.compile(a -> model(a[0], a[1], a[2]));
   * Tensor loss = graph.call(x, y, Tensor.scalar(prevLoss, DType.FLOAT64));
   * loss.backward();
   * }</pre>
   */
  public static CompiledFunction compile(java.util.function.Function<Tensor[], Tensor> fn) {
    if (fn == null) throw new IllegalArgumentException("compile: the function is null");
    return new CompiledFunction(new dev.autograd.core.compile.Compiled(a -> new Tensor[] {fn.apply(a)}, CompiledFunction.MAX_TRACES), false);
  }

  /** {@link #compile} for a function with several outputs; call it with {@link CompiledFunction#callMulti}. */
  public static CompiledFunction compileMulti(java.util.function.Function<Tensor[], Tensor[]> fn) {
    if (fn == null) throw new IllegalArgumentException("compileMulti: the function is null");
    return new CompiledFunction(new dev.autograd.core.compile.Compiled(fn, CompiledFunction.MAX_TRACES), true);
  }

  /** Which kernels this JVM runs: {@code "vector (16 float lanes)"} or {@code "scalar"}. */
  public static String kernels() {
    return KernelProvider.get().name();
  }
}
