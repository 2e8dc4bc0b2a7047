package dev.autograd.core.kernels.simd;

/**
 * Whether one vector loop runs compiled yet, so that a cold loop gets only a small share of each
 * call.
 *
 * <p>Until C2 has compiled a Vector API loop, every vector operation in it is an allocated object
 * and a call: about 1–2 µs and ~1.5 KB of garbage per 16 floats, against a few nanoseconds compiled
 * and about one nanosecond in a plain-Java loop. A relu mask over the seed's 64×100 activations
 * took 1.5 ms per call for its first ~400 calls (most of a 500-step program) and 1 µs after. So
 * while a loop is cold, the kernels give it the first {@link #PREFIX} elements of each mid-sized
 * call — enough for the JIT to compile it — and run the rest in plain Java; once the prefix has run
 * fast a few times, the loop gets whole calls. Used only where the vector and plain-Java loops give
 * equal results bit for bit ({@code KernelParityTest}), so the split never changes a value. {@code
 * -Dautograd.simdWarmup=false} gives vector loops whole calls from the start.
 */
final class Warmup {
  /**
   * Elements a cold loop gets per call: 32 iterations of 16 lanes, enough for C2 to compile it
   * after ~600 calls (its threshold: 600 invocations and 15,000 invocations plus loop iterations).
   */
  static final int PREFIX = 512;

  /**
   * Calls at least this long go to the vector loop whole even while it is cold: their own loop
   * iterations get it compiled within a few calls (on-stack replacement), and plain Java would cost
   * more per call than that (a 100,000-float update ~70 µs) until it is.
   */
  static final int WHOLE = 16_384;

  /**
   * Compiled by C2, the prefix takes ~10–50 ns; interpreted, tens of microseconds; compiled by C1
   * (which boxes every vector too), close to a microsecond. A slow reading (a preemption, a cold
   * cache) only delays the switch.
   */
  private static final long FAST_NANOS = 200;

  private static final int FAST_READINGS = 3;

  private static final boolean ENABLED =
      Boolean.parseBoolean(System.getProperty("autograd.simdWarmup", "true"));

  private volatile boolean warm = !ENABLED;

  // racy counts are harmless: they only move the moment of the switch, never a result
  private int fastReadings;

  /** A warm loop (for tests: the kernels as they run once everything is compiled). */
  static Warmup warmed() {
    Warmup w = new Warmup();
    w.warm = true;
    return w;
  }

  static Warmup[] perOp(int count, boolean warm) {
    Warmup[] ws = new Warmup[count];
    for (int i = 0; i < count; i++) ws[i] = warm ? warmed() : new Warmup();
    return ws;
  }

  /** How many of a call's {@code n} elements the vector loop takes: all once warm. */
  int share(int n) {
    return warm || n <= PREFIX || n >= WHOLE ? n : PREFIX;
  }

  /** Whether whole calls go to the vector loop now. */
  boolean isWarm() {
    return warm;
  }

  /** Records how long the vector loop took for a prefix that started at {@code startNanos}. */
  void timed(long startNanos) {
    record(System.nanoTime() - startNanos);
  }

  void record(long nanos) {
    if (nanos <= FAST_NANOS && ++fastReadings >= FAST_READINGS) warm = true;
  }
}
