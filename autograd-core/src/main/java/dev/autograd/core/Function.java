package dev.autograd.core;

/**
 * A differentiable operation with one output, defined by its forward and backward (PyTorch's {@code
 * torch.autograd.Function}); {@link MultiOutputFunction} has several outputs.
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
 * <p>{@code forward} runs without recording. {@code backward} returns one gradient per input (null
 * for inputs without one; extra trailing nulls are ignored, a gradient of another shape must sum to
 * the input's, as in PyTorch); when it uses differentiable ops, higher-order gradients work, unless
 * {@link #onceDifferentiable()} says it may not be differentiated.
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
    return nodeName(getClass());
  }

  /**
   * True when backward is not differentiable (PyTorch's {@code @once_differentiable}): it then runs
   * with recording off, and differentiating its result again is PyTorch's error.
   */
  protected boolean onceDifferentiable() {
    return false;
  }

  /** Runs forward and, when an input requires grad, records a node that calls backward. */
  public final Tensor apply(Tensor... inputs) {
    return CustomFunctionNode.apply(
        getClass().getName(),
        name(),
        inputs,
        ctx -> new Tensor[] {forward(ctx, inputs)},
        (ctx, grads) -> backward(ctx, grads[0]),
        onceDifferentiable())[0];
  }

  static String nodeName(Class<?> c) {
    String simple = c.getSimpleName();
    return (simple.isEmpty() ? "Function" : simple) + "Backward";
  }
}
