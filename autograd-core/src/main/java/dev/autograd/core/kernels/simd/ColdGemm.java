package dev.autograd.core.kernels.simd;

/**
 * Plain-Java twins of the float GEMM micro-kernels ({@link FloatGemm}'s tiles, {@link FloatEdge}'s
 * dot products and axpys), equal to them bit for bit, for the calls made while C2 has not compiled
 * the vector ones yet.
 *
 * <p>Before C2 compiles a micro-kernel, every vector operation in it is an allocated object: the
 * seed's first steps (64×1000·1000×100 and its gradients) allocated ~130 MB each and took tens of
 * milliseconds, and that garbage is what made G1 grow its young generation and the heap. So while a
 * kernel is cold, calls adding up to a small share of its work (the small calls first) run
 * vectorised and timed, and the others run here, in loops the JIT compiles in a few calls and that
 * allocate nothing; once the vector kernel has run fast three times it takes every call. The twins
 * repeat each kernel's arithmetic exactly — each element's products summed from zero in K order,
 * fused where the kernel fuses, the dot products' lanes reduced in lane order, the same final add
 * into C — so which one ran never changes a value ({@code ColdGemmParityTest}). {@code
 * -Dautograd.simdWarmup=false} sends every call to the vector kernels.
 */
final class ColdGemm {
  private ColdGemm() {}

  private static final int L = VectorKernels.F.length();
  private static final int MR = FloatGemm.MR, NR = FloatGemm.NR;
  private static final boolean FMA = VectorKernels.FAST_FMA;

  /**
   * A sampled call is fast when it takes at most this per unit of work: a tile's step of K (C2: a
   * few nanoseconds; C1 or the interpreter: microseconds, one allocated vector per operation).
   */
  private static final double TILE_NANOS_PER_STEP = 50;

  /** The same for the edge kernels, per row and step of K (C2: well under a nanosecond). */
  private static final double EDGE_NANOS_PER_ROW_STEP = 2;

  /**
   * The vector kernels' share of the work while cold, one in this many. The 8×2-vector tiles come
   * many per product (~430 in the seed's step), so an eighth of their work, small calls first,
   * makes C2's ~600 calls within a few steps; the other kernels are called a few times per product
   * (the edge kernels once) and get half, the edge kernels being compiled on the stack, by their
   * loops' iterations.
   */
  private static final int KERNEL2_SHARE = 8, OTHER_SHARE = 2;

  // one per vector kernel, as C2 compiles each on its own
  private static final Warmup KERNEL2 = new Warmup(), KERNEL2H = new Warmup();
  private static final Warmup KERNEL1 = new Warmup(), DOTS = new Warmup(), AXPYS = new Warmup();

  /** For tests: route every call to the twins (TWIN), to the vector kernels (VECTOR), or sample. */
  enum Mode {
    SAMPLE,
    TWIN,
    VECTOR
  }

  static volatile Mode mode = Mode.SAMPLE;

  /**
   * Whether a tile may still go to a twin: the 8-row kernels are not both warm yet (or a test
   * forces a mode). The half-height kernel, which many programs never call, does not hold the
   * switch.
   */
  static boolean tilesCold() {
    return !(KERNEL2.isWarm() && KERNEL1.isWarm()) || mode != Mode.SAMPLE;
  }

  /**
   * {@link FloatGemm}'s tile, by the vector kernel it would use or by the twin while it is cold.
   */
  static void tile(
      int kc,
      float[] a,
      int ai,
      int aRs,
      int aCs,
      int mr,
      float[] b,
      int bi,
      int bRs,
      float[] c,
      int ci,
      int ldc,
      int nr,
      boolean add,
      float[] tile) {
    int width = nr > L ? NR : L;
    Warmup w = width == L ? KERNEL1 : mr <= MR / 2 ? KERNEL2H : KERNEL2;
    if (useVector(w, kc, w == KERNEL2 ? KERNEL2_SHARE : OTHER_SHARE)) {
      if (w.isWarm()) {
        FloatGemm.vectorTile(kc, a, ai, aRs, aCs, mr, b, bi, bRs, c, ci, ldc, nr, add, tile);
        return;
      }
      long t0 = System.nanoTime();
      FloatGemm.vectorTile(kc, a, ai, aRs, aCs, mr, b, bi, bRs, c, ci, ldc, nr, add, tile);
      w.timedPer(t0, kc, TILE_NANOS_PER_STEP);
      return;
    }
    // tile[r·NR + j]: element (r, j)'s products summed from zero in K order, as the kernels do
    for (int r = 0; r < mr; r++) java.util.Arrays.fill(tile, r * NR, r * NR + nr, 0f);
    if (FMA && nr == NR) wholeWidth(kc, a, ai, aRs, aCs, mr, b, bi, bRs, tile);
    else {
      for (int p = 0; p < kc; p++, ai += aCs, bi += bRs) {
        for (int r = 0, t = 0; r < mr; r++, t += NR) {
          float av = a[ai + r * aRs];
          if (FMA) for (int j = 0; j < nr; j++) tile[t + j] = Math.fma(av, b[bi + j], tile[t + j]);
          else for (int j = 0; j < nr; j++) tile[t + j] = tile[t + j] + av * b[bi + j];
        }
      }
    }
    // a whole tile ends as sums + C (or + 0); a partial one as sums + 0 in the buffer, then added
    boolean whole = mr == MR && nr == width;
    for (int r = 0, t = 0; r < mr; r++, t += NR, ci += ldc) {
      for (int j = 0; j < nr; j++) {
        float s = tile[t + j];
        if (whole) c[ci + j] = add ? s + c[ci + j] : s + 0f;
        else c[ci + j] = add ? c[ci + j] + (s + 0f) : s + 0f;
      }
    }
  }

  /**
   * The tile's sums over a whole panel of NR columns: a loop of constant length, which C2 unrolls
   * and vectorises (the general loop above costs its setup per row and step).
   */
  private static void wholeWidth(
      int kc, float[] a, int ai, int aRs, int aCs, int mr, float[] b, int bi, int bRs, float[] t) {
    for (int p = 0; p < kc; p++, ai += aCs, bi += bRs) {
      for (int r = 0; r < mr; r++) {
        float av = a[ai + r * aRs];
        int row = r * NR;
        for (int j = 0; j < NR; j++) t[row + j] = Math.fma(av, b[bi + j], t[row + j]);
      }
    }
  }

  /** {@link FloatEdge}'s dot products (A's rows and B's columns contiguous along K). */
  static void dots(
      int m,
      int nr,
      int k,
      float[] a,
      int aOff,
      int aRs,
      float[] b,
      int bOff,
      int bCs,
      float[] c,
      int cOff,
      int ldc,
      boolean add) {
    if (useVector(DOTS, (long) m * k, OTHER_SHARE)) {
      if (DOTS.isWarm()) {
        FloatEdge.dots(m, nr, k, a, aOff, aRs, b, bOff, bCs, c, cOff, ldc, add);
        return;
      }
      long t0 = System.nanoTime();
      FloatEdge.dots(m, nr, k, a, aOff, aRs, b, bOff, bCs, c, cOff, ldc, add);
      DOTS.timedPer(t0, (long) m * k, EDGE_NANOS_PER_ROW_STEP);
      return;
    }
    int end = k - k % L;
    float[] lanes = new float[L];
    for (int i = 0; i < m; i++) {
      int ai = aOff + i * aRs;
      for (int j = 0; j < nr; j++) {
        int bj = bOff + j * bCs;
        java.util.Arrays.fill(lanes, 0f);
        for (int p = 0; p < end; p += L) { // lane l sums the products at l, l + L, ... (fused)
          for (int l = 0; l < L; l++) lanes[l] = Math.fma(a[ai + p + l], b[bj + p + l], lanes[l]);
        }
        float s = 0f;
        for (int l = 0; l < L; l++) s += lanes[l]; // the lanes reduced in order
        for (int p = end; p < k; p++) s += a[ai + p] * b[bj + p]; // the tail, not fused
        int cc = cOff + i * ldc + j;
        c[cc] = add ? c[cc] + s : s;
      }
    }
  }

  /** {@link FloatEdge}'s axpys (A transposed: its columns contiguous). */
  static void axpys(
      int m,
      int nr,
      int k,
      float[] a,
      int aOff,
      int aCs,
      float[] b,
      int bOff,
      int bRs,
      int bCs,
      float[] c,
      int cOff,
      int ldc,
      boolean add,
      float[] buf) {
    if (useVector(AXPYS, (long) m * k, OTHER_SHARE)) {
      if (AXPYS.isWarm()) {
        FloatEdge.axpys(m, nr, k, a, aOff, aCs, b, bOff, bRs, bCs, c, cOff, ldc, add, buf);
        return;
      }
      long t0 = System.nanoTime();
      FloatEdge.axpys(m, nr, k, a, aOff, aCs, b, bOff, bRs, bCs, c, cOff, ldc, add, buf);
      AXPYS.timedPer(t0, (long) m * k, EDGE_NANOS_PER_ROW_STEP);
      return;
    }
    int fused = m / (2 * L) * (2 * L); // rows the kernel takes in vectors; the rest it sums unfused
    int block = 2 * L;
    float[] acc = new float[block];
    for (int j = 0; j < nr; j++) {
      for (int i0 = 0; i0 < m; i0 += block) {
        int rows = Math.min(block, m - i0);
        java.util.Arrays.fill(acc, 0f);
        for (int p = 0, ai = aOff + i0, bi = bOff + j * bCs; p < k; p++, ai += aCs, bi += bRs) {
          float bv = b[bi];
          if (i0 < fused) for (int r = 0; r < rows; r++) acc[r] = Math.fma(a[ai + r], bv, acc[r]);
          else for (int r = 0; r < rows; r++) acc[r] += a[ai + r] * bv;
        }
        for (int r = 0; r < rows; r++) {
          int cc = cOff + (i0 + r) * ldc + j;
          c[cc] = add ? c[cc] + acc[r] : acc[r];
        }
      }
    }
  }

  private static boolean useVector(Warmup w, long work, int share) {
    Mode now = mode;
    return now == Mode.SAMPLE ? w.sample(work, share) : now == Mode.VECTOR;
  }
}
