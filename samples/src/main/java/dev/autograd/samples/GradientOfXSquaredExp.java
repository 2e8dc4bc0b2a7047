package dev.autograd.samples;

import dev.autograd.core.Tensor;

/**
 * Seed 000, example 1: the gradient of y = x^2 * exp(x) at x = 2.
 *
 * <p>The seed prints {@code tensor(18.)}, which is wrong: dy/dx = (2x + x^2) e^x = 8 e^2 = 59.1124.
 */
public final class GradientOfXSquaredExp {
  public static void main(String[] args) {
    Tensor x = Tensor.scalar(2.0).requiresGrad_(true);
    Tensor y = x.pow(2).mul(x.exp());
    y.backward();
    System.out.println(y); // tensor(29.5562, grad_fn=<MulBackward0>)
    System.out.println(x.grad()); // tensor(59.1124)
    System.out.println(
        "The seed's comment says tensor(18.); PyTorch prints tensor(59.1124), since dy/dx = (2x + x^2) e^x = 8e^2 at x = 2");
  }
}
