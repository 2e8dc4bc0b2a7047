package dev.autograd.samples;

import dev.autograd.core.Autograd;
import dev.autograd.core.Tensor;

/** Seed 002, part 2: the same regression with autograd computing dw and db; updates by hand. */
public final class LinearRegressionAutograd {
  public static void main(String[] args) {
    Autograd.manualSeed(1);
    int batch = 8;
    Tensor x = Tensor.randn(batch, 1).mul(20);
    Tensor y = x.mul(2).add(3);
    Tensor w = Tensor.rand(1, 1).requiresGrad_(true);
    Tensor b = Tensor.zeros(1, 1).requiresGrad_(true);
    double lr = 0.001;
    for (int i = 0; i < 20000; i++) {
      Tensor yPred = x.mm(w).add(b.expandAs(y));
      Tensor loss = yPred.sub(y).pow(2).div(batch).sum();
      if (i % 2000 == 0) System.out.printf("step %d loss %.6f%n", i, loss.item());
      if (loss.item() < 0.01) {
        System.out.printf("converged after %d steps: w = %.4f, b = %.4f%n", i, w.item(), b.item());
        break;
      }
      loss.backward();
      try (var g = Autograd.noGrad()) {
        w.sub_(w.grad().mul(lr));
        b.sub_(b.grad().mul(lr));
      }
      w.grad().zero_(); // gradients accumulate: clear them before the next step
      b.grad().zero_();
    }
  }
}
