package dev.autograd.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Backward over very deep graphs runs iteratively: no StackOverflowError. */
class DeepGraphTest {
  private static final int DEPTH = 100_000;

  @Test
  void hundredThousandOpChain() {
    Tensor x = Tensor.scalar(1, DType.FLOAT64).requiresGrad_();
    Tensor y = x;
    for (int i = 0; i < DEPTH; i++) y = y.mul(1.0 + 1e-6).add(1e-6);
    y.backward();
    // y = x * c^N + ..., so dy/dx = c^N
    assertEquals(Math.pow(1.0 + 1e-6, DEPTH), x.grad().item(), 1e-9);
  }

  @Test
  void deepChainWithCreateGraphAndSecondOrder() {
    Tensor x = Tensor.scalar(0.5, DType.FLOAT64).requiresGrad_();
    Tensor y = x;
    for (int i = 0; i < DEPTH / 4; i++) y = y.add(x.mul(1e-5));
    Tensor z = y.square(); // y = x (1 + 0.25), z = (1.25 x)^2
    Tensor g = Autograd.grad(new Tensor[] {z}, new Tensor[] {x}, true)[0];
    assertEquals(2 * 1.25 * 1.25 * 0.5, g.item(), 1e-9);
    Tensor gg = Autograd.grad(g, x)[0];
    assertEquals(2 * 1.25 * 1.25, gg.item(), 1e-9);
  }
}
