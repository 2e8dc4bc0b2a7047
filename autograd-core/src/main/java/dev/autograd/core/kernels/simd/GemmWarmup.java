package dev.autograd.core.kernels.simd;

/**
 * Calls the GEMM micro-kernels that a program calls only a few times per step, on tiny products of
 * its own, on a short-lived daemon thread, so that C2 compiles them early.
 *
 * <p>Until C2 has compiled a vector loop, every vector operation in it is an allocated object and a
 * call into the Vector API. C2 compiles a method after ~600 calls in its profiled (C1) form, or
 * after ~40,000 iterations of one of its loops (on-stack replacement, a second compile of the same
 * method later). The big products of a training step call their kernels hundreds of times per step
 * and get them compiled within a few steps; the narrow ones (a 10-class output layer: {@code
 * kernel1} and {@code kernel1t} for tiles of at most one vector of columns, {@code FloatEdge} for
 * the last 1–4 columns) call theirs a few times per step, which in the seed's 500-step program kept
 * them interpreted or C1-compiled for 50–150 steps, with 0.4–0.5 GB of garbage. Here they get their
 * ~1,000 calls in the first tenths of a second, on the other core, on the same code paths the
 * product drivers take, with K = 16 (each call a few hundred vector operations while cold). It
 * stops once a round of them runs fast a few times (C2 code: a microsecond or two; C1's: tens).
 *
 * <p>It computes on its own arrays, so it cannot change a result; it runs only where a second
 * processor can take it. {@code -Dautograd.simdWarmup=false} turns it off with the cold-loop split
 * of {@link Warmup}.
 */
final class GemmWarmup implements Runnable {
  private static final int L = VectorKernels.F.length();

  /** The depth of the warm-up products: 16 iterations plus the tile's loads and stores per call. */
  private static final int K = 16;

  /** The most rounds it runs (the kernels are compiled after ~1,000 on an idle core). */
  static final int MAX_ROUNDS = 3_000;

  /** A round this fast has run compiled code (C1's code takes ~30 µs, the interpreter's ~1 ms). */
  private static final long FAST_ROUND_NANOS = 10_000;

  /** Fast rounds before it stops (a round can be fast by chance only once in a while). */
  private static final int FAST_ROUNDS = 5;

  /** The floats a round writes: an 8×10 product, then 8 and 2L rows of the edge columns. */
  static final int RESULTS = 8 * 10 + (8 + 2 * L) * FloatEdge.MAX_COLUMNS;

  private static final Object LOCK = new Object();
  private static boolean started;

  /** Rounds the last run took, and a sum of its results (read so that no call is dead code). */
  static volatile int roundsRun;

  static volatile float sink;

  private GemmWarmup() {}

  /**
   * Starts the warm-up once per JVM, when enabled and there are at least two processors; returns
   * the thread, or null when none was started.
   */
  static Thread startOnce() {
    synchronized (LOCK) {
      if (started) return null;
      started = true;
    }
    return start(Warmup.ENABLED, Runtime.getRuntime().availableProcessors());
  }

  /** A warm-up thread, started, unless disabled or alone on one processor (then null). */
  static Thread start(boolean enabled, int processors) {
    if (!enabled || processors < 2) return null;
    Thread t = new Thread(new GemmWarmup(), "autograd-gemm-warmup");
    t.setDaemon(true);
    t.start();
    return t;
  }

  @Override
  public void run() {
    float[] c = new float[RESULTS];
    roundsRun = run(MAX_ROUNDS, c);
    float s = 0;
    for (float v : c) s += v;
    sink = s;
  }

  /**
   * Runs rounds until {@link #FAST_ROUNDS} of them were fast or {@code maxRounds} ran; returns the
   * rounds run. Each round: an 8×10 product with A's rows contiguous ({@code kernel1}, a partial
   * tile written through the tile buffer), the same with A transposed and added to C ({@code
   * kernel1t}), and four edge columns along K ({@code FloatEdge} dot products, 8 rows) and along M
   * (its axpys, 2L rows). {@code c} gets the results ({@link #RESULTS} floats, in that order).
   */
  static int run(int maxRounds, float[] c) {
    int m = 2 * L, n = 10, e = FloatEdge.MAX_COLUMNS;
    float[] a = new float[m * K], b = new float[K * n], scratch = new float[Math.max(e * K, 8 * L)];
    for (int i = 0; i < a.length; i++) a[i] = (i % 7) * 0.25f - 0.5f;
    for (int i = 0; i < b.length; i++) b[i] = (i % 5) * 0.5f - 1;
    int rounds = 0;
    for (int fast = 0; rounds < maxRounds && fast < FAST_ROUNDS; rounds++) {
      long t0 = System.nanoTime();
      FloatGemm.gemm(8, n, K, a, 0, K, 1, b, 0, n, 1, c, 0, n, false);
      FloatGemm.gemm(8, n, K, a, 0, 1, 8, b, 0, n, 1, c, 0, n, true);
      FloatEdge.columns(8, e, K, a, 0, K, 1, b, 0, n, 1, c, 8 * n, e, false, scratch);
      FloatEdge.columns(m, e, K, a, 0, 1, m, b, 0, n, 1, c, 8 * n + 8 * e, e, false, scratch);
      if (System.nanoTime() - t0 < FAST_ROUND_NANOS) fast++;
    }
    return rounds;
  }
}
