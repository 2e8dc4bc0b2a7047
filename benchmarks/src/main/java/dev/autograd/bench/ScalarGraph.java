package dev.autograd.bench;

import dev.autograd.core.Autograd;
import dev.autograd.core.GradMode;
import dev.autograd.core.Tensor;

/**
 * The scalar-graph workload of {@code peers/scalar_graph.py}: graphs of ~10,000 ops on 0-dim
 * FLOAT32 tensors. chain: {@code y = tanh(y*w + b)} 3334 times (3 ops per step, 2 leaves); neuron:
 * {@code s = sum_i w_i*x_i} over 5000 terms (9999 ops, 5000 leaves). Reports ns per op for the
 * recorded forward, the backward alone, both, and the forward under no-grad, and the bytes
 * allocated per op on this thread (the JVM's per-thread counter: what the collector has to recycle,
 * and on a fresh heap the memory first touched) in the forward and in the backward. Usage: {@code
 * ScalarGraph [--reps 11] [--warmup 40]} (then warm-up until a collection that does not grow the
 * young generation: Note [warm heap] in {@link Report}).
 */
public final class ScalarGraph {
  private ScalarGraph() {}

  /** One built graph: its output, and the forward time in ns. */
  record Built(Tensor y, long nanos) {}

  static Built chain(int iters, boolean grad) {
    Tensor w = Tensor.scalar(0.9).requiresGrad_(grad);
    Tensor b = Tensor.scalar(0.1).requiresGrad_(grad);
    Tensor y = Tensor.scalar(0.5);
    long t0 = System.nanoTime();
    for (int i = 0; i < iters; i++) y = y.mul(w).add(b).tanh();
    return new Built(y, System.nanoTime() - t0);
  }

  static Built neuron(int terms, boolean grad) {
    Tensor[] ws = new Tensor[terms];
    Tensor[] xs = new Tensor[terms];
    for (int i = 0; i < terms; i++) {
      ws[i] = Tensor.scalar(0.01 * (i % 7)).requiresGrad_(grad);
      xs[i] = Tensor.scalar(0.5 + 0.001 * i);
    }
    long t0 = System.nanoTime();
    Tensor s = ws[0].mul(xs[0]);
    for (int i = 1; i < terms; i++) s = s.add(ws[i].mul(xs[i]));
    return new Built(s, System.nanoTime() - t0);
  }

  /**
   * One graph built, differentiated and built again under no-grad: forward, backward and no-grad
   * nanoseconds, and the bytes allocated on this thread by the forward and by the backward.
   */
  static long[] once(boolean isChain, com.sun.management.ThreadMXBean mx, long tid) {
    int arg = isChain ? 3334 : 5000;
    long a0 = mx.getThreadAllocatedBytes(tid);
    Built b = isChain ? chain(arg, true) : neuron(arg, true);
    long a1 = mx.getThreadAllocatedBytes(tid);
    long t0 = System.nanoTime();
    b.y().backward();
    long tb = System.nanoTime() - t0;
    long a2 = mx.getThreadAllocatedBytes(tid);
    Built n;
    try (GradMode.Scope s = Autograd.noGrad()) {
      n = isChain ? chain(arg, false) : neuron(arg, false);
    }
    return new long[] {b.nanos(), tb, n.nanos(), a1 - a0, a2 - a1};
  }

  /**
   * Runs one workload and prints its lines; returns the median forward+backward ns/op. After {@code
   * warmup} graphs it keeps warming up until the collector has run once more without growing the
   * young generation (Note [warm heap] in {@link Report}; at most {@code 20 * warmup + 100} graphs
   * more). The {@code .fresh_heap} row: the warm-up graphs from {@code warmup / 2} on that ran
   * before the next collection (the JIT mostly done, the heap still fresh).
   */
  static double run(String kind, int reps, int warmup) {
    boolean isChain = kind.equals("chain");
    int nops = isChain ? 3334 * 3 : 5000 * 2 - 1;
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    java.util.List<Double> fresh = new java.util.ArrayList<>();
    int w =
        Report.warmUp(
            warmup,
            0,
            20 * warmup + 100,
            () -> {
              long[] g = once(isChain, mx, tid);
              return (double) (g[0] + g[1]) / nops;
            },
            fresh);
    double[] fwd = new double[reps],
        bwd = new double[reps],
        tot = new double[reps],
        nog = new double[reps];
    long fwdBytes = 0, bwdBytes = 0;
    for (int r = 0; r < reps; r++) {
      long[] g = once(isChain, mx, tid);
      fwd[r] = (double) g[0] / nops;
      bwd[r] = (double) g[1] / nops;
      tot[r] = (double) (g[0] + g[1]) / nops;
      nog[r] = (double) g[2] / nops;
      fwdBytes += g[3];
      bwdBytes += g[4];
    }
    String p = "scalar_" + kind + Report.threadTag();
    Report.note(p + " ops_per_graph=" + nops + " warmup_graphs=" + w);
    Report.print(p + ".forward", fwd, "ns/op");
    Report.print(p + ".backward", bwd, "ns/op");
    Report.print(p + ".fwd+bwd", tot, "ns/op");
    Report.print(p + ".forward_nograd", nog, "ns/op");
    Report.value(p + ".forward.alloc", (double) fwdBytes / reps / nops, "B/op");
    Report.value(p + ".backward.alloc", (double) bwdBytes / reps / nops, "B/op");
    Report.printFresh(p + ".fwd+bwd", fresh, "ns/op");
    return Report.median(tot);
  }

  public static void main(String[] args) {
    int reps = Report.intArg(args, "--reps", 11);
    int warmup =
        Report.intArg(args, "--warmup", 40); // graphs, so that the JIT has compiled the op paths
    Report.note("autograd scalar graph; kernels " + Autograd.kernels());
    run("chain", reps, warmup);
    run("neuron", reps, warmup);
  }
}
