package dev.autograd.bench;

import dev.autograd.core.Autograd;
import dev.autograd.core.Generator;
import dev.autograd.core.GradMode;
import dev.autograd.core.Reduction;
import dev.autograd.core.Tensor;
import dev.autograd.nn.Linear;
import dev.autograd.nn.MSELoss;
import dev.autograd.nn.ReLU;
import dev.autograd.nn.Sequential;
import dev.autograd.nn.optim.SGD;

/**
 * The seed MLP of {@code peers/seed_mlp.py} (N=64, D_in=1000, H=100, D_out=10, FLOAT32), one
 * training step timed per iteration. raw: {@code x.mm(w1).clampMin(0).mm(w2)}, squared-error sum,
 * backward, manual SGD under no-grad, gradients zeroed in place. nn: Sequential(Linear, ReLU,
 * Linear) + MSELoss(SUM) + SGD. Reports the median microseconds per iteration. Usage: {@code
 * SeedMlp [--iters 500] [--warmup 200] [--warmup-ms 3000]} (then warm-up until a collection that
 * does not grow the young generation).
 */
public final class SeedMlp {
  private SeedMlp() {}

  static final int N = 64, D_IN = 1000, H = 100, D_OUT = 10;

  /** The raw model's tensors: input, target and the two weight matrices (leaves). */
  static final class Raw {
    final Tensor x, y, w1, w2;

    Raw(Generator gen) {
      x = Tensor.randn(gen, dev.autograd.core.DType.FLOAT32, N, D_IN);
      y = Tensor.randn(gen, dev.autograd.core.DType.FLOAT32, N, D_OUT);
      w1 = Tensor.randn(gen, dev.autograd.core.DType.FLOAT32, D_IN, H).requiresGrad_();
      w2 = Tensor.randn(gen, dev.autograd.core.DType.FLOAT32, H, D_OUT).requiresGrad_();
    }

    /** One step; returns the loss. */
    double step() {
      Tensor yPred = x.mm(w1).clampMin(0).mm(w2);
      Tensor loss = yPred.sub(y).pow(2).sum();
      loss.backward();
      try (GradMode.Scope s = Autograd.noGrad()) {
        w1.sub_(w1.grad().mul(1e-6));
        w2.sub_(w2.grad().mul(1e-6));
        w1.grad().zero_();
        w2.grad().zero_();
      }
      return loss.item();
    }
  }

  /** The nn model, loss and optimizer. */
  static final class Nn {
    final Tensor x, y;
    final Sequential model;
    final MSELoss lossFn = new MSELoss(Reduction.SUM);
    final SGD opt;

    Nn(Generator gen) {
      x = Tensor.randn(gen, dev.autograd.core.DType.FLOAT32, N, D_IN);
      y = Tensor.randn(gen, dev.autograd.core.DType.FLOAT32, N, D_OUT);
      model =
          new Sequential(
              new Linear(D_IN, H, true, gen), new ReLU(), new Linear(H, D_OUT, true, gen));
      opt = new SGD(model.parameters(), 1e-4);
    }

    double step() {
      opt.zeroGrad();
      Tensor loss = lossFn.forward(model.forward(x), y);
      loss.backward();
      opt.step();
      return loss.item();
    }
  }

  /**
   * Times each of {@code iters} steps after {@code warmup} untimed ones, at least {@code
   * warmupMillis} of them (Note [warm JIT] in {@link Report}), and then more untimed ones until the
   * collector has run once without growing the young generation (Note [warm heap]; at most {@code
   * 50 * warmup + 1000} more); {@code lastLoss[0]} gets the last loss, {@code allocPerStep[0]} the
   * bytes allocated per timed step on this thread (the JVM's per-thread counter; kernel pool
   * threads not counted), {@code fresh} the microseconds of the warm-up steps from {@code warmup /
   * 2} on that ran before the next collection (the heap still fresh).
   */
  static double[] time(
      java.util.function.DoubleSupplier step,
      int iters,
      int warmup,
      long warmupMillis,
      double[] lastLoss,
      double[] allocPerStep,
      java.util.List<Double> fresh) {
    double[] us = new double[iters];
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    Report.warmUp(
        warmup,
        warmupMillis,
        50 * warmup + 1000,
        () -> {
          long t0 = System.nanoTime();
          lastLoss[0] = step.getAsDouble();
          return (System.nanoTime() - t0) / 1000.0;
        },
        fresh);
    long b0 = mx.getThreadAllocatedBytes(tid);
    for (int it = 0; it < iters; it++) {
      long t0 = System.nanoTime();
      lastLoss[0] = step.getAsDouble();
      us[it] = (System.nanoTime() - t0) / 1000.0;
    }
    allocPerStep[0] = (double) (mx.getThreadAllocatedBytes(tid) - b0) / iters;
    return us;
  }

  public static void main(String[] args) {
    int iters = Report.intArg(args, "--iters", 500);
    int warmup = Report.intArg(args, "--warmup", 200);
    int warmupMillis = Report.intArg(args, "--warmup-ms", 3000);
    String t = Report.threadTag();
    Report.note("autograd seed MLP; kernels " + Autograd.kernels());
    double[] loss = new double[1], alloc = new double[1];
    java.util.List<Double> fresh = new java.util.ArrayList<>();
    Raw raw = new Raw(new Generator(0));
    Report.print(
        "seed_mlp_raw" + t,
        time(raw::step, iters, warmup, warmupMillis, loss, alloc, fresh),
        "us/iter");
    Report.value("seed_mlp_raw" + t + ".alloc", alloc[0] / 1024, "KiB/step");
    Report.printFresh("seed_mlp_raw" + t, fresh, "us/iter");
    Report.note("seed_mlp_raw" + t + " final_loss=" + Report.g4(loss[0]));
    Nn nn = new Nn(new Generator(0));
    fresh.clear();
    Report.print(
        "seed_mlp_nn" + t,
        time(nn::step, iters, warmup, warmupMillis, loss, alloc, fresh),
        "us/iter");
    Report.value("seed_mlp_nn" + t + ".alloc", alloc[0] / 1024, "KiB/step");
    Report.printFresh("seed_mlp_nn" + t, fresh, "us/iter");
    Report.note("seed_mlp_nn" + t + " final_loss=" + Report.g4(loss[0]));
  }
}
