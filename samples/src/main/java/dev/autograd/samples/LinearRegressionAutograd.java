package dev.autograd.samples;

import dev.autograd.core.Autograd;
import dev.autograd.core.Tensor;

/**
 * Seed 002, part 2: the same regression with autograd computing dw and db, updated by hand. First
 * the seed's program as written — lr 0.001, at most 3000 steps, stop when the loss is below 0.05 —
 * then training goes on to a tighter 0.01 (at most 20,000 steps in all).
 */
public final class LinearRegressionAutograd {
  /**
   * Runs steps {@code from} until {@code to}; returns the step whose loss fell below {@code
   * threshold}, or -1.
   */
  static int fit(
      Tensor x, Tensor y, Tensor w, Tensor b, double lr, int from, int to, double threshold) {
    int batch = x.size(0);
    for (int i = from; i < to; i++) {
      Tensor yPred = x.mm(w).add(b.expandAs(y));
      Tensor loss = yPred.sub(y).pow(2).div(batch).sum();
      if (i % 500 == 0) System.out.printf("step %d loss %.6f%n", i, loss.item());
      if (loss.item() < threshold) {
        System.out.printf("converged after %d steps: w = %.4f, b = %.4f%n", i, w.item(), b.item());
        return i;
      }
      loss.backward();
      try (var g = Autograd.noGrad()) {
        w.sub_(w.grad().mul(lr));
        b.sub_(b.grad().mul(lr));
      }
      w.grad().zero_(); // gradients accumulate: clear them before the next step
      b.grad().zero_();
    }
    System.out.printf(
        "not below %s after %d steps: w = %.4f, b = %.4f%n", threshold, to, w.item(), b.item());
    return -1;
  }

  public static void main(String[] args) {
    Autograd.manualSeed(1);
    int batch = 8;
    Tensor x = Tensor.randn(batch, 1).mul(20);
    Tensor y = x.mul(2).add(3);
    Tensor w = Tensor.rand(1, 1).requiresGrad_(true);
    Tensor b = Tensor.zeros(1, 1).requiresGrad_(true);
    double lr = 0.001;

    System.out.println("The seed as written: lr 0.001, at most 3000 steps, stop below loss 0.05");
    int reached = fit(x, y, w, b, lr, 0, 3000, 0.05);
    System.out.println("Going on to loss 0.01 (at most 20,000 steps in all):");
    fit(x, y, w, b, lr, reached < 0 ? 3000 : reached, 20_000, 0.01);
  }
}
