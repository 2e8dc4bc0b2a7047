package dev.autograd.samples;

import dev.autograd.core.Autograd;
import dev.autograd.core.Tensor;

/** Seed 002, part 1: linear regression y = 2x + 3 with gradients computed by hand. */
public final class LinearRegressionByHand {
  public static void main(String[] args) {
    Autograd.manualSeed(1);
    int batch = 8;
    Tensor x = Tensor.randn(batch, 1).mul(20);
    Tensor y = x.mul(2).add(3);
    Tensor w = Tensor.rand(1, 1);
    Tensor b = Tensor.zeros(1, 1);
    double lr = 0.001;
    for (int i = 0; i < 20000; i++) {
      Tensor yPred = x.mm(w).add(b.expandAs(y));
      Tensor error = yPred.sub(y);
      Tensor loss = error.pow(2).div(batch).sum(); // mean squared error
      if (i % 2000 == 0) System.out.printf("step %d loss %.6f%n", i, loss.item());
      if (loss.item() < 0.01) {
        System.out.printf("converged after %d steps: w = %.4f, b = %.4f%n", i, w.item(), b.item());
        break;
      }
      Tensor dw = x.t().mm(error).div(batch); // d loss / dw, by hand
      Tensor db = error.sum();
      w.sub_(dw.mul(lr));
      b.sub_(db.mul(lr));
    }
  }
}
