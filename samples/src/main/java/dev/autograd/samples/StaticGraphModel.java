package dev.autograd.samples;

import dev.autograd.core.Autograd;
import dev.autograd.core.CompiledFunction;
import dev.autograd.core.DType;
import dev.autograd.core.GradMode;
import dev.autograd.core.Tensor;
import java.util.Arrays;
import java.util.function.Function;

/**
 * Seed 003, "static graph": the two-layer net whose second weight is {@code w2a} or {@code w2b}
 * depending on the previous loss, compiled as the seed does with {@code torch.jit.script}: {@code
 * Autograd.compile} traces {@code model} on its first call and replays the trace after that; the
 * branch on {@code prevLoss} is a guard, so each branch gets its own trace. The same loop runs
 * eagerly and compiled, from the same weights: the losses are the same, and both speeds are
 * printed. {@code prevLoss} is a 0-d tensor (a number that changes between calls is an argument,
 * not a constant of the trace). Usage: {@code StaticGraphModel [--steps 1500]}; the seed's 500
 * steps stay above 5.0, so the default runs on until w2a's branch is taken too.
 */
public final class StaticGraphModel {
  /** The seed's model: {@code w2 = w2a if prev_loss < 5.0 else w2b}. */
  static Tensor model(Tensor x, Tensor y, Tensor w1, Tensor w2a, Tensor w2b, Tensor prevLoss) {
    Tensor w2 = prevLoss.lt(5.0).toBoolean() ? w2a : w2b;
    Tensor yPred = x.mm(w1).clampMin(0).mm(w2);
    return yPred.sub(y).pow(2).sum();
  }

  /**
   * Trains from the seed's weights with {@code graph}; returns the losses, prints every 250th and
   * the time.
   */
  static double[] train(String label, Function<Tensor[], Tensor> graph, int steps) {
    Autograd.manualSeed(0);
    int n = 64, dIn = 1000, h = 100, dOut = 10;
    Tensor x = Tensor.randn(n, dIn);
    Tensor y = Tensor.randn(n, dOut);
    Tensor w1 = Tensor.randn(dIn, h).requiresGrad_(true);
    Tensor w2a = Tensor.randn(h, dOut).requiresGrad_(true);
    Tensor w2b = Tensor.randn(h, dOut).requiresGrad_(true);
    double prevLoss = 5.0, learningRate = 1e-6;
    double[] losses = new double[steps];
    long[] nanos = new long[steps];
    for (int t = 0; t < steps; t++) {
      long t0 = System.nanoTime();
      Tensor loss =
          graph.apply(new Tensor[] {x, y, w1, w2a, w2b, Tensor.scalar(prevLoss, DType.FLOAT64)});
      prevLoss = loss.item();
      loss.backward();
      try (GradMode.Scope s = Autograd.noGrad()) {
        for (Tensor w : new Tensor[] {w1, w2a, w2b}) {
          if (w.grad() == null) { // w2a has no gradient until its branch is taken
            if (t == 0 && label.equals("eager"))
              System.out.println(
                  "step 1: w2a.grad is null; the seed as written fails here in PyTorch (w2a.grad is None, so 'w2a -= learning_rate * w2a.grad' raises TypeError); this sample skips it");
            continue;
          }
          w.sub_(w.grad().mul(learningRate));
          w.grad().zero_();
        }
      }
      nanos[t] = System.nanoTime() - t0;
      losses[t] = prevLoss;
      if ((t + 1) % 250 == 0) System.out.printf("%s step %d loss %.4f%n", label, t + 1, prevLoss);
    }
    long[] late = Arrays.copyOfRange(nanos, steps / 2, steps); // after warm-up
    Arrays.sort(late);
    System.out.printf(
        "%s: median %.0f us per step (forward + backward + SGD), %d steps%n",
        label, late[late.length / 2] / 1e3, steps);
    return losses;
  }

  public static void main(String[] args) {
    int steps = new Args(args).positive("steps", 1500);
    double[] eager = train("eager", a -> model(a[0], a[1], a[2], a[3], a[4], a[5]), steps);
    CompiledFunction graph = Autograd.compile(a -> model(a[0], a[1], a[2], a[3], a[4], a[5]));
    double[] compiled = train("compiled", graph::call, steps);
    int below = 0;
    for (double l : eager) if (l < 5.0) below++;
    System.out.printf(
        "loss %.1f -> %.4f in %d steps; w2a's branch taken on %d of them%n",
        eager[0], eager[steps - 1], steps, below);
    System.out.println("same losses eager and compiled: " + Arrays.equals(eager, compiled));
    System.out.println(graph.explain());
  }
}
