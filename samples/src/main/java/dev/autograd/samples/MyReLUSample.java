package dev.autograd.samples;

import dev.autograd.core.Context;
import dev.autograd.core.Function;
import dev.autograd.core.Tensor;

/**
 * Seed 000, example 2: a custom ReLU as an autograd Function, as a named class and as an anonymous
 * one; each prints {@code tensor([0., 1., 0.])}.
 */
public final class MyReLUSample {
  /** ReLU with a hand-written backward: the gradient is zeroed where the input was negative. */
  static final class MyReLU extends Function {
    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
      ctx.saveForBackward(in[0]);
      return in[0].clampMin(0);
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor gradOutput) {
      Tensor input = ctx.savedTensors()[0];
      return new Tensor[] {gradOutput.maskedFill(input.lt(0), 0)};
    }
  }

  public static void main(String[] args) {
    Tensor x = Tensor.of(new float[] {-1, 2, -3}).requiresGrad_();
    Tensor y = new MyReLU().apply(x).sum();
    y.backward();
    System.out.println(x.grad()); // tensor([0., 1., 0.])

    // The same function without a named class (the Kotlin twin uses customFunction lambdas here).
    Function myRelu =
        new Function() {
          @Override
          protected String name() {
            return "MyReLUBackward";
          }

          @Override
          protected Tensor forward(Context ctx, Tensor... in) {
            ctx.saveForBackward(in[0]);
            return in[0].clampMin(0);
          }

          @Override
          protected Tensor[] backward(Context ctx, Tensor gradOutput) {
            return new Tensor[] {gradOutput.maskedFill(ctx.savedTensors()[0].lt(0), 0)};
          }
        };
    Tensor z = Tensor.of(new float[] {-1, 2, -3}).requiresGrad_();
    myRelu.apply(z).sum().backward();
    System.out.println(z.grad()); // tensor([0., 1., 0.])
  }
}
