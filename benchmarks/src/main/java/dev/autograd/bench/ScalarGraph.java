package dev.autograd.bench;

import dev.autograd.core.Autograd;
import dev.autograd.core.GradMode;
import dev.autograd.core.Tensor;

/**
 * The scalar-graph workload of {@code peers/scalar_graph.py}: graphs of ~10,000 ops on 0-dim
 * FLOAT32 tensors. chain: {@code y = tanh(y*w + b)} 3334 times (3 ops per step, 2 leaves); neuron:
 * {@code s = sum_i w_i*x_i} over 5000 terms (9999 ops, 5000 leaves). Reports ns per op for the
 * recorded forward, the backward alone, both, and the forward under no-grad, and the bytes allocated
 * per op on this thread (the JVM's per-thread counter: what the collector has to recycle, and on a
 * fresh heap the memory first touched) in the forward and in the backward. Usage: {@code
 * ScalarGraph [--reps 11] [--warmup 20]}.
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

  /** Runs one workload and prints its four lines; returns the median forward+backward ns/op. */
  static double run(String kind, int reps, int warmup) {
    boolean isChain = kind.equals("chain");
    int arg = isChain ? 3334 : 5000;
    int nops = isChain ? 3334 * 3 : 5000 * 2 - 1;
    double[] fwd = new double[reps],
        bwd = new double[reps],
        tot = new double[reps],
        nog = new double[reps];
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    long fwdBytes = 0, bwdBytes = 0;
    for (int r = 0; r < warmup + reps; r++) {
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
      if (r >= warmup) {
        int i = r - warmup;
        fwd[i] = (double) b.nanos() / nops;
        bwd[i] = (double) tb / nops;
        tot[i] = (double) (b.nanos() + tb) / nops;
        nog[i] = (double) n.nanos() / nops;
        fwdBytes += a1 - a0;
        bwdBytes += a2 - a1;
      }
    }
    String p = "scalar_" + kind + Report.threadTag();
    Report.note(p + " ops_per_graph=" + nops);
    Report.print(p + ".forward", fwd, "ns/op");
    Report.print(p + ".backward", bwd, "ns/op");
    Report.print(p + ".fwd+bwd", tot, "ns/op");
    Report.print(p + ".forward_nograd", nog, "ns/op");
    Report.value(p + ".forward.alloc", (double) fwdBytes / reps / nops, "B/op");
    Report.value(p + ".backward.alloc", (double) bwdBytes / reps / nops, "B/op");
    return Report.median(tot);
  }

  public static void main(String[] args) {
    int reps = Report.intArg(args, "--reps", 11);
    int warmup =
        Report.intArg(args, "--warmup", 20); // graphs, so that the JIT has compiled the op paths
    Report.note("autograd scalar graph; kernels " + Autograd.kernels());
    run("chain", reps, warmup);
    run("neuron", reps, warmup);
  }
}
