package dev.autograd.bench;

import dev.autograd.core.Autograd;
import dev.autograd.core.CompiledFunction;
import dev.autograd.core.DType;
import dev.autograd.core.Generator;
import dev.autograd.core.GradMode;
import dev.autograd.core.Tensor;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.function.Function;

/**
 * The workloads of {@code peers/static_graph.py}, eager against compiled ({@code Autograd.compile},
 * PyTorch's column being {@code torch.jit.script}). seed_static: seed 003's model (N=64, D_in=1000,
 * H=100, D_out=10, FLOAT32; {@code w2 = w2a if prev_loss < 5.0 else w2b}) called through the
 * function or its compiled form, then backward, SGD under no-grad on the weights with a gradient,
 * gradients zeroed: one training step as the seed's loop. chain20_static: the 20-op element-wise
 * chain on 1e6 floats, its sum and backward. Prints the median and p90 step time and the bytes
 * allocated per step on the calling thread (kernel pool threads not counted); seed_static_fwd_bwd
 * leaves out the SGD update (whose {@code lr * w.grad} allocates 400 KB); seed_step_whole puts the
 * whole loop body (forward, backward, SGD, zeroing) inside the compiled function (its second round
 * counts bytes after 3000 more steps, once the JIT has compiled the vector kernels);
 * seed_step_whole.gemm_only is that step's five matrix products alone (what bounds it).
 * chain20_static.compiled_unfused is the chain compiled with fusion off ({@code
 * -Dautograd.compile.fuse=false} while it traced). bias_chain_static: {@link #biasChain} (a
 * broadcast bias, clamp, a mean over the last dim) the same three ways, after the chain rows.
 * Usage: {@code StaticGraph [--iters 300] [--warmup 100] [--warmup-ms 1000] [--chain-only [--rounds
 * 3]]}.
 */
public final class StaticGraph {
  private StaticGraph() {}

  static Tensor model(Tensor x, Tensor y, Tensor w1, Tensor w2a, Tensor w2b, Tensor prevLoss) {
    Tensor w2 = prevLoss.lt(5.0).toBoolean() ? w2a : w2b;
    return x.mm(w1).clampMin(0).mm(w2).sub(y).pow(2).sum();
  }

  static Tensor chain(Tensor x) {
    Tensor y = x;
    for (int i = 0; i < 20; i++) {
      int k = i % 3;
      y = k == 0 ? y.mul(-0.5) : k == 1 ? y.exp() : y.add(x);
    }
    return y.sum();
  }

  /**
   * A chain with a broadcast bias, clamp and a closing mean over the last dim (what fusion covers
   * besides same-shaped operands): x [512, 1024] and b [1024], both requiring grad.
   */
  static Tensor biasChain(Tensor x, Tensor b) {
    return x.add(b).tanh().mul(x).clampMin(0).mul(0.5).mean(new int[] {-1}, false).sum();
  }

  /** {@link #biasChain} forward and backward per call. */
  static final class BiasChain {
    final Tensor x =
        Tensor.randn(new Generator(2), DType.FLOAT32, 512, 1024).detach().requiresGrad_();
    final Tensor b = Tensor.randn(new Generator(3), DType.FLOAT32, 1024).detach().requiresGrad_();
    final Function<Tensor[], Tensor> fn;

    BiasChain(Function<Tensor[], Tensor> fn) {
      this.fn = fn;
    }

    double step() {
      x.setGrad(null);
      b.setGrad(null);
      Tensor s = fn.apply(new Tensor[] {x, b});
      s.backward();
      return s.item();
    }
  }

  /** One seed training step per call, with its own weights. */
  static final class Seed {
    final Tensor x, y, w1, w2a, w2b;
    final Function<Tensor[], Tensor> fn;
    final boolean sgd;
    double prevLoss = 5.0;

    Seed(Function<Tensor[], Tensor> fn, boolean sgd) {
      this.sgd = sgd;
      Generator g = new Generator(0);
      x = Tensor.randn(g, DType.FLOAT32, 64, 1000);
      y = Tensor.randn(g, DType.FLOAT32, 64, 10);
      w1 = Tensor.randn(g, DType.FLOAT32, 1000, 100).requiresGrad_();
      w2a = Tensor.randn(g, DType.FLOAT32, 100, 10).requiresGrad_();
      w2b = Tensor.randn(g, DType.FLOAT32, 100, 10).requiresGrad_();
      this.fn = fn;
    }

    double step() {
      Tensor loss =
          fn.apply(new Tensor[] {x, y, w1, w2a, w2b, Tensor.scalar(prevLoss, DType.FLOAT64)});
      prevLoss = loss.item();
      loss.backward();
      try (GradMode.Scope s = Autograd.noGrad()) {
        for (Tensor w : new Tensor[] {w1, w2a, w2b}) {
          if (w.grad() == null) continue;
          if (sgd)
            w.sub_(w.grad().mul(1e-6)); // the seed's w -= lr * w.grad: a 400 KB temporary for w1
          w.grad().zero_();
        }
      }
      return prevLoss;
    }
  }

  /**
   * The seed's whole loop body (forward, backward, SGD, zeroing) inside one function: compiled, it
   * allocates only its loss.
   */
  static Tensor wholeStep(Tensor[] a) {
    Tensor loss = model(a[0], a[1], a[2], a[3], a[4], a[5]);
    loss.backward();
    try (GradMode.Scope s = Autograd.noGrad()) {
      for (int i = 2; i <= 4; i++) {
        Tensor w = a[i];
        if (w.grad() == null) continue;
        w.sub_(w.grad().mul(1e-6));
        w.grad().zero_();
      }
    }
    return loss;
  }

  /** {@link #wholeStep} per call (eager or compiled), with its own weights. */
  static final class WholeSeed {
    final Seed data = new Seed(null, true);
    final Tensor[] args;
    final Function<Tensor[], Tensor> fn;

    WholeSeed(Function<Tensor[], Tensor> fn) {
      this.fn = fn;
      args =
          new Tensor[] {
            data.x, data.y, data.w1, data.w2a, data.w2b, Tensor.scalar(5.0, DType.FLOAT64)
          };
    }

    double step() {
      Tensor loss = fn.apply(args);
      double l = loss.item();
      args[5].fill_(l); // prev_loss, written into the argument tensor: no new tensor per step
      return l;
    }
  }

  /** The chain on 1e6 floats, forward and backward, per call. */
  static final class Chain {
    final Tensor x =
        Tensor.randn(new Generator(1), DType.FLOAT32, 1_000_000).mul(0.1).detach().requiresGrad_();
    final Function<Tensor[], Tensor> fn;

    Chain(Function<Tensor[], Tensor> fn) {
      this.fn = fn;
    }

    double step() {
      x.setGrad(null); // as the peer's loop (x.grad = None): the backward writes a fresh gradient,
      // nothing to add to or zero
      Tensor s = fn.apply(new Tensor[] {x});
      s.backward();
      return s.item();
    }
  }

  /** Minimum warm-up per row in milliseconds ({@code --warmup-ms}; Note [warm JIT] in Report). */
  private static int warmupMillis = 1000;

  static void measure(String name, java.util.function.DoubleSupplier step, int iters, int warmup) {
    measure(name, step, iters, warmup, 0);
  }

  /**
   * Times {@code iters} steps after {@code warmup} untimed ones that took at least {@code
   * --warmup-ms} (Note [warm JIT] in {@link Report}); the bytes per step are counted over the timed
   * steps, or, with {@code allocWarmup > 0}, over 200 steps after that many more (the Vector API
   * allocates boxes until C2 has compiled a kernel, which takes long on a loaded machine).
   */
  static void measure(
      String name, java.util.function.DoubleSupplier step, int iters, int warmup, int allocWarmup) {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    Report.warmUp(warmup, warmupMillis, 0, step, new java.util.ArrayList<>());
    double[] us = new double[iters];
    long b0 = mx.getThreadAllocatedBytes(tid);
    for (int i = 0; i < iters; i++) {
      long t0 = System.nanoTime();
      step.getAsDouble();
      us[i] = (System.nanoTime() - t0) / 1e3;
    }
    double bytes = (double) (mx.getThreadAllocatedBytes(tid) - b0) / iters;
    if (allocWarmup > 0) {
      for (int i = 0; i < allocWarmup; i++) step.getAsDouble();
      long b1 = mx.getThreadAllocatedBytes(tid);
      for (int i = 0; i < 200; i++) step.getAsDouble();
      bytes = (mx.getThreadAllocatedBytes(tid) - b1) / 200.0;
    }
    Report.print(name, us, "us/iter");
    double[] sorted = us.clone();
    Arrays.sort(sorted);
    Report.value(name + ".p90", sorted[(int) Math.ceil(0.9 * iters) - 1], "us/iter");
    Report.value(name + ".alloc_per_step", bytes / 1024, "KiB/step");
  }

  /**
   * A compiled function whose traces run every step on its own ({@code
   * -Dautograd.compile.fuse=false} while it traces).
   */
  static CompiledFunction unfused(Function<Tensor[], Tensor> fn, Tensor... x) {
    String before = System.getProperty("autograd.compile.fuse");
    System.setProperty("autograd.compile.fuse", "false");
    try {
      CompiledFunction cf = Autograd.compile(fn);
      cf.call(x).backward(); // traced now, unfused for good
      for (Tensor t : x) t.setGrad(null);
      return cf;
    } finally {
      if (before == null) System.clearProperty("autograd.compile.fuse");
      else System.setProperty("autograd.compile.fuse", before);
    }
  }

  /**
   * The 20-op chain (forward + backward) compiled with fusion and without, step by step in turn (so
   * that load changes hit both alike), then eager (whose 86 MB of garbage per step would otherwise
   * land on the next row's time), {@code rounds} times.
   */
  static void chainRows(String t, int iters, int warmup, int rounds) {
    Function<Tensor[], Tensor> chainFn = a -> chain(a[0]);
    Chain fused = new Chain(Autograd.compile(chainFn)::call);
    Chain plain = new Chain(unfused(chainFn, new Chain(null).x)::call);
    Chain eager = new Chain(chainFn);
    for (int round = 0; round < rounds; round++) {
      for (int i = 0; i < warmup; i++) {
        fused.step();
        plain.step();
      }
      double[] f = new double[iters], p = new double[iters];
      double[] fc = new double[iters], pc = new double[iters];
      for (int i = 0; i < iters; i++) {
        long c0 = CPU.getCurrentThreadCpuTime(), t0 = System.nanoTime();
        fused.step();
        long c1 = CPU.getCurrentThreadCpuTime(), t1 = System.nanoTime();
        plain.step();
        f[i] = (t1 - t0) / 1e3;
        p[i] = (System.nanoTime() - t1) / 1e3;
        fc[i] = (c1 - c0) / 1e3;
        pc[i] = (CPU.getCurrentThreadCpuTime() - c1) / 1e3;
      }
      report("chain20_static.compiled" + t, f);
      report("chain20_static.compiled_unfused" + t, p);
      // the calling thread's CPU time: far steadier than wall time on a loaded machine
      report("chain20_static.compiled" + t + ".cpu", fc);
      report("chain20_static.compiled_unfused" + t + ".cpu", pc);
      measure("chain20_static.eager" + t, eager::step, iters, warmup);
    }
    biasChainRows(t, iters * 10, warmup * 10);
  }

  private static final java.lang.management.ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  /** {@link #biasChain} compiled with fusion and without, step by step in turn, then eager. */
  static void biasChainRows(String t, int iters, int warmup) {
    Function<Tensor[], Tensor> fn = a -> biasChain(a[0], a[1]);
    BiasChain fused = new BiasChain(Autograd.compile(fn)::call);
    BiasChain probe = new BiasChain(null);
    BiasChain plain = new BiasChain(unfused(fn, probe.x, probe.b)::call);
    BiasChain eager = new BiasChain(fn);
    for (int i = 0; i < warmup; i++) {
      fused.step();
      plain.step();
    }
    double[] f = new double[iters], p = new double[iters];
    for (int i = 0; i < iters; i++) {
      long t0 = System.nanoTime();
      fused.step();
      long t1 = System.nanoTime();
      plain.step();
      f[i] = (t1 - t0) / 1e3;
      p[i] = (System.nanoTime() - t1) / 1e3;
    }
    report("bias_chain_static.compiled" + t, f);
    report("bias_chain_static.compiled_unfused" + t, p);
    measure("bias_chain_static.eager" + t, eager::step, iters, warmup);
  }

  private static void report(String name, double[] us) {
    Report.print(name, us, "us/iter");
    double[] sorted = us.clone();
    Arrays.sort(sorted);
    Report.value(name + ".p90", sorted[(int) Math.ceil(0.9 * us.length) - 1], "us/iter");
  }

  public static void main(String[] args) {
    int iters = Report.intArg(args, "--iters", 300);
    int warmup = Report.intArg(args, "--warmup", 100);
    warmupMillis = Report.intArg(args, "--warmup-ms", warmupMillis);
    String t = Report.threadTag();
    Report.note(
        "autograd static graph (compile); kernels "
            + Autograd.kernels()
            + "; load average "
            + loadAverage());
    int chainIters = Math.max(10, iters / 10), chainWarmup = Math.max(5, warmup / 10);
    if (Arrays.asList(args).contains("--chain-only")) {
      chainRows(t, chainIters, chainWarmup, Report.intArg(args, "--rounds", 3));
      Report.note("load average " + loadAverage());
      return;
    }
    Function<Tensor[], Tensor> seedFn = a -> model(a[0], a[1], a[2], a[3], a[4], a[5]);
    CompiledFunction seedCompiled = Autograd.compile(seedFn);
    for (int round = 0; round < 2; round++) { // alternate, so that load changes hit both
      measure("seed_static.eager" + t, new Seed(seedFn, true)::step, iters, warmup);
      measure("seed_static.compiled" + t, new Seed(seedCompiled::call, true)::step, iters, warmup);
    }
    // forward + backward + zeroing alone (no SGD temporary): what compiling changes
    measure("seed_static_fwd_bwd.eager" + t, new Seed(seedFn, false)::step, iters, warmup);
    measure(
        "seed_static_fwd_bwd.compiled" + t,
        new Seed(seedCompiled::call, false)::step,
        iters,
        warmup);
    Report.note(
        "seed_static.compiled: "
            + seedCompiled.traceCount()
            + " traces, "
            + seedCompiled.replayCount()
            + " replays, "
            + seedCompiled.eagerCount()
            + " eager calls");
    // the whole step (forward + backward + SGD + zeroing) as one compiled function: no per-step
    // allocation after warm-up
    CompiledFunction wholeCompiled = Autograd.compile(StaticGraph::wholeStep);
    for (int round = 0; round < 2; round++) {
      measure(
          "seed_step_whole.eager" + t,
          new WholeSeed(StaticGraph::wholeStep)::step,
          iters,
          warmup,
          round == 1 ? 3000 : 0);
      measure(
          "seed_step_whole.compiled" + t,
          new WholeSeed(wholeCompiled::call)::step,
          iters,
          warmup,
          round == 1 ? 3000 : 0);
    }
    Report.note(
        "seed_step_whole.compiled: "
            + wholeCompiled.traceCount()
            + " traces, "
            + wholeCompiled.replayCount()
            + " replays, "
            + wholeCompiled.eagerCount()
            + " eager calls");
    seedGemmsOnly(t, iters, warmup);
    chainRows(t, chainIters, chainWarmup, 1);
  }

  /**
   * The seed step's five matrix products alone, with its shapes and operand layouts (the weight
   * gradients as xᵀ·g, w2's input gradient through w2ᵀ), into preallocated outputs (the step adds
   * the weight gradients into {@code .grad}; here they are written): seed_step_whole.gemm_only is
   * the floor under the compiled step.
   */
  static void seedGemmsOnly(String t, int iters, int warmup) {
    Generator gen = new Generator(4);
    int[][] mkn = {{64, 1000, 100}, {64, 100, 10}, {64, 10, 100}, {100, 64, 10}, {1000, 64, 100}};
    boolean[] aT = {false, false, false, true, true};
    boolean[] bT = {false, false, true, false, false};
    Tensor[][] abc = MatmulShapes.products(gen, mkn, aT, bT);
    Tensor[] as = abc[0], bs = abc[1], outs = abc[2];
    measure(
        "seed_step_whole.gemm_only" + t,
        () -> {
          for (int i = 0; i < mkn.length; i++) as[i].mm(bs[i], outs[i]);
          return 0;
        },
        iters,
        warmup);
  }

  private static String loadAverage() {
    return String.format(
        java.util.Locale.ROOT,
        "%.2f",
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }
}
