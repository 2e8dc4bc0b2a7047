package dev.autograd.spark;

import dev.autograd.core.Autograd;
import dev.autograd.core.DType;
import dev.autograd.core.Tensor;
import dev.autograd.nn.Loss;
import dev.autograd.nn.Module;
import dev.autograd.nn.SampleKeys;
import dev.autograd.nn.optim.LRScheduler;
import dev.autograd.nn.optim.Optimizer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Synthetic data sets and the single-process reference training the Spark runs must match. */
final class TestData {
  private TestData() {}

  static final class Set {
    final double[][] x;
    final double[][] y;

    Set(double[][] x, double[][] y) {
      this.x = x;
      this.y = y;
    }

    List<Sample> samples() {
      List<Sample> out = new ArrayList<>();
      for (int i = 0; i < x.length; i++) out.add(Sample.of(x[i], y[i]));
      return out;
    }
  }

  /** n samples of 10 features; y = a fixed linear function plus a bend (regression). */
  static Set regression(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] x = new double[n][10], y = new double[n][1];
    for (int i = 0; i < n; i++) {
      double t = 0;
      for (int j = 0; j < 10; j++) {
        x[i][j] = r.nextDouble(-1, 1);
        t += (j % 3 - 1) * 0.7 * x[i][j];
      }
      y[i][0] = t + 0.3 * Math.sin(3 * x[i][0]);
    }
    return new Set(x, y);
  }

  /** n samples of 10 features in 3 classes. */
  static Set classes(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] x = new double[n][10], y = new double[n][1];
    for (int i = 0; i < n; i++) {
      int c = r.nextInt(3);
      for (int j = 0; j < 10; j++) x[i][j] = r.nextGaussian() * 0.8 + (j % 3 == c ? 1 : 0);
      y[i][0] = c;
    }
    return new Set(x, y);
  }

  interface Factory {
    Module create();
  }

  /**
   * One process, same global batches as the plan: returns the step losses; trains {@code model} in
   * place.
   */
  static List<Double> reference(
      Module model,
      Loss lossFn,
      Optimizer opt,
      LRScheduler sched,
      Set data,
      BatchPlan plan,
      int steps,
      LabelKind kind) {
    DType dtype = model.parameters().get(0).dtype();
    List<Double> losses = new ArrayList<>();
    int perEpoch = plan.stepsPerEpoch();
    for (int g = 0; g < steps; g++) {
      long[] idx = plan.globalIndices(g / perEpoch, g % perEpoch);
      int n = idx.length, d = data.x[0].length;
      double[] xs = new double[n * d];
      for (int i = 0; i < n; i++) System.arraycopy(data.x[(int) idx[i]], 0, xs, i * d, d);
      Tensor x = Tensor.of(xs, n, d);
      if (dtype == DType.FLOAT32) x = Tensor.of(x.toFloatArray(), n, d);
      Tensor y;
      if (kind == LabelKind.CLASS_INDEX) {
        long[] ys = new long[n];
        for (int i = 0; i < n; i++) ys[i] = (long) data.y[(int) idx[i]][0];
        y = Tensor.of(ys, n);
      } else {
        double[] ys = new double[n];
        for (int i = 0; i < n; i++) ys[i] = data.y[(int) idx[i]][0];
        y = Tensor.of(ys, n, 1);
        if (dtype == DType.FLOAT32) y = Tensor.of(y.toFloatArray(), n, 1);
      }
      opt.zeroGrad();
      Tensor loss;
      // the dropout masks the Spark tasks draw: keyed by the epoch and each sample's index
      try (SampleKeys keys = SampleKeys.open(plan.dropoutKey(g / perEpoch), idx)) {
        loss = lossFn.forward(model.forward(x), y);
      }
      loss.backward();
      opt.step();
      if (sched != null) sched.step();
      losses.add(loss.item());
    }
    return losses;
  }

  static Module seeded(Factory f, long seed) {
    Autograd.manualSeed(seed);
    return f.create();
  }

  static double[] weights(Module m) {
    return weights(m.parameters());
  }

  static double[] weights(List<Tensor> params) {
    List<Double> out = new ArrayList<>();
    for (Tensor p : params) for (double v : p.toDoubleArray()) out.add(v);
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
