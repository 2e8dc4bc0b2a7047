package dev.autograd.samples;

import dev.autograd.core.Autograd;
import dev.autograd.core.GradMode;
import dev.autograd.core.Tensor;

/**
 * Seed 003, "static graph": the two-layer net whose second weight is {@code w2a} or {@code w2b}
 * depending on the previous loss. The seed compiles {@code model} with {@code torch.jit.script};
 * here it runs eagerly (the graph is rebuilt each step, like PyTorch without TorchScript).
 * Tracing a function once and replaying its graph is a planned feature, not yet available.
 *
 * <p>The seed as written fails in PyTorch at its first step: the loss starts at or above 5, so
 * {@code w2a} is unused, {@code w2a.grad} is None, and {@code w2a -= learning_rate * w2a.grad}
 * raises a TypeError. This sample says so when it happens and skips weights without a gradient.
 */
public final class StaticGraphModel {
  static Tensor model(Tensor x, Tensor y, Tensor w1, Tensor w2a, Tensor w2b, double prevLoss) {
    Tensor w2 = prevLoss < 5.0 ? w2a : w2b;
    Tensor yPred = x.mm(w1).clampMin(0).mm(w2);
    return yPred.sub(y).pow(2).sum();
  }

  public static void main(String[] args) {
    Autograd.manualSeed(0);
    int n = 64, dIn = 1000, h = 100, dOut = 10;
    Tensor x = Tensor.randn(n, dIn);
    Tensor y = Tensor.randn(n, dOut);
    Tensor w1 = Tensor.randn(dIn, h).requiresGrad_(true);
    Tensor w2a = Tensor.randn(h, dOut).requiresGrad_(true);
    Tensor w2b = Tensor.randn(h, dOut).requiresGrad_(true);
    double prevLoss = 5.0, learningRate = 1e-6, first = 0;
    String[] names = {"w1", "w2a", "w2b"};
    boolean reported = false;
    for (int t = 0; t < 500; t++) {
      Tensor loss = model(x, y, w1, w2a, w2b, prevLoss);
      prevLoss = loss.item();
      if (t == 0) first = prevLoss;
      if (t % 100 == 99) System.out.printf("step %d loss %.4f%n", t + 1, prevLoss);
      loss.backward();
      try (GradMode.Scope s = Autograd.noGrad()) {
        Tensor[] weights = {w1, w2a, w2b};
        for (int i = 0; i < weights.length; i++) {
          Tensor w = weights[i];
          if (w.grad() == null) { // w2a is never used while the loss stays >= 5
            if (!reported) {
              System.out.printf("step %d: %s.grad is null; the seed as written fails here in PyTorch (%s.grad is None, so"
                  + " '%s -= learning_rate * %s.grad' raises TypeError); this sample skips it%n", t + 1, names[i], names[i], names[i], names[i]);
              reported = true;
            }
            continue;
          }
          w.sub_(w.grad().mul(learningRate));
          w.grad().zero_();
        }
      }
    }
    System.out.printf("loss %.1f -> %.1f in 500 steps; w2a used: %s%n", first, prevLoss, w2a.grad() != null);
  }
}
