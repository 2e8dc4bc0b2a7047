package dev.autograd.samples;

import dev.autograd.core.Autograd;
import dev.autograd.core.Tensor;

/**
 * Seed 002, part 1: linear regression y = 2x + 3 with gradients computed by hand. First the seed's
 * program as written — lr 0.001, 1000 steps, stop when the loss is below 0.01 — whose loop computes
 * dw and db but has no update lines, so w and b never move; then the same 1000 steps with the
 * update added.
 */
public final class LinearRegressionByHand {
  /**
   * Runs steps {@code from} until {@code to}; returns the step whose loss fell below {@code
   * threshold}, or -1.
   */
  static int fit(
      Tensor x,
      Tensor y,
      Tensor w,
      Tensor b,
      double lr,
      int from,
      int to,
      double threshold,
      boolean update) {
    int batch = x.size(0);
    for (int i = from; i < to; i++) {
      Tensor yPred = x.mm(w).add(b.expandAs(y));
      Tensor error = yPred.sub(y);
      Tensor loss = error.pow(2).div(batch).sum(); // mean squared error
      if (i % 200 == 0) System.out.printf("step %d loss %.6f%n", i, loss.item());
      if (loss.item() < threshold) {
        System.out.printf("converged after %d steps: w = %.4f, b = %.4f%n", i, w.item(), b.item());
        return i;
      }
      Tensor dw = x.t().mm(error).div(batch); // the seed's gradients, by hand
      Tensor db = error.sum();
      if (update) {
        w.sub_(dw.mul(lr));
        b.sub_(db.mul(lr));
      }
    }
    return -1;
  }

  public static void main(String[] args) {
    Autograd.manualSeed(1);
    int batch = 8;
    Tensor x = Tensor.randn(batch, 1).mul(20);
    Tensor y = x.mul(2).add(3);
    Tensor w = Tensor.rand(1, 1);
    Tensor b = Tensor.zeros(1, 1);
    Tensor w0 = w.clone();
    double lr = 0.001;

    System.out.println("The seed as written: lr 0.001, 1000 steps, stop below loss 0.01");
    fit(x, y, w, b, lr, 0, 1000, 0.01, false);
    System.out.printf(
        "after 1000 steps: w = %.4f, b = %.4f; the seed never updates w and b (its loop lacks"
            + " w -= lr * dw and b -= lr * db), so its loss never changes%n",
        w.item(), b.item());

    System.out.println("With the update added, from the same start:");
    w.copy_(w0);
    if (fit(x, y, w, b, lr, 0, 1000, 0.01, true) < 0) {
      System.out.printf(
          "not below 0.01 after 1000 steps: w = %.4f, b = %.4f%n", w.item(), b.item());
    }
  }
}
