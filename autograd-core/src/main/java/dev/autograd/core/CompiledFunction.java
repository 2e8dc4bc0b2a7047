package dev.autograd.core;

import dev.autograd.core.compile.Compiled;
import dev.autograd.core.display.GraphView;
import dev.autograd.core.display.Graphs;
import dev.autograd.core.internal.CompiledAccess;
import dev.autograd.core.internal.DrawnGraph;
import dev.autograd.core.internal.SharedSecrets;

/**
 * A function compiled by {@link Autograd#compile}: called with tensors, it gives the same values,
 * gradients and effects as the function called eagerly, by replaying a trace of its ops.
 *
 * <p>The first call runs the function eagerly while recording every op; later calls with arguments
 * of the same dtypes, shapes, strides and requiresGrad (and the same grad mode) replay the record
 * into buffers planned once and reused, with no per-op allocation for kernel ops (view ops make a
 * view object; the few composite ops such as softmax compute a fresh tensor). A {@link
 * Tensor#toBoolean()} or {@link Tensor#item()} inside the function becomes a guard: a call where it
 * comes out differently records that path too (at most 8 paths; past that, calls run eagerly and
 * one warning names the call site). When an argument or captured tensor requires grad (and grad
 * mode is on), each output that requires grad has one node, {@code CompiledFunctionBackward}, that
 * replays a backward traced once: {@code loss.backward()} fills {@code .grad} as eagerly. Backward
 * with {@code createGraph} runs the function again eagerly to build the graph.
 *
 * <p>What the function must be: a function of its tensor arguments and of tensors it captures,
 * which are read by reference (in-place updates of captured weights are seen; a variable rebound to
 * another tensor is not; Java numbers are constants of the trace, so pass values that change as 0-d
 * tensors). It may be a whole training step: {@code backward()}, {@code Autograd.grad}, reading and
 * clearing {@code .grad}, in-place updates ({@code add_}, {@code zero_}, {@code out=} forms, an nn
 * optimizer's {@code step()}) replay with the same effects; a trace that writes what outlives the
 * call replays once a second recording of its path agrees. Random factories, custom {@link
 * Function}s, {@code backward(createGraph)}, and reading values into Java other than through {@code
 * toBoolean()} or {@code item()} cannot be replayed: that path runs eagerly and one warning names
 * the reason. Outputs are fresh tensors on every call (or the argument itself when the function
 * returns it). Calls from several threads at once are safe.
 */
public final class CompiledFunction {
  /** The default bound on the traces (paths) kept per compiled function. */
  public static final int MAX_TRACES = 8;

  static {
    SharedSecrets.setCompiledAccess(new Access());
  }

  private static final class Access implements CompiledAccess {
    @Override
    public DrawnGraph drawing(CompiledFunction f, int number) {
      return f.impl.drawing(number);
    }
  }

  private final Compiled impl;
  private final boolean multi;

  CompiledFunction(Compiled impl, boolean multi) {
    this.impl = impl;
    this.multi = multi;
  }

  /** Calls the function; it must have one output (use {@link #callMulti} for several). */
  public Tensor call(Tensor... args) {
    Tensor[] out = callMulti(args);
    if (out.length != 1) {
      throw new IllegalStateException(
          impl.name()
              + " returned "
              + out.length
              + " tensors; call it with callMulti(...) to get them all");
    }
    return out[0];
  }

  /** Calls the function and returns all its outputs. */
  public Tensor[] callMulti(Tensor... args) {
    if (args == null)
      throw new IllegalArgumentException(
          impl.name() + ": arguments must not be null (pass tensors; numbers as Tensor.scalar(x))");
    for (int i = 0; i < args.length; i++) {
      if (args[i] == null)
        throw new IllegalArgumentException(
            impl.name()
                + ": argument "
                + i
                + " is null; pass a tensor (numbers as Tensor.scalar(x))");
    }
    return impl.call(args);
  }

  /** True when the function was compiled with {@link Autograd#compileMulti}. */
  public boolean isMulti() {
    return multi;
  }

  /** The number of traces (paths) recorded so far. */
  public int traceCount() {
    return impl.traceCount();
  }

  /** Calls answered by replaying a trace. */
  public long replayCount() {
    return impl.replayCount();
  }

  /**
   * Calls that ran the function eagerly (while tracing, on a path that cannot be replayed, or past
   * the bound).
   */
  public long eagerCount() {
    return impl.eagerCount();
  }

  /**
   * Why each trace was recorded (first call, an argument's shape, a guard that came out
   * differently) and what it is specialized to.
   */
  public String explain() {
    return impl.explain();
  }

  /**
   * Trace {@code number} (from 1) as a Graphviz DOT graph: values, ops (backward shaded), guards,
   * outputs.
   */
  public String toDot(int number) {
    return impl.toDot(number);
  }

  /**
   * Trace {@code number} (from 1) as a value notebooks draw as SVG, as they draw autograd graphs:
   * inputs, forward ops, traced backward ops (shaded), in-place writes, guards and outputs. Same as
   * {@link Graphs#view(CompiledFunction, int)}.
   *
   * @throws IllegalArgumentException when there is no trace {@code number}
   */
  public GraphView view(int number) {
    return Graphs.view(this, number);
  }

  /**
   * The traces: their guards, steps (op, inputs, attributes, dtype and shape, buffer) and traced
   * backward.
   */
  @Override
  public String toString() {
    return impl.describe();
  }
}
