package dev.autograd.samples;

import dev.autograd.core.Autograd;
import dev.autograd.core.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Seed 003: the two-layer network trained with manual SGD — N=64, D_in=1000, H=100, D_out=10, 500
 * steps — with the weight update inside {@code Autograd.noGrad()}. Writes the loss curve (log
 * scale) to target/plots/TwoLayerNet.png or {@code --plot FILE}.
 */
public final class TwoLayerNet {
  public static void main(String[] args) {
    Path plot = new Args(args).path("plot", LossPlot.defaultPath("TwoLayerNet"));
    Autograd.manualSeed(0);
    int n = 64, dIn = 1000, h = 100, dOut = 10;
    Tensor x = Tensor.randn(n, dIn);
    Tensor y = Tensor.randn(n, dOut);
    Tensor w1 = Tensor.randn(dIn, h).requiresGrad_(true);
    Tensor w2 = Tensor.randn(h, dOut).requiresGrad_(true);
    double learningRate = 1e-6;
    double first = 0, last = 0;
    List<Double> losses = new ArrayList<>();
    long start = System.nanoTime();
    for (int t = 0; t < 500; t++) {
      Tensor yPred = x.mm(w1).clampMin(0).mm(w2);
      Tensor loss = yPred.sub(y).pow(2).sum();
      if (t == 0) first = loss.item();
      last = loss.item();
      losses.add(last);
      if (t % 100 == 99) System.out.printf("step %d loss %.4f%n", t + 1, last);
      loss.backward();
      try (var g = Autograd.noGrad()) {
        w1.sub_(w1.grad().mul(learningRate));
        w2.sub_(w2.grad().mul(learningRate));
        w1.grad().zero_();
        w2.grad().zero_();
      }
    }
    double ms = (System.nanoTime() - start) / 1e6;
    System.out.printf(
        "loss %.1f -> %.4f in 500 steps (%.0f ms, %.0f µs/step, %s kernels)%n",
        first, last, ms, ms * 1000 / 500, Autograd.kernels());
    LossPlot.save(
        plot,
        "Two-layer net, manual SGD",
        "step",
        1,
        true,
        List.of("sum of squared errors"),
        List.of(losses));
  }
}
