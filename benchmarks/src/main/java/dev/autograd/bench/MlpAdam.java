package dev.autograd.bench;

import dev.autograd.core.Autograd;
import dev.autograd.core.DType;
import dev.autograd.core.Generator;
import dev.autograd.core.Tensor;
import dev.autograd.nn.CrossEntropyLoss;
import dev.autograd.nn.Linear;
import dev.autograd.nn.ReLU;
import dev.autograd.nn.Sequential;
import dev.autograd.nn.optim.Adam;

/**
 * The larger training step of {@code peers/mlp_adam.py}: MLP 784-512-256-10 (ReLU), batch 128,
 * FLOAT32, CrossEntropyLoss, Adam(lr=1e-3); one step = zeroGrad + forward + loss + backward + step.
 * Median milliseconds per step; then the same step written as one function, eager against compiled
 * (mlp784_adam_whole), with bytes allocated per step; then the step's matrix products alone
 * (mlp784_adam_whole.gemm_only: what bounds both). Usage: {@code MlpAdam [--iters 300] [--warmup
 * 50]}.
 */
public final class MlpAdam {
  private MlpAdam() {}

  public static void main(String[] args) {
    int iters = Report.intArg(args, "--iters", 300);
    int warmup = Report.intArg(args, "--warmup", 50);
    eager(iters, warmup);
    for (int round = 0;
        round < 2;
        round++) { // eager and compiled alternate, so that load changes hit both
      whole(false, iters, warmup, round == 1 ? 2000 : 0);
      whole(true, iters, warmup, round == 1 ? 2000 : 0);
    }
    gemmsOnly(iters, warmup);
  }

  /**
   * The step's eight matrix products alone, with the step's shapes and operand layouts (weights
   * read transposed as {@code Linear} reads them, the weight gradients as gᵀ·x), into preallocated
   * outputs: mlp784_adam_whole.gemm_only is the floor under both whole-step rows, so eager ÷ this
   * bounds what any replay could gain over eager without computing other products.
   */
  private static void gemmsOnly(int iters, int warmup) {
    Generator gen = new Generator(1);
    int b = 128;
    int[][] mkn = { // forward, then backward (input gradients, weight gradients)
      {b, 784, 512},
      {b, 512, 256},
      {b, 256, 10},
      {b, 10, 256},
      {10, b, 256},
      {b, 256, 512},
      {256, b, 512},
      {512, b, 784}
    };
    boolean[] aT = {false, false, false, false, true, false, true, true};
    boolean[] bT = {true, true, true, false, false, false, false, false};
    Tensor[][] abc = MatmulShapes.products(gen, mkn, aT, bT);
    Tensor[] as = abc[0], bs = abc[1], outs = abc[2];
    double[] ms = new double[iters];
    for (int it = 0; it < warmup + iters; it++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < mkn.length; i++) as[i].mm(bs[i], outs[i]);
      if (it >= warmup) ms[it - warmup] = (System.nanoTime() - t0) / 1e6;
    }
    String name = "mlp784_adam_whole.gemm_only.b128" + Report.threadTag();
    Report.print(name, ms, "ms/step");
    double flop = 0;
    for (int[] s : mkn) flop += 2.0 * s[0] * s[1] * s[2];
    Report.value(name + ".gflops", flop / (Report.median(ms) * 1e6), "GFLOP/s");
  }

  /**
   * The same step as one function, eager or compiled ({@code Autograd.compile}): prints the median
   * and p90 and the bytes allocated per step on the calling thread (with {@code allocWarmup > 0},
   * counted over 50 steps after that many more: the Vector API allocates boxes until C2 has
   * compiled a kernel, which takes long on a loaded machine).
   */
  private static void whole(boolean compiled, int iters, int warmup, int allocWarmup) {
    Generator gen = new Generator(0);
    Tensor x = Tensor.randn(gen, DType.FLOAT32, 128, 784);
    Tensor y = Tensor.randint(gen, 0, 10, 128);
    Sequential model =
        new Sequential(
            new Linear(784, 512, true, gen),
            new ReLU(),
            new Linear(512, 256, true, gen),
            new ReLU(),
            new Linear(256, 10, true, gen));
    CrossEntropyLoss lossFn = new CrossEntropyLoss();
    Adam opt = new Adam(model.parameters(), 1e-3);
    java.util.function.Function<Tensor[], Tensor> step =
        a -> {
          opt.zeroGrad();
          Tensor l = lossFn.forward(model.forward(a[0]), a[1]);
          l.backward();
          opt.step();
          return l;
        };
    dev.autograd.core.CompiledFunction c = compiled ? Autograd.compile(step) : null;
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    double[] ms = new double[iters];
    long b0 = 0;
    double loss = 0;
    for (int it = 0; it < warmup + iters; it++) {
      if (it == warmup) b0 = mx.getThreadAllocatedBytes(tid);
      long t0 = System.nanoTime();
      Tensor l = compiled ? c.call(x, y) : step.apply(new Tensor[] {x, y});
      long t1 = System.nanoTime();
      loss = l.item();
      if (it >= warmup) ms[it - warmup] = (t1 - t0) / 1e6;
    }
    double bytes = (double) (mx.getThreadAllocatedBytes(tid) - b0) / iters;
    if (allocWarmup > 0) {
      for (int i = 0; i < allocWarmup; i++) {
        if (compiled) c.call(x, y);
        else step.apply(new Tensor[] {x, y});
      }
      long b1 = mx.getThreadAllocatedBytes(tid);
      for (int i = 0; i < 50; i++) {
        if (compiled) c.call(x, y);
        else step.apply(new Tensor[] {x, y});
      }
      bytes = (mx.getThreadAllocatedBytes(tid) - b1) / 50.0;
    }
    String name =
        "mlp784_adam_whole." + (compiled ? "compiled" : "eager") + ".b128" + Report.threadTag();
    Report.print(name, ms, "ms/step");
    double[] sorted = ms.clone();
    java.util.Arrays.sort(sorted);
    Report.value(name + ".p90", sorted[(int) Math.ceil(0.9 * iters) - 1], "ms/step");
    Report.value(name + ".alloc_per_step", bytes / 1024, "KiB/step");
    Report.note(
        name
            + " final_loss="
            + Report.g4(loss)
            + (compiled ? "; " + c.traceCount() + " traces, " + c.replayCount() + " replays" : ""));
  }

  private static void eager(int iters, int warmup) {
    Generator gen = new Generator(0);
    Tensor x = Tensor.randn(gen, DType.FLOAT32, 128, 784);
    Tensor y = Tensor.randint(gen, 0, 10, 128);
    Sequential model =
        new Sequential(
            new Linear(784, 512, true, gen),
            new ReLU(),
            new Linear(512, 256, true, gen),
            new ReLU(),
            new Linear(256, 10, true, gen));
    CrossEntropyLoss lossFn = new CrossEntropyLoss();
    Adam opt = new Adam(model.parameters(), 1e-3);
    double[] ms = new double[iters];
    double loss = 0;
    for (int it = 0; it < warmup + iters; it++) {
      long t0 = System.nanoTime();
      opt.zeroGrad();
      Tensor l = lossFn.forward(model.forward(x), y);
      l.backward();
      opt.step();
      long t1 = System.nanoTime();
      loss = l.item();
      if (it >= warmup) ms[it - warmup] = (t1 - t0) / 1e6;
    }
    String name = "mlp784_adam.b128" + Report.threadTag();
    Report.note("autograd MLP 784-512-256-10 + Adam; kernels " + Autograd.kernels());
    Report.print(name, ms, "ms/step");
    Report.note(name + " final_loss=" + Report.g4(loss));
    long macs = 784L * 512 + 512 * 256 + 256 * 10;
    double flop = 128.0 * macs * 2 * 3 - 128.0 * 784 * 512 * 2;
    Report.value(name + ".gflops", flop / (Report.median(ms) * 1e6), "GFLOP/s");
  }
}
