package dev.autograd.samples;

import dev.autograd.core.Tensor;

/**
 * Seed 003: ordinary Java control flow inside the forward pass; the graph follows the branch taken.
 */
public final class DynamicControlFlow {
  static Tensor dynamicModel(Tensor x, double threshold) {
    if (x.sum().item() > threshold) {
      return x.mul(2);
    } else {
      return x.div(2);
    }
  }

  public static void main(String[] args) {
    Tensor x = Tensor.of(new float[] {1, 2, 3}).requiresGrad_();
    Tensor y = dynamicModel(x, 5.0);
    y.backward(Tensor.onesLike(x));
    System.out.println(y.gradFn().name()); // MulBackward0: the sum 6 is above 5
    System.out.println(x.grad()); // tensor([2., 2., 2.])

    Tensor z = Tensor.of(new float[] {1, 2, 3}).requiresGrad_();
    dynamicModel(z, 10.0).backward(Tensor.onesLike(z));
    System.out.println(z.grad()); // tensor([0.5000, 0.5000, 0.5000])
  }
}
