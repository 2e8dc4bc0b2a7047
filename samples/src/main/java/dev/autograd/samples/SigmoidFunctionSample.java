package dev.autograd.samples;

import dev.autograd.core.Context;
import dev.autograd.core.Function;
import dev.autograd.core.Tensor;

/** Seed 003: sigmoid as a custom Function that saves its result for backward. */
public final class SigmoidFunctionSample {
  static final class SigmoidFunction extends Function {
    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
      Tensor result = in[0].neg().exp().add(1).reciprocal(); // 1 / (1 + e^-x)
      ctx.saveForBackward(result);
      return result;
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor gradOutput) {
      Tensor result = ctx.savedTensors()[0];
      return new Tensor[] {gradOutput.mul(result).mul(result.rsub(1))}; // g * s * (1 - s)
    }
  }

  public static void main(String[] args) {
    Tensor x = Tensor.of(new float[] {1, 2, 3}).requiresGrad_();
    Tensor y = new SigmoidFunction().apply(x);
    y.backward(Tensor.onesLike(x));
    System.out.println(y);
    System.out.println(x.grad()); // tensor([0.1966, 0.1050, 0.0452])
  }
}
