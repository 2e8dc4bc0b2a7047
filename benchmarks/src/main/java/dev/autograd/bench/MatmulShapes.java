package dev.autograd.bench;

import dev.autograd.core.DType;
import dev.autograd.core.Generator;
import dev.autograd.core.Tensor;
import dev.autograd.core.internal.Tensors;
import dev.autograd.core.kernels.KernelProvider;
import dev.autograd.core.kernels.Kernels;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * FLOAT32 matrix products timed the way {@code benchmarks/peers/matmul_shapes.py} times PyTorch:
 * each sample repeats the call long enough (≥ {@code --min-ms}), the median of {@code --reps}
 * samples is printed as {@code mm_shape.MxKxN[_tA|_tB].tT} in GFLOP/s and µs. Shapes are {@code
 * a.mm(b)} with a transposed operand as a strided view (as in backward); {@code MxKxN:t:kernel}
 * times the kernel alone; {@code sqN} is the square kernel into a preallocated C (PyTorch's {@code
 * out=}). Usage: {@code MatmulShapes [--reps 7] [--min-ms 50] [--warmup-ms 3000] [--clock wall|cpu]
 * [--shapes 64x1000x100,1000x64x100:tA,sq256]}. {@code --clock cpu} times the calling thread's CPU
 * time instead of the wall clock (rows then end in {@code .cpu}): on a shared machine it leaves out
 * the time other processes hold the core, so it is meant for one kernel thread ({@code
 * -Dautograd.threads=1}), where all the work runs on the calling thread.
 */
public final class MatmulShapes {
  private MatmulShapes() {}

  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  /** The seed MLP's products, the 784-512-256-10 batch-128 MLP's, a tiny one, and squares. */
  static final String DEFAULT_SHAPES =
      "64x1000x100,1000x64x100:tA,64x100x1000:tB,64x1000x100:tB,64x10x100:tB,100x64x10:tA,64x100x10,"
          + "128x784x512:tB,128x512x256:tB,128x256x10:tB,128x10x256,128x256x512,512x128x784:tA,256x128x512:tA,10x128x256:tA,"
          + "sq128,sq256,sq512,sq1024,sq2048";

  public static void main(String[] args) {
    int reps = Report.intArg(args, "--reps", 7);
    int minMs = Report.intArg(args, "--min-ms", 50);
    int warmMs = Report.intArg(args, "--warmup-ms", 3000);
    String shapes = KernelBench.stringArg(args, "--shapes", DEFAULT_SHAPES);
    String clock = KernelBench.stringArg(args, "--clock", "wall");
    if (!clock.equals("wall") && !clock.equals("cpu"))
      throw new IllegalArgumentException("--clock expects wall or cpu, got '" + clock + "'");
    LongSupplier now = clock.equals("cpu") ? CPU::getCurrentThreadCpuTime : System::nanoTime;
    Report.note("kernels: " + KernelProvider.get().name() + "; clock: " + clock);
    String t = Report.threadTag() + (clock.equals("cpu") ? ".cpu" : "");
    for (String shape : shapes.split(",")) {
      Runnable call;
      double flop;
      String name;
      Generator gen = new Generator(0);
      if (shape.startsWith("sq")) {
        int n = Integer.parseInt(shape.substring(2));
        float[] x = Tensor.randn(gen, DType.FLOAT32, n, n).toFloatArray();
        float[] y = Tensor.randn(gen, DType.FLOAT32, n, n).toFloatArray();
        float[] c = new float[n * n];
        Kernels k = KernelProvider.get();
        call = () -> k.gemm(n, n, n, x, 0, n, 1, y, 0, n, 1, c, 0, n, false);
        flop = 2.0 * n * n * n;
        name = "mm_out.n" + n + t;
      } else {
        String[] parts = shape.split(":");
        String[] d = parts[0].split("x");
        int m = Integer.parseInt(d[0]), k = Integer.parseInt(d[1]), n = Integer.parseInt(d[2]);
        String tr = parts.length > 1 ? parts[1] : "";
        Tensor a = operand(gen, m, k, tr.equals("tA"));
        Tensor b = operand(gen, k, n, tr.equals("tB"));
        flop = 2.0 * m * n * k;
        name = "mm_shape." + shape.replace(':', '_') + t;
        if (parts.length > 2
            && parts[2].equals("kernel")) { // the kernel alone, into a preallocated C
          float[] x = Tensors.storage(a).floats(),
              y = Tensors.storage(b).floats(),
              c = new float[m * n];
          int[] as = a.strideRef(), bs = b.strideRef();
          Kernels kern = KernelProvider.get();
          call = () -> kern.gemm(m, n, k, x, 0, as[0], as[1], y, 0, bs[0], bs[1], c, 0, n, false);
        } else {
          call = () -> a.mm(b);
        }
      }
      double[] ns = measure(call, reps, minMs, warmMs, now);
      double[] gflops = new double[ns.length];
      double[] us = new double[ns.length];
      for (int i = 0; i < ns.length; i++) {
        gflops[i] = flop / ns[i];
        us[i] = ns[i] / 1000;
      }
      Report.print(name, gflops, "GFLOP/s");
      Report.print(name + ".time", us, "us");
    }
  }

  /**
   * A random rows×cols FLOAT32 operand of a product, as a transposed view of a cols×rows matrix
   * when {@code transposed} (the layout backward's products read).
   */
  static Tensor operand(Generator gen, int rows, int cols, boolean transposed) {
    return transposed
        ? Tensor.randn(gen, DType.FLOAT32, cols, rows).t()
        : Tensor.randn(gen, DType.FLOAT32, rows, cols);
  }

  /**
   * The operands and zeroed outputs of the products {@code mkn[i]} = {m, k, n}, A (m×k) transposed
   * where {@code aT[i]}, B (k×n) where {@code bT[i]}: {as, bs, outs}, for {@code as[i].mm(bs[i],
   * outs[i])}.
   */
  static Tensor[][] products(Generator gen, int[][] mkn, boolean[] aT, boolean[] bT) {
    Tensor[][] abc = new Tensor[3][mkn.length];
    for (int i = 0; i < mkn.length; i++) {
      int m = mkn[i][0], k = mkn[i][1], n = mkn[i][2];
      abc[0][i] = operand(gen, m, k, aT[i]);
      abc[1][i] = operand(gen, k, n, bT[i]);
      abc[2][i] = Tensor.zeros(DType.FLOAT32, m, n);
    }
    return abc;
  }

  /**
   * Warms up for warmMs, calibrates an inner loop lasting ≥ minMs, warms on (up to warmMs more)
   * while that loop still gets faster, then takes reps samples in ns per call, read from {@code
   * now} (wall clock or thread CPU time).
   */
  static double[] measure(Runnable call, int reps, int minMs, int warmMs, LongSupplier now) {
    long warmEnd =
        System.nanoTime()
            + warmMs
                * 1_000_000L; // until C2 has compiled the Vector API code, calls are 100× slower
    while (System.nanoTime() < warmEnd) call.run();
    long count = 1;
    for (int warm = 0; warm < 3; warm++) { // three calibration rounds
      while (true) {
        long t0 = now.getAsLong();
        for (long i = 0; i < count; i++) call.run();
        long dt = now.getAsLong() - t0;
        if (dt >= minMs * 1e6) break;
        count = Math.max(count * 2, (long) (count * minMs * 1e6 / Math.max(dt, 1) * 1.2));
      }
    }
    // on a loaded machine C2 may still be compiling (or recompiling after a new shape's path
    // deoptimised a shared method): keep warming while batches still get faster
    long extraEnd = System.nanoTime() + warmMs * 1_000_000L;
    for (double prev = Double.MAX_VALUE; System.nanoTime() < extraEnd; ) {
      long t0 = now.getAsLong();
      for (long i = 0; i < count; i++) call.run();
      double perCall = (now.getAsLong() - t0) / (double) count;
      if (perCall > 0.95 * prev) break;
      prev = perCall;
    }
    List<Double> out = new ArrayList<>();
    for (int r = 0; r < reps; r++) {
      long t0 = now.getAsLong();
      for (long i = 0; i < count; i++) call.run();
      out.add((now.getAsLong() - t0) / (double) count);
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
