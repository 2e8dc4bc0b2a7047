package dev.autograd.core;

import dev.autograd.core.engine.Graph;
import java.util.Arrays;

/**
 * A differentiable operation defined by its forward and backward (PyTorch's {@code
 * torch.autograd.Function}).
 *
 * <pre>{@code
 * class MyReLU extends Function {
 *   protected Tensor forward(Context ctx, Tensor... in) { ctx.saveForBackward(in[0]); return in[0].clampMin(0); }
 *   protected Tensor[] backward(Context ctx, Tensor gradOut) {
 *     Tensor input = ctx.savedTensors()[0];
 *     return new Tensor[] { gradOut.maskedFill(input.lt(0), 0) };
 *   }
 * }
 * Tensor y = new MyReLU().apply(x);   // y.gradFn().name() is "MyReLUBackward"
 * }</pre>
 *
 * <p>{@code forward} runs without recording. {@code backward} returns one gradient per input
 * (null for inputs without one); when it uses differentiable ops, higher-order gradients work.
 */
public abstract class Function {
  /**
   * For subclasses: a custom function keeps no state between calls except what it puts in the
   * {@link Context}.
   */
  protected Function() {}

  /** Computes the output from the inputs; runs with grad mode off. */
  protected abstract Tensor forward(Context ctx, Tensor... inputs);

  /** Gradients of the inputs from the output's gradient {@code gradOutput}. */
  protected abstract Tensor[] backward(Context ctx, Tensor gradOutput);

  /** The node name shown by {@code gradFn().name()}: the class name plus {@code Backward}. */
  protected String name() {
    String simple = getClass().getSimpleName();
    return (simple.isEmpty() ? "Function" : simple) + "Backward";
  }

  /** Runs forward and, when an input requires grad, records a node that calls backward. */
  public final Tensor apply(Tensor... inputs) {
    if (dev.autograd.core.compile.Tracer.active) {
      dev.autograd.core.compile.Tracer.unsupported("the custom Function " + getClass().getName() + " (its Java forward and backward are opaque to a trace)");
    }
    Context ctx = new Context();
    Tensor out;
    try (GradMode.Scope s = GradMode.scope(false)) {
      out = forward(ctx, inputs);
    }
    if (out == null) throw new IllegalStateException(getClass().getName() + ".forward returned null");
    if (!Graph.needsRecording(inputs)) return out;
    for (Tensor in : inputs) {
      if (in == out) { out = out.detach(); break; } // an input returned as is: give it its own identity
    }
    Node[] next = Graph.edges(inputs);
    boolean[] needs = new boolean[inputs.length];
    int[][] shapes = new int[inputs.length][];
    DType[] dtypes = new DType[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      needs[i] = next[i] != null;
      shapes[i] = inputs[i].shapeRef();
      dtypes[i] = inputs[i].dtype();
    }
    CustomNode node = new CustomNode(name(), next, shapes, dtypes, ctx);
    ctx.freeze(node, needs);
    return Graph.attach(out, node);
  }

  private final class CustomNode extends Node {
    private final Context ctx;

    CustomNode(String name, Node[] next, int[][] shapes, DType[] dtypes, Context ctx) {
      super(name, next, shapes, dtypes);
      this.ctx = ctx;
    }

    @Override
    protected Tensor[] apply(Tensor g) {
      if (ctx.isReleased()) throw Node.freedError();
      Tensor[] grads = backward(ctx, g);
      if (grads == null || grads.length != next.length) {
        throw new IllegalStateException(
            Function.this.getClass().getName() + ".backward returned " + (grads == null ? "null" : grads.length + " gradients")
                + ", but forward had " + next.length + " inputs; return one gradient (or null) per input");
      }
      for (int i = 0; i < grads.length; i++) {
        if (grads[i] != null && next[i] != null && !Arrays.equals(grads[i].shapeRef(), inputShapes[i])) {
          try {
            grads[i] = grads[i].sumTo(inputShapes[i]);
          } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                "Function " + Function.this.name() + " returned an invalid gradient at index " + i + " - got " + Arrays.toString(grads[i].shapeRef())
                    + " but expected shape compatible with " + Arrays.toString(inputShapes[i]), e);
          }
        }
      }
      return grads;
    }

    @Override
    protected void release() {
      ctx.release();
    }
  }
}
