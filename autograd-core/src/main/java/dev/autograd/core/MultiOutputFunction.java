package dev.autograd.core;

/**
 * A custom differentiable operation with several outputs (PyTorch's {@code torch.autograd.Function}
 * returning a tuple). Backward gets one gradient per output: zeros for outputs that received none
 * (or null after {@link Context#setMaterializeGrads ctx.setMaterializeGrads(false)}).
 *
 * <pre>{@code
 * class SquareAndDouble extends MultiOutputFunction {
 *   protected Tensor[] forward(Context ctx, Tensor... in) { ctx.saveForBackward(in[0]); return new Tensor[] {in[0].mul(in[0]), in[0].mul(2)}; }
 *   protected Tensor[] backward(Context ctx, Tensor... g) {
 *     Tensor x = ctx.savedTensors()[0];
 *     return new Tensor[] {x.mul(2).mul(g[0]).add(g[1].mul(2))};
 *   }
 * }
 * Tensor[] ab = new SquareAndDouble().apply(x); // ab[0].gradFn() == ab[1].gradFn()
 * }</pre>
 */
public abstract class MultiOutputFunction {
  /** For subclasses. */
  protected MultiOutputFunction() {}

  /** Computes the outputs from the inputs; runs with grad mode off. */
  protected abstract Tensor[] forward(Context ctx, Tensor... inputs);

  /** Gradients of the inputs (one per input, or null) from the outputs' gradients. */
  protected abstract Tensor[] backward(Context ctx, Tensor... gradOutputs);

  /** The node name shown by {@code gradFn().name()}: the class name plus {@code Backward}. */
  protected String name() {
    return Function.nodeName(getClass());
  }

  /**
   * True when backward is not differentiable (PyTorch's {@code @once_differentiable}); see {@link
   * Function#onceDifferentiable()}.
   */
  protected boolean onceDifferentiable() {
    return false;
  }

  /**
   * Runs forward and, when an input requires grad, records one node for all differentiable outputs.
   */
  public final Tensor[] apply(Tensor... inputs) {
    return CustomFunctionNode.apply(
        getClass().getName(),
        name(),
        inputs,
        ctx -> forward(ctx, inputs),
        this::backward,
        onceDifferentiable());
  }
}
