package dev.autograd.bench;

import dev.autograd.core.Autograd;
import dev.autograd.core.DType;
import dev.autograd.core.Generator;
import dev.autograd.core.GradMode;
import dev.autograd.core.Tensor;

/**
 * The chain of {@code peers/elementwise_chain.py}: x (1e6 floats, requires grad), 20 ops cycling
 * {@code y*-0.5, exp(y), y+x}, then {@code sum().backward()}. Reports the recorded forward,
 * forward+backward and the forward under no-grad in milliseconds (medians). Usage: {@code
 * ElementwiseChain [--n 1000000] [--ops 20] [--reps 21] [--warmup 10]}.
 */
public final class ElementwiseChain {
  private ElementwiseChain() {}

  static Tensor forward(Tensor x, int nops) {
    Tensor y = x;
    for (int i = 0; i < nops; i++) {
      int k = i % 3;
      if (k == 0) y = y.mul(-0.5);
      else if (k == 1) y = y.exp();
      else y = y.add(x);
    }
    return y.sum();
  }

  public static void main(String[] args) {
    int n = Report.intArg(args, "--n", 1_000_000);
    int nops = Report.intArg(args, "--ops", 20);
    int reps = Report.intArg(args, "--reps", 21);
    int warmup = Report.intArg(args, "--warmup", 10);
    Tensor x = Tensor.rand(new Generator(0), DType.FLOAT32, n).mul(2).sub(1).requiresGrad_();
    double[] fwd = new double[reps], tot = new double[reps], nog = new double[reps];
    Tensor loss = null;
    for (int r = 0; r < warmup + reps; r++) {
      x.setGrad(null);
      long t0 = System.nanoTime();
      loss = forward(x, nops);
      long t1 = System.nanoTime();
      loss.backward();
      long t2 = System.nanoTime();
      long t3, t4;
      try (GradMode.Scope s = Autograd.noGrad()) {
        t3 = System.nanoTime();
        forward(x, nops);
        t4 = System.nanoTime();
      }
      if (r >= warmup) {
        fwd[r - warmup] = (t1 - t0) / 1e6;
        tot[r - warmup] = (t2 - t0) / 1e6;
        nog[r - warmup] = (t4 - t3) / 1e6;
      }
    }
    String p =
        "chain"
            + nops
            + ".n"
            + String.format(java.util.Locale.ROOT, "%.0e", (double) n)
                .replace("+0", "")
                .replace("+", "")
            + Report.threadTag();
    Report.note("autograd elementwise chain; kernels " + Autograd.kernels());
    Report.print(p + ".forward", fwd, "ms");
    Report.print(p + ".fwd+bwd", tot, "ms");
    Report.print(p + ".forward_nograd", nog, "ms");
    Report.note(
        p + " loss=" + Report.g4(loss.item()) + " grad_norm=" + Report.g4(x.grad().norm().item()));
  }
}
