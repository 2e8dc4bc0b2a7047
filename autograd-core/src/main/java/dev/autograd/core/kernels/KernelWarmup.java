package dev.autograd.core.kernels;

/**
 * Compiles the Vector API kernels before the program needs them. Vector API code is only fast
 * once C2 has compiled it (interpreted or C1-compiled, every vector operation allocates and runs
 * ~20-100x slower than plain Java), so {@link KernelProvider} serves the first calls from the
 * plain-Java kernels while this daemon thread runs every vector kernel on small inputs shaped like
 * training (the GEMM paths: in place, packed, transposed, narrow; each element-wise op) until its
 * rounds stop getting faster.
 */
final class KernelWarmup implements Runnable {
  private final Kernels k;

  KernelWarmup(Kernels k) {
    this.k = k;
  }

  /** Starts the warm-up on a daemon thread (it never keeps the JVM alive). */
  static void start(Kernels k) {
    Thread t = new Thread(new KernelWarmup(k), "autograd-kernel-warmup");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
  }

  // at most this long: on a machine too busy to compile, the program's own calls finish the job
  private static final long MAX_NANOS = 4_000_000_000L;

  @Override
  public void run() {
    long start = System.nanoTime(), best = Long.MAX_VALUE;
    int steady = 0;
    for (int round = 0; System.nanoTime() - start < MAX_NANOS; round++) {
      long t0 = System.nanoTime();
      round();
      long t = System.nanoTime() - t0;
      // warm when, after the compiles of the first rounds, a round is no slower than the best so far
      if (t < best) best = t;
      steady = round >= 30 && t <= best * 5 / 4 ? steady + 1 : 0;
      if (steady >= 10) return;
    }
  }

  private final float[] fa = fill(new float[128 * 128]), fb = fill(new float[128 * 128]), fc = new float[128 * 128];
  private final double[] da = fill(new double[48 * 64]), db = fill(new double[48 * 64]), dc = new double[48 * 64];
  private final float[] fx = fill(new float[256]), fy = fill(new float[256]), fz = new float[256], fm = new float[256], fv = new float[256];
  private final double[] adam = {0, 0.9, 0.1, 0.999, 0.001, 1, 1e-8, -1e-3};

  // the element-wise ops the vector kernels implement (the others run plain Java either way)
  private static final UnaryOp[] UNARY = {UnaryOp.RELU, UnaryOp.EXP, UnaryOp.LOG, UnaryOp.TANH, UnaryOp.SIGMOID, UnaryOp.SILU,
      UnaryOp.NEG, UnaryOp.ABS, UnaryOp.SQRT, UnaryOp.SQUARE, UnaryOp.RECIPROCAL, UnaryOp.LEAKY_RELU, UnaryOp.ADD_SCALAR, UnaryOp.MUL_SCALAR};
  private static final BinaryOp[] BINARY = {BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.DIV, BinaryOp.MAX, BinaryOp.MIN};

  private static float[] fill(float[] a) {
    for (int i = 0; i < a.length; i++) a[i] = 0.1f + 0.8f * ((i * 37) % 101) / 101f;
    return a;
  }

  private static double[] fill(double[] a) {
    for (int i = 0; i < a.length; i++) a[i] = 0.1 + 0.8 * ((i * 37) % 101) / 101.0;
    return a;
  }

  private void round() {
    // GEMM: C = A·B with A and B as given, transposed (as in backward), narrow and ragged
    k.gemm(64, 100, 96, fa, 0, 96, 1, fb, 0, 100, 1, fc, 0, 100, false);
    k.gemm(96, 128, 64, fa, 0, 1, 96, fb, 0, 128, 1, fc, 0, 128, false);
    k.gemm(64, 128, 100, fa, 0, 100, 1, fb, 0, 1, 100, fc, 0, 128, true);
    k.gemm(64, 10, 100, fa, 0, 100, 1, fb, 0, 10, 1, fc, 0, 10, false);
    k.gemm(100, 64, 10, fa, 0, 1, 100, fb, 0, 64, 1, fc, 0, 64, false);
    k.gemm(10, 100, 64, fa, 0, 1, 10, fb, 0, 100, 1, fc, 0, 100, false);
    k.gemm(64, 100, 10, fa, 0, 10, 1, fb, 0, 1, 10, fc, 0, 100, false);
    k.gemm(40, 48, 64, da, 0, 64, 1, db, 0, 48, 1, dc, 0, 48, false);
    int n = fx.length;
    for (UnaryOp op : UNARY) k.unary(op, 0.5, fx, 0, 1, fz, 0, n);
    for (BinaryOp op : BINARY) {
      k.binary(op, fx, 0, 1, fy, 0, 1, fz, 0, n);
      k.binary(op, fx, 0, 1, fy, 0, 0, fz, 0, n);
    }
    k.compare(CompareOp.values()[0], fx, 0, 1, fy, 0, 1, new boolean[n], 0, n);
    k.sum(fx, 0, n);
    k.addInto(fx, 0, fz, 0, n);
    k.clamp(fx, 0, 0.3f, Float.POSITIVE_INFINITY, fz, 0, n);
    k.maskGrad(fy, 0, fx, 0, 0.3f, Float.POSITIVE_INFINITY, true, fz, 0, n);
    java.util.Arrays.fill(fm, 0);
    java.util.Arrays.fill(fv, 0);
    System.arraycopy(fx, 0, fz, 0, n);
    k.adam(fz, 0, fy, 0, fm, 0, fv, 0, null, 0, n, adam);
  }
}
