package dev.autograd.samples;

import dev.autograd.core.Tensor;

/** Seed 003: y = x0^2 + x1^3 at x = [2, 3]; prints {@code tensor([ 4., 27.])}. */
public final class VectorGradient {
  public static void main(String[] args) {
    Tensor x = Tensor.of(new float[] {2, 3}).requiresGrad_();
    Tensor y = x.select(0, 0).pow(2).add(x.select(0, 1).pow(3));
    y.backward();
    System.out.println(x.grad()); // tensor([ 4., 27.])
  }
}
