package dev.autograd.core.kernels.simd;

import dev.autograd.core.kernels.BinaryOp;
import dev.autograd.core.kernels.CompareOp;
import dev.autograd.core.kernels.UnaryOp;
import java.util.Random;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Warms the vector kernels a program asks for on a background daemon thread ("autograd-warmup")
 * while its calls run plain Java. A kernel family (float GEMM, the float ADD kernel, sum, ...) is
 * requested on its first call; the thread then runs that family's vector kernel over and over on
 * small inputs that take every path (GEMM: direct, packed A, packed transposed B, edge columns,
 * short row panels) and marks it warm once it runs at compiled speed and stops getting faster.
 * Loops of moderate length (K = 64) make C2 compile the methods themselves after a few hundred
 * calls, not only their loops on-stack (which the program's own calls could not enter), and give
 * it a trip-count profile long enough to unroll them as the program's own calls would (K = 16
 * cost the compiled GEMM ~10%). Code that
 * C2 has not compiled boxes every vector and runs 10–100× below that speed, so a rate only compiled
 * vector code reaches is a safe sign (a speed-up over the first rounds is not: C1's code is many
 * times faster than the interpreter's and still far slower than plain Java). A family that never
 * gets there (a slow transcendental) is switched over after {@link #MAX_NANOS}.
 */
final class VectorWarmup implements Runnable {
  static final int GEMM_F = 0, GEMM_D = 1, SUM_F = 2, SUM_D = 3, ADD_INTO_F = 4, ADD_INTO_D = 5, CLAMP_F = 6,
      MASK_F = 7, MASK_D = 8, ADAM_F = 9, ADAM_D = 10;
  private static final UnaryOp[] UNARY = UnaryOp.values();
  private static final BinaryOp[] BINARY = BinaryOp.values();
  private static final CompareOp[] COMPARE = CompareOp.values();
  static final int UNARY_F = 11, UNARY_D = UNARY_F + UNARY.length, BINARY_F = UNARY_D + UNARY.length,
      BINARY_D = BINARY_F + BINARY.length, COMPARE_F = BINARY_D + BINARY.length, COMPARE_D = COMPARE_F + COMPARE.length,
      FAMILIES = COMPARE_D + COMPARE.length;

  private static final int COLD = 0, REQUESTED = 1, WARM = 2;
  /** Rounds before a family may be called warm, and rounds without a new best after that. */
  private static final int MIN_ROUNDS = 20, PLATEAU = 12;
  /** Compiled-code rates: C2's vector code passes them easily, interpreted or C1 code does not. */
  private static final double GEMM_FLOP_PER_NS = 8, ELEMENTS_PER_NS = 2;

  private static final long MAX_NANOS = 10_000_000_000L;
  /**
   * Rounds after which a family has been called often enough for C2 to queue it: from then on the
   * thread pauses between rounds, leaving the CPU to the compiler (and the program) instead of
   * making more garbage with uncompiled vector code.
   */
  private static final int QUEUED_ROUNDS = 150;
  private static final long PAUSE_MILLIS = 2;
  private static final int N = 256;

  private final VectorKernels vec;
  private final AtomicIntegerArray state = new AtomicIntegerArray(FAMILIES);
  private final boolean enabled;
  private Thread thread;
  /** GEMM inputs {m, n, k, A transposed, B transposed, accumulate}, one per path. */
  private static final int[][] SHAPES = {
      {16, 40, 64, 0, 0, 0}, // direct, with a ragged column panel (one-vector kernel)
      {17, 36, 64, 0, 0, 1}, // direct, dot-product edge columns, a one-row panel, accumulating
      {24, 100, 64, 1, 0, 0}, // A transposed: edge columns along M
      {24, 132, 64, 1, 0, 0}, // A transposed and packed
      {16, 128, 272, 0, 0, 0}, // deep row-major A, packed through registers
      {24, 64, 64, 0, 1, 0}, // B transposed, packed through registers
      {8, 10, 16, 0, 1, 1}, // a small transposed B, copied dense
  };

  // the warm-up thread's own inputs and per-family progress
  private final float[] fa = new float[N], fb = new float[N], fo = new float[N], fm = new float[N], fv = new float[N];
  private final double[] da = new double[N], db = new double[N], dOut = new double[N], dm = new double[N], dv = new double[N];
  private final boolean[] mask = new boolean[N];
  private final int[] rounds = new int[FAMILIES], sinceBest = new int[FAMILIES];
  private final double[] bestRate = new double[FAMILIES];
  private final long[] firstRound = new long[FAMILIES];
  private double[] adamPlain = {0, 0.9, 0.1, 0.999, 0.001, 1, 1e-8, -0.001};
  private double[] adamDecay = {0.01, 0.9, 0.1, 0.999, 0.001, 1, 1e-8, -0.001};

  VectorWarmup(VectorKernels vec) {
    this.vec = vec;
    this.enabled = Boolean.parseBoolean(System.getProperty("autograd.warmup", "true"));
    if (!enabled) for (int f = 0; f < FAMILIES; f++) state.set(f, WARM);
  }

  /** Whether calls of family {@code f} may go to the vector kernel. */
  boolean warm(int f) {
    return state.get(f) == WARM;
  }

  /** Asks for family {@code f} to be warmed (the first call of a family starts the thread). */
  void request(int f) {
    if (state.get(f) == COLD && state.compareAndSet(f, COLD, REQUESTED)) wake();
  }

  private synchronized void wake() {
    if (thread == null) {
      thread = new Thread(this, "autograd-warmup");
      thread.setDaemon(true);
      thread.start();
    }
    notifyAll();
  }

  @Override
  public void run() {
    Random r = new Random(1);
    for (int i = 0; i < N; i++) {
      fa[i] = (float) r.nextGaussian();
      fb[i] = (float) r.nextGaussian();
      da[i] = r.nextGaussian();
      db[i] = r.nextGaussian();
    }
    float[][][] fGemm = new float[SHAPES.length][][];
    double[][][] dGemm = new double[SHAPES.length][][];
    for (int i = 0; i < SHAPES.length; i++) {
      int[] sh = SHAPES[i];
      fGemm[i] = new float[][] {new float[sh[0] * sh[2]], new float[sh[2] * sh[1]], new float[sh[0] * sh[1]]};
      dGemm[i] = new double[][] {new double[sh[0] * sh[2]], new double[sh[2] * sh[1]], new double[sh[0] * sh[1]]};
      for (int j = 0; j < fGemm[i][0].length; j++) dGemm[i][0][j] = fGemm[i][0][j] = (float) r.nextGaussian();
      for (int j = 0; j < fGemm[i][1].length; j++) dGemm[i][1][j] = fGemm[i][1][j] = (float) r.nextGaussian();
    }
    try {
      while (true) {
        boolean any = false, queued = true;
        for (int f = 0; f < FAMILIES; f++) {
          if (state.get(f) != REQUESTED) continue;
          any = true;
          queued &= rounds[f] >= QUEUED_ROUNDS;
          long t0 = System.nanoTime();
          if (rounds[f] == 0) firstRound[f] = t0;
          double work = round(f, fGemm, dGemm);
          long t = System.nanoTime() - t0;
          double rate = work / Math.max(1, t);
          rounds[f]++;
          if (rate > bestRate[f] * 1.05) {
            bestRate[f] = rate;
            sinceBest[f] = 0;
          } else {
            sinceBest[f]++;
          }
          double needed = f <= GEMM_D ? GEMM_FLOP_PER_NS : ELEMENTS_PER_NS;
          boolean compiled = rounds[f] >= MIN_ROUNDS && sinceBest[f] >= PLATEAU && bestRate[f] >= needed;
          if (compiled || t0 + t - firstRound[f] > MAX_NANOS) {
            state.set(f, WARM);
            if (Boolean.getBoolean("autograd.warmup.log")) {
              System.err.printf("autograd: warm-up family %d %s after %d rounds, %.0f ms (best %.3g per ns)%n", f,
                  compiled ? "compiled" : "timed out", rounds[f], (t0 + t - firstRound[f]) / 1e6, bestRate[f]);
            }
          }
        }
        if (!any) {
          synchronized (this) {
            if (!anyRequested()) wait();
          }
        } else if (queued) {
          Thread.sleep(PAUSE_MILLIS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      // warming is only an optimisation: the kernels report errors to their own callers
    } finally {
      for (int f = 0; f < FAMILIES; f++) state.set(f, WARM);
    }
  }

  /**
   * Waits up to {@code millis} until no requested family is still warming; true if none is. For
   * benchmarks that time the steady state: call after a few untimed steps.
   */
  synchronized boolean awaitWarm(long millis) throws InterruptedException {
    long end = System.nanoTime() + millis * 1_000_000L;
    while (anyRequested()) {
      long left = (end - System.nanoTime()) / 1_000_000L;
      if (left <= 0) return false;
      wait(Math.min(left, 10));
    }
    return true;
  }

  private boolean anyRequested() {
    for (int f = 0; f < FAMILIES; f++) if (state.get(f) == REQUESTED) return true;
    return false;
  }

  /** One round of family f's vector kernel; returns its work (FLOP for GEMM, elements otherwise). */
  private double round(int f, float[][][] fGemm, double[][][] dGemm) {
    if (f == GEMM_F) return gemmFloat(fGemm);
    if (f == GEMM_D) return gemmDouble(dGemm);
    int reps = 8;
    for (int rep = 0; rep < reps; rep++) {
      if (f >= COMPARE_D) vec.compare(COMPARE[f - COMPARE_D], da, 0, 1, db, 0, rep & 1, mask, 0, N);
      else if (f >= COMPARE_F) vec.compare(COMPARE[f - COMPARE_F], fa, 0, 1, fb, 0, rep & 1, mask, 0, N);
      else if (f >= BINARY_D) vec.binary(BINARY[f - BINARY_D], da, 0, rep % 3 == 2 ? 0 : 1, db, 0, rep % 3 == 1 ? 0 : 1, dOut, 0, N);
      else if (f >= BINARY_F) vec.binary(BINARY[f - BINARY_F], fa, 0, rep % 3 == 2 ? 0 : 1, fb, 0, rep % 3 == 1 ? 0 : 1, fo, 0, N);
      else if (f >= UNARY_D) vec.unary(UNARY[f - UNARY_D], 2, da, 0, 1, dOut, 0, N);
      else if (f >= UNARY_F) vec.unary(UNARY[f - UNARY_F], 2, fa, 0, 1, fo, 0, N);
      else if (f == SUM_F) vec.sum(fa, 0, N);
      else if (f == SUM_D) vec.sum(da, 0, N);
      else if (f == ADD_INTO_F) vec.addInto(fa, 0, fo, 0, N);
      else if (f == ADD_INTO_D) vec.addInto(da, 0, dOut, 0, N);
      else if (f == CLAMP_F) vec.clamp(fa, 0, 0f, rep % 2 == 0 ? Float.POSITIVE_INFINITY : 1f, fo, 0, N);
      else if (f == MASK_F) vec.maskGrad(fb, 0, fa, 0, 0f, Float.POSITIVE_INFINITY, rep % 2 == 0, fo, 0, N);
      else if (f == MASK_D) vec.maskGrad(db, 0, da, 0, 0, Double.POSITIVE_INFINITY, rep % 2 == 0, dOut, 0, N);
      else if (f == ADAM_F) vec.adam(fo, 0, fb, 0, fm, 0, fv, 0, null, 0, N, rep % 2 == 0 ? adamPlain : adamDecay);
      else if (f == ADAM_D) vec.adam(dOut, 0, db, 0, dm, 0, dv, 0, null, 0, N, rep % 2 == 0 ? adamPlain : adamDecay);
    }
    return (double) reps * N;
  }

  private double gemmFloat(float[][][] x) {
    double flop = 0;
    for (int i = 0; i < SHAPES.length; i++) {
      int[] s = SHAPES[i];
      int m = s[0], n = s[1], k = s[2];
      vec.gemm(m, n, k, x[i][0], 0, s[3] == 1 ? 1 : k, s[3] == 1 ? m : 1, x[i][1], 0, s[4] == 1 ? 1 : n, s[4] == 1 ? k : 1,
          x[i][2], 0, n, s[5] == 1);
      flop += 2.0 * m * n * k;
    }
    return flop;
  }

  private double gemmDouble(double[][][] x) {
    double flop = 0;
    for (int i = 0; i < SHAPES.length; i++) {
      int[] s = SHAPES[i];
      int m = s[0], n = s[1], k = s[2];
      vec.gemm(m, n, k, x[i][0], 0, s[3] == 1 ? 1 : k, s[3] == 1 ? m : 1, x[i][1], 0, s[4] == 1 ? 1 : n, s[4] == 1 ? k : 1,
          x[i][2], 0, n, s[5] == 1);
      flop += 2.0 * m * n * k;
    }
    return flop;
  }
}
