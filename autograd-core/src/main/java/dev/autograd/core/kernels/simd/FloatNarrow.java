package dev.autograd.core.kernels.simd;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FloatGemm} products with few columns (n = 10 in the seed's and MLP-784's backward), where
 * vectors along N would leave most lanes idle: vectorised along K (dot products) when A's rows and
 * B's columns are both contiguous, along M when A is transposed (its columns contiguous). Both need
 * full 16-lane vectors ({@link #SUPPORTED}); other machines keep the tiles of {@link FloatGemm}.
 */
final class FloatNarrow {
  private FloatNarrow() {}

  private static final VectorSpecies<Float> F = VectorKernels.F;
  private static final int L = F.length();
  private static final boolean FMA = VectorKernels.FAST_FMA; // Note [inline fma] in FloatGemm

  /** The 4-stage butterfly below folds exactly 16 lanes. */
  static final boolean SUPPORTED = L == 16;

  /**
   * The most columns taken here (blocks are ten columns wide, or two of five). Measured on Zen 5,
   * one thread, CPU time: (64×100)ᵀ·64×10 89 → 151 GFLOP/s, 128×256·(10×256)ᵀ 88 → 113–132.
   */
  static final int MAX_COLUMNS = 10;

  /** Columns of B per dot-product block, rows of A per block (15 sums, one butterfly). */
  private static final int DOT_COLS = 5, DOT_ROWS = 3;

  /** Columns of C per block of {@link #rowVectors}: ten accumulators keep both FMA pipes busy. */
  private static final int ROW_COLS = 10;

  /** Floats the {@code buf} of {@link #dots} and {@link #rowVectors} must hold. */
  static final int BUFFER = 2 * L * ROW_COLS + L;

  // the butterfly's stage d adds lanes l and l ^ d: SWAP exchanges them, HIGH selects lanes with
  // bit d
  private static final VectorShuffle<Float> SWAP8 = swap(8),
      SWAP4 = swap(4),
      SWAP2 = swap(2),
      SWAP1 = swap(1);
  private static final VectorMask<Float> HIGH8 = FloatPack.HIGH8,
      HIGH4 = FloatPack.HIGH4,
      HIGH2 = FloatPack.HIGH2,
      HIGH1 = FloatPack.HIGH1;

  private static VectorShuffle<Float> swap(int d) {
    return VectorShuffle.fromOp(F, l -> (l ^ d) % L);
  }

  /**
   * {@code VectorMask.fromArray(F, LAST, r)} selects lanes [L - r, L): the r values past a loop.
   */
  private static final boolean[] LAST = new boolean[2 * L];

  static {
    for (int l = L; l < 2 * L; l++) LAST[l] = true;
  }

  /**
   * C[0..m)[0..n) (+)= A · B with A's rows ({@code a[aOff + i·aRs + p]}) and B's columns ({@code
   * b[bOff + j·bCs + p]}) contiguous along K, k ≥ 16: each sum a dot product. Three rows by five
   * columns at a time in 15 accumulators, folded into one vector by a butterfly (four stages of
   * lane moves and adds) instead of 15 lane-by-lane reductions; a K that is not a multiple of 16
   * ends with one vector overlapping the previous, its repeated lanes zeroed. {@code buf} holds at
   * least {@link #BUFFER} floats.
   */
  static void dots(
      int m,
      int n,
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
      boolean add,
      float[] buf) {
    // the loop takes whole vectors before the last one, which always runs (no vector merges at a
    // branch) and holds the rem ∈ [1, L] values past them
    int end = F.loopBound(k - 1), rem = k - end, last = k - L;
    for (int i = 0; i < m; i += DOT_ROWS) {
      // rows past m repeat the last row (computed, never stored)
      int a0 = aOff + i * aRs,
          a1 = aOff + Math.min(i + 1, m - 1) * aRs,
          a2 = aOff + Math.min(i + 2, m - 1) * aRs;
      for (int j = 0; j < n; j += DOT_COLS) {
        int b0 = bOff + j * bCs,
            b1 = bOff + Math.min(j + 1, n - 1) * bCs,
            b2 = bOff + Math.min(j + 2, n - 1) * bCs,
            b3 = bOff + Math.min(j + 3, n - 1) * bCs,
            b4 = bOff + Math.min(j + 4, n - 1) * bCs;
        // made per block: made once per call, C2 kept one of them as an object (80 bytes per call)
        VectorMask<Float> fresh = VectorMask.fromArray(F, LAST, rem);
        FloatVector zero = FloatVector.zero(F);
        FloatVector s00 = zero, s01 = zero, s02 = zero, s03 = zero, s04 = zero;
        FloatVector s10 = zero, s11 = zero, s12 = zero, s13 = zero, s14 = zero;
        FloatVector s20 = zero, s21 = zero, s22 = zero, s23 = zero, s24 = zero;
        for (int p = 0; p < end; p += L) { // vector body
          FloatVector x0 = FloatVector.fromArray(F, a, a0 + p),
              x1 = FloatVector.fromArray(F, a, a1 + p),
              x2 = FloatVector.fromArray(F, a, a2 + p);
          FloatVector y0 = FloatVector.fromArray(F, b, b0 + p),
              y1 = FloatVector.fromArray(F, b, b1 + p),
              y2 = FloatVector.fromArray(F, b, b2 + p),
              y3 = FloatVector.fromArray(F, b, b3 + p),
              y4 = FloatVector.fromArray(F, b, b4 + p);
          s00 = FMA ? x0.fma(y0, s00) : s00.add(x0.mul(y0));
          s10 = FMA ? x1.fma(y0, s10) : s10.add(x1.mul(y0));
          s20 = FMA ? x2.fma(y0, s20) : s20.add(x2.mul(y0));
          s01 = FMA ? x0.fma(y1, s01) : s01.add(x0.mul(y1));
          s11 = FMA ? x1.fma(y1, s11) : s11.add(x1.mul(y1));
          s21 = FMA ? x2.fma(y1, s21) : s21.add(x2.mul(y1));
          s02 = FMA ? x0.fma(y2, s02) : s02.add(x0.mul(y2));
          s12 = FMA ? x1.fma(y2, s12) : s12.add(x1.mul(y2));
          s22 = FMA ? x2.fma(y2, s22) : s22.add(x2.mul(y2));
          s03 = FMA ? x0.fma(y3, s03) : s03.add(x0.mul(y3));
          s13 = FMA ? x1.fma(y3, s13) : s13.add(x1.mul(y3));
          s23 = FMA ? x2.fma(y3, s23) : s23.add(x2.mul(y3));
          s04 = FMA ? x0.fma(y4, s04) : s04.add(x0.mul(y4));
          s14 = FMA ? x1.fma(y4, s14) : s14.add(x1.mul(y4));
          s24 = FMA ? x2.fma(y4, s24) : s24.add(x2.mul(y4));
        }
        { // the last vector, ending at k: lanes already summed are zero in both operands (0·0 adds
          // 0)
          FloatVector x0 = zero.blend(FloatVector.fromArray(F, a, a0 + last), fresh),
              x1 = zero.blend(FloatVector.fromArray(F, a, a1 + last), fresh),
              x2 = zero.blend(FloatVector.fromArray(F, a, a2 + last), fresh);
          FloatVector y0 = zero.blend(FloatVector.fromArray(F, b, b0 + last), fresh),
              y1 = zero.blend(FloatVector.fromArray(F, b, b1 + last), fresh),
              y2 = zero.blend(FloatVector.fromArray(F, b, b2 + last), fresh),
              y3 = zero.blend(FloatVector.fromArray(F, b, b3 + last), fresh),
              y4 = zero.blend(FloatVector.fromArray(F, b, b4 + last), fresh);
          s00 = FMA ? x0.fma(y0, s00) : s00.add(x0.mul(y0));
          s10 = FMA ? x1.fma(y0, s10) : s10.add(x1.mul(y0));
          s20 = FMA ? x2.fma(y0, s20) : s20.add(x2.mul(y0));
          s01 = FMA ? x0.fma(y1, s01) : s01.add(x0.mul(y1));
          s11 = FMA ? x1.fma(y1, s11) : s11.add(x1.mul(y1));
          s21 = FMA ? x2.fma(y1, s21) : s21.add(x2.mul(y1));
          s02 = FMA ? x0.fma(y2, s02) : s02.add(x0.mul(y2));
          s12 = FMA ? x1.fma(y2, s12) : s12.add(x1.mul(y2));
          s22 = FMA ? x2.fma(y2, s22) : s22.add(x2.mul(y2));
          s03 = FMA ? x0.fma(y3, s03) : s03.add(x0.mul(y3));
          s13 = FMA ? x1.fma(y3, s13) : s13.add(x1.mul(y3));
          s23 = FMA ? x2.fma(y3, s23) : s23.add(x2.mul(y3));
          s04 = FMA ? x0.fma(y4, s04) : s04.add(x0.mul(y4));
          s14 = FMA ? x1.fma(y4, s14) : s14.add(x1.mul(y4));
          s24 = FMA ? x2.fma(y4, s24) : s24.add(x2.mul(y4));
        }
        // butterfly: sum v_q is left in lane q, for v_q = s(q % 3)(q / 3), q < 15, v_15 = 0.
        // fold(x, y, d) = x.blend(y, HIGHd) + y.blend(x, HIGHd).rearrange(SWAPd): lanes without
        // bit d hold x[l] + x[l + d], lanes with it y[l - d] + y[l]; stage 8 folds v_q with v_(q+8)
        FloatVector t0 = s00.blend(s22, HIGH8).add(s22.blend(s00, HIGH8).rearrange(SWAP8));
        FloatVector t1 = s10.blend(s03, HIGH8).add(s03.blend(s10, HIGH8).rearrange(SWAP8));
        FloatVector t2 = s20.blend(s13, HIGH8).add(s13.blend(s20, HIGH8).rearrange(SWAP8));
        FloatVector t3 = s01.blend(s23, HIGH8).add(s23.blend(s01, HIGH8).rearrange(SWAP8));
        FloatVector t4 = s11.blend(s04, HIGH8).add(s04.blend(s11, HIGH8).rearrange(SWAP8));
        FloatVector t5 = s21.blend(s14, HIGH8).add(s14.blend(s21, HIGH8).rearrange(SWAP8));
        FloatVector t6 = s02.blend(s24, HIGH8).add(s24.blend(s02, HIGH8).rearrange(SWAP8));
        FloatVector t7 = s12.blend(zero, HIGH8).add(zero.blend(s12, HIGH8).rearrange(SWAP8));
        // stages 4, 2, 1: t_q with t_(q+4), then t_(q+2), then t_1
        t0 = t0.blend(t4, HIGH4).add(t4.blend(t0, HIGH4).rearrange(SWAP4));
        t1 = t1.blend(t5, HIGH4).add(t5.blend(t1, HIGH4).rearrange(SWAP4));
        t2 = t2.blend(t6, HIGH4).add(t6.blend(t2, HIGH4).rearrange(SWAP4));
        t3 = t3.blend(t7, HIGH4).add(t7.blend(t3, HIGH4).rearrange(SWAP4));
        t0 = t0.blend(t2, HIGH2).add(t2.blend(t0, HIGH2).rearrange(SWAP2));
        t1 = t1.blend(t3, HIGH2).add(t3.blend(t1, HIGH2).rearrange(SWAP2));
        t0 = t0.blend(t1, HIGH1).add(t1.blend(t0, HIGH1).rearrange(SWAP1));
        t0.intoArray(buf, 0);
        int rows = Math.min(DOT_ROWS, m - i), cols = Math.min(DOT_COLS, n - j);
        for (int r = 0; r < rows; r++) {
          int ci = cOff + (i + r) * ldc + j;
          for (int q = 0; q < cols; q++) {
            float s = buf[q * DOT_ROWS + r];
            c[ci + q] = add ? c[ci + q] + s : s;
          }
        }
      }
    }
  }

  /**
   * C[0..m)[0..n) (+)= A · B for a transposed A (its columns contiguous: {@code a[aOff + p·aCs +
   * i]}), m ≥ 16: lanes along M, blocks of 32 rows (16 for the last few) by ten columns, each step
   * of K one or two vectors of A times ten broadcast values of B. A ragged end of M is one more
   * 16-row block ending at row m, overlapping the previous one, whose rows already written are
   * skipped. {@code buf} holds at least {@link #BUFFER} floats.
   */
  static void rowVectors(
      int m,
      int n,
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
    int cEnd = cOff + (m - 1) * ldc + n;
    for (int j = 0; j < n; j += ROW_COLS) {
      int i = 0;
      for (; i + 2 * L <= m; i += 2 * L)
        rows2(
            k,
            a,
            aOff + i,
            aCs,
            b,
            bOff,
            bRs,
            bCs,
            j,
            n,
            c,
            cOff + i * ldc,
            ldc,
            cEnd,
            0,
            add,
            buf);
      if (m - i > L) {
        rows1(
            k,
            a,
            aOff + i,
            aCs,
            b,
            bOff,
            bRs,
            bCs,
            j,
            n,
            c,
            cOff + i * ldc,
            ldc,
            cEnd,
            0,
            add,
            buf);
        i += L;
      }
      if (i < m) { // the last block ends at row m
        int start = m - L;
        rows1(
            k,
            a,
            aOff + start,
            aCs,
            b,
            bOff,
            bRs,
            bCs,
            j,
            n,
            c,
            cOff + start * ldc,
            ldc,
            cEnd,
            i - start,
            add,
            buf);
      }
    }
  }

  /**
   * Rows [skip, 2L) of a 2L-row block from {@code ai} (A) and {@code ci} (C), columns [j, j + 10)
   * clamped to n: twenty accumulators.
   */
  private static void rows2(
      int k,
      float[] a,
      int ai,
      int aCs,
      float[] b,
      int bOff,
      int bRs,
      int bCs,
      int j,
      int n,
      float[] c,
      int ci,
      int ldc,
      int cEnd,
      int skip,
      boolean add,
      float[] buf) {
    // columns past n repeat the last column (computed, never stored)
    int o0 = j * bCs,
        o1 = Math.min(j + 1, n - 1) * bCs,
        o2 = Math.min(j + 2, n - 1) * bCs,
        o3 = Math.min(j + 3, n - 1) * bCs,
        o4 = Math.min(j + 4, n - 1) * bCs,
        o5 = Math.min(j + 5, n - 1) * bCs,
        o6 = Math.min(j + 6, n - 1) * bCs,
        o7 = Math.min(j + 7, n - 1) * bCs,
        o8 = Math.min(j + 8, n - 1) * bCs,
        o9 = Math.min(j + 9, n - 1) * bCs;
    FloatVector c0 = FloatVector.zero(F), c1 = c0, c2 = c0, c3 = c0, c4 = c0;
    FloatVector c5 = c0, c6 = c0, c7 = c0, c8 = c0, c9 = c0;
    FloatVector d0 = c0, d1 = c0, d2 = c0, d3 = c0, d4 = c0;
    FloatVector d5 = c0, d6 = c0, d7 = c0, d8 = c0, d9 = c0;
    for (int p = 0, bp = bOff; p < k; p++, ai += aCs, bp += bRs) { // vector body
      FloatVector x = FloatVector.fromArray(F, a, ai), z = FloatVector.fromArray(F, a, ai + L), y;
      y = FloatVector.broadcast(F, b[bp + o0]);
      c0 = FMA ? x.fma(y, c0) : c0.add(x.mul(y));
      d0 = FMA ? z.fma(y, d0) : d0.add(z.mul(y));
      y = FloatVector.broadcast(F, b[bp + o1]);
      c1 = FMA ? x.fma(y, c1) : c1.add(x.mul(y));
      d1 = FMA ? z.fma(y, d1) : d1.add(z.mul(y));
      y = FloatVector.broadcast(F, b[bp + o2]);
      c2 = FMA ? x.fma(y, c2) : c2.add(x.mul(y));
      d2 = FMA ? z.fma(y, d2) : d2.add(z.mul(y));
      y = FloatVector.broadcast(F, b[bp + o3]);
      c3 = FMA ? x.fma(y, c3) : c3.add(x.mul(y));
      d3 = FMA ? z.fma(y, d3) : d3.add(z.mul(y));
      y = FloatVector.broadcast(F, b[bp + o4]);
      c4 = FMA ? x.fma(y, c4) : c4.add(x.mul(y));
      d4 = FMA ? z.fma(y, d4) : d4.add(z.mul(y));
      y = FloatVector.broadcast(F, b[bp + o5]);
      c5 = FMA ? x.fma(y, c5) : c5.add(x.mul(y));
      d5 = FMA ? z.fma(y, d5) : d5.add(z.mul(y));
      y = FloatVector.broadcast(F, b[bp + o6]);
      c6 = FMA ? x.fma(y, c6) : c6.add(x.mul(y));
      d6 = FMA ? z.fma(y, d6) : d6.add(z.mul(y));
      y = FloatVector.broadcast(F, b[bp + o7]);
      c7 = FMA ? x.fma(y, c7) : c7.add(x.mul(y));
      d7 = FMA ? z.fma(y, d7) : d7.add(z.mul(y));
      y = FloatVector.broadcast(F, b[bp + o8]);
      c8 = FMA ? x.fma(y, c8) : c8.add(x.mul(y));
      d8 = FMA ? z.fma(y, d8) : d8.add(z.mul(y));
      y = FloatVector.broadcast(F, b[bp + o9]);
      c9 = FMA ? x.fma(y, c9) : c9.add(x.mul(y));
      d9 = FMA ? z.fma(y, d9) : d9.add(z.mul(y));
    }
    c0.intoArray(buf, 0 * 2 * L);
    d0.intoArray(buf, 0 * 2 * L + L);
    c1.intoArray(buf, 1 * 2 * L);
    d1.intoArray(buf, 1 * 2 * L + L);
    c2.intoArray(buf, 2 * 2 * L);
    d2.intoArray(buf, 2 * 2 * L + L);
    c3.intoArray(buf, 3 * 2 * L);
    d3.intoArray(buf, 3 * 2 * L + L);
    c4.intoArray(buf, 4 * 2 * L);
    d4.intoArray(buf, 4 * 2 * L + L);
    c5.intoArray(buf, 5 * 2 * L);
    d5.intoArray(buf, 5 * 2 * L + L);
    c6.intoArray(buf, 6 * 2 * L);
    d6.intoArray(buf, 6 * 2 * L + L);
    c7.intoArray(buf, 7 * 2 * L);
    d7.intoArray(buf, 7 * 2 * L + L);
    c8.intoArray(buf, 8 * 2 * L);
    d8.intoArray(buf, 8 * 2 * L + L);
    c9.intoArray(buf, 9 * 2 * L);
    d9.intoArray(buf, 9 * 2 * L + L);
    writeRows(buf, 2 * L, skip, j, n, c, ci, ldc, cEnd, add);
  }

  /** {@link #rows2} for one vector of rows: rows [skip, L) of an L-row block. */
  private static void rows1(
      int k,
      float[] a,
      int ai,
      int aCs,
      float[] b,
      int bOff,
      int bRs,
      int bCs,
      int j,
      int n,
      float[] c,
      int ci,
      int ldc,
      int cEnd,
      int skip,
      boolean add,
      float[] buf) {
    int o0 = j * bCs,
        o1 = Math.min(j + 1, n - 1) * bCs,
        o2 = Math.min(j + 2, n - 1) * bCs,
        o3 = Math.min(j + 3, n - 1) * bCs,
        o4 = Math.min(j + 4, n - 1) * bCs,
        o5 = Math.min(j + 5, n - 1) * bCs,
        o6 = Math.min(j + 6, n - 1) * bCs,
        o7 = Math.min(j + 7, n - 1) * bCs,
        o8 = Math.min(j + 8, n - 1) * bCs,
        o9 = Math.min(j + 9, n - 1) * bCs;
    FloatVector c0 = FloatVector.zero(F), c1 = c0, c2 = c0, c3 = c0, c4 = c0;
    FloatVector c5 = c0, c6 = c0, c7 = c0, c8 = c0, c9 = c0;
    for (int p = 0, bp = bOff; p < k; p++, ai += aCs, bp += bRs) { // vector body
      FloatVector x = FloatVector.fromArray(F, a, ai), y;
      y = FloatVector.broadcast(F, b[bp + o0]);
      c0 = FMA ? x.fma(y, c0) : c0.add(x.mul(y));
      y = FloatVector.broadcast(F, b[bp + o1]);
      c1 = FMA ? x.fma(y, c1) : c1.add(x.mul(y));
      y = FloatVector.broadcast(F, b[bp + o2]);
      c2 = FMA ? x.fma(y, c2) : c2.add(x.mul(y));
      y = FloatVector.broadcast(F, b[bp + o3]);
      c3 = FMA ? x.fma(y, c3) : c3.add(x.mul(y));
      y = FloatVector.broadcast(F, b[bp + o4]);
      c4 = FMA ? x.fma(y, c4) : c4.add(x.mul(y));
      y = FloatVector.broadcast(F, b[bp + o5]);
      c5 = FMA ? x.fma(y, c5) : c5.add(x.mul(y));
      y = FloatVector.broadcast(F, b[bp + o6]);
      c6 = FMA ? x.fma(y, c6) : c6.add(x.mul(y));
      y = FloatVector.broadcast(F, b[bp + o7]);
      c7 = FMA ? x.fma(y, c7) : c7.add(x.mul(y));
      y = FloatVector.broadcast(F, b[bp + o8]);
      c8 = FMA ? x.fma(y, c8) : c8.add(x.mul(y));
      y = FloatVector.broadcast(F, b[bp + o9]);
      c9 = FMA ? x.fma(y, c9) : c9.add(x.mul(y));
    }
    c0.intoArray(buf, 0 * 2 * L);
    c1.intoArray(buf, 1 * 2 * L);
    c2.intoArray(buf, 2 * 2 * L);
    c3.intoArray(buf, 3 * 2 * L);
    c4.intoArray(buf, 4 * 2 * L);
    c5.intoArray(buf, 5 * 2 * L);
    c6.intoArray(buf, 6 * 2 * L);
    c7.intoArray(buf, 7 * 2 * L);
    c8.intoArray(buf, 8 * 2 * L);
    c9.intoArray(buf, 9 * 2 * L);
    writeRows(buf, L, skip, j, n, c, ci, ldc, cEnd, add);
  }

  /**
   * C's rows [skip, rows) × columns [j, j + 10) ∩ [0, n) (+)= buf[q·2L + r] (column j + q), 16 rows
   * at a time transposed in registers (columns past ten are -0) and written as one vector per row
   * where its extra lanes land on C's later rows; other rows lane by lane. {@code cEnd}: the end of
   * C's last row.
   */
  private static void writeRows(
      float[] buf,
      int rows,
      int skip,
      int j,
      int n,
      float[] c,
      int ci,
      int ldc,
      int cEnd,
      boolean add) {
    int cols = Math.min(ROW_COLS, n - j);
    // a row's vector may run on into the rows after it (zeros in its last lanes) when C has no
    // padding between rows and those rows are C's and still to be written (rows in order, one group
    // of columns): JDK 17 writes masked vectors lane by lane
    boolean spill = ldc == n && n <= ROW_COLS;
    for (int q = cols; q < ROW_COLS; q++) { // repeated columns become -0 too
      Arrays.fill(buf, q * 2 * L, (q + 1) * 2 * L, -0f);
    }
    for (int h = 0; h < rows; h += L) {
      if (skip >= h + L) continue;
      FloatVector zero = FloatVector.broadcast(F, -0f); // x + -0 is x, also for x = -0
      FloatVector v0 = FloatVector.fromArray(F, buf, 0 * 2 * L + h);
      FloatVector v1 = FloatVector.fromArray(F, buf, 1 * 2 * L + h);
      FloatVector v2 = FloatVector.fromArray(F, buf, 2 * 2 * L + h);
      FloatVector v3 = FloatVector.fromArray(F, buf, 3 * 2 * L + h);
      FloatVector v4 = FloatVector.fromArray(F, buf, 4 * 2 * L + h);
      FloatVector v5 = FloatVector.fromArray(F, buf, 5 * 2 * L + h);
      FloatVector v6 = FloatVector.fromArray(F, buf, 6 * 2 * L + h);
      FloatVector v7 = FloatVector.fromArray(F, buf, 7 * 2 * L + h);
      FloatVector v8 = FloatVector.fromArray(F, buf, 8 * 2 * L + h);
      FloatVector v9 = FloatVector.fromArray(F, buf, 9 * 2 * L + h);
      FloatVector v10 = zero;
      FloatVector v11 = zero;
      FloatVector v12 = zero;
      FloatVector v13 = zero;
      FloatVector v14 = zero;
      FloatVector v15 = zero;
      FloatVector t;
      // each line swaps the off-diagonal d×d blocks of rows (x, y = x + d), as
      // FloatPack.transpose16
      t = v0.blend(v8.rearrange(SWAP8), HIGH8);
      v8 = v0.rearrange(SWAP8).blend(v8, HIGH8);
      v0 = t;
      t = v1.blend(v9.rearrange(SWAP8), HIGH8);
      v9 = v1.rearrange(SWAP8).blend(v9, HIGH8);
      v1 = t;
      t = v2.blend(v10.rearrange(SWAP8), HIGH8);
      v10 = v2.rearrange(SWAP8).blend(v10, HIGH8);
      v2 = t;
      t = v3.blend(v11.rearrange(SWAP8), HIGH8);
      v11 = v3.rearrange(SWAP8).blend(v11, HIGH8);
      v3 = t;
      t = v4.blend(v12.rearrange(SWAP8), HIGH8);
      v12 = v4.rearrange(SWAP8).blend(v12, HIGH8);
      v4 = t;
      t = v5.blend(v13.rearrange(SWAP8), HIGH8);
      v13 = v5.rearrange(SWAP8).blend(v13, HIGH8);
      v5 = t;
      t = v6.blend(v14.rearrange(SWAP8), HIGH8);
      v14 = v6.rearrange(SWAP8).blend(v14, HIGH8);
      v6 = t;
      t = v7.blend(v15.rearrange(SWAP8), HIGH8);
      v15 = v7.rearrange(SWAP8).blend(v15, HIGH8);
      v7 = t;
      t = v0.blend(v4.rearrange(SWAP4), HIGH4);
      v4 = v0.rearrange(SWAP4).blend(v4, HIGH4);
      v0 = t;
      t = v1.blend(v5.rearrange(SWAP4), HIGH4);
      v5 = v1.rearrange(SWAP4).blend(v5, HIGH4);
      v1 = t;
      t = v2.blend(v6.rearrange(SWAP4), HIGH4);
      v6 = v2.rearrange(SWAP4).blend(v6, HIGH4);
      v2 = t;
      t = v3.blend(v7.rearrange(SWAP4), HIGH4);
      v7 = v3.rearrange(SWAP4).blend(v7, HIGH4);
      v3 = t;
      t = v8.blend(v12.rearrange(SWAP4), HIGH4);
      v12 = v8.rearrange(SWAP4).blend(v12, HIGH4);
      v8 = t;
      t = v9.blend(v13.rearrange(SWAP4), HIGH4);
      v13 = v9.rearrange(SWAP4).blend(v13, HIGH4);
      v9 = t;
      t = v10.blend(v14.rearrange(SWAP4), HIGH4);
      v14 = v10.rearrange(SWAP4).blend(v14, HIGH4);
      v10 = t;
      t = v11.blend(v15.rearrange(SWAP4), HIGH4);
      v15 = v11.rearrange(SWAP4).blend(v15, HIGH4);
      v11 = t;
      t = v0.blend(v2.rearrange(SWAP2), HIGH2);
      v2 = v0.rearrange(SWAP2).blend(v2, HIGH2);
      v0 = t;
      t = v1.blend(v3.rearrange(SWAP2), HIGH2);
      v3 = v1.rearrange(SWAP2).blend(v3, HIGH2);
      v1 = t;
      t = v4.blend(v6.rearrange(SWAP2), HIGH2);
      v6 = v4.rearrange(SWAP2).blend(v6, HIGH2);
      v4 = t;
      t = v5.blend(v7.rearrange(SWAP2), HIGH2);
      v7 = v5.rearrange(SWAP2).blend(v7, HIGH2);
      v5 = t;
      t = v8.blend(v10.rearrange(SWAP2), HIGH2);
      v10 = v8.rearrange(SWAP2).blend(v10, HIGH2);
      v8 = t;
      t = v9.blend(v11.rearrange(SWAP2), HIGH2);
      v11 = v9.rearrange(SWAP2).blend(v11, HIGH2);
      v9 = t;
      t = v12.blend(v14.rearrange(SWAP2), HIGH2);
      v14 = v12.rearrange(SWAP2).blend(v14, HIGH2);
      v12 = t;
      t = v13.blend(v15.rearrange(SWAP2), HIGH2);
      v15 = v13.rearrange(SWAP2).blend(v15, HIGH2);
      v13 = t;
      t = v0.blend(v1.rearrange(SWAP1), HIGH1);
      v1 = v0.rearrange(SWAP1).blend(v1, HIGH1);
      v0 = t;
      t = v2.blend(v3.rearrange(SWAP1), HIGH1);
      v3 = v2.rearrange(SWAP1).blend(v3, HIGH1);
      v2 = t;
      t = v4.blend(v5.rearrange(SWAP1), HIGH1);
      v5 = v4.rearrange(SWAP1).blend(v5, HIGH1);
      v4 = t;
      t = v6.blend(v7.rearrange(SWAP1), HIGH1);
      v7 = v6.rearrange(SWAP1).blend(v7, HIGH1);
      v6 = t;
      t = v8.blend(v9.rearrange(SWAP1), HIGH1);
      v9 = v8.rearrange(SWAP1).blend(v9, HIGH1);
      v8 = t;
      t = v10.blend(v11.rearrange(SWAP1), HIGH1);
      v11 = v10.rearrange(SWAP1).blend(v11, HIGH1);
      v10 = t;
      t = v12.blend(v13.rearrange(SWAP1), HIGH1);
      v13 = v12.rearrange(SWAP1).blend(v13, HIGH1);
      v12 = t;
      t = v14.blend(v15.rearrange(SWAP1), HIGH1);
      v15 = v14.rearrange(SWAP1).blend(v15, HIGH1);
      v14 = t;
      int cr = ci + h * ldc + j;
      if (h + 0 >= skip) {
        int o = cr + 0 * ldc;
        if (spill && o + L <= cEnd)
          (add ? v0.add(FloatVector.fromArray(F, c, o)) : v0).intoArray(c, o);
        else {
          v0.intoArray(buf, BUFFER - L);
          tail(buf, c, o, cols, add);
        }
      }
      if (h + 1 >= skip) {
        int o = cr + 1 * ldc;
        if (spill && o + L <= cEnd)
          (add ? v1.add(FloatVector.fromArray(F, c, o)) : v1).intoArray(c, o);
        else {
          v1.intoArray(buf, BUFFER - L);
          tail(buf, c, o, cols, add);
        }
      }
      if (h + 2 >= skip) {
        int o = cr + 2 * ldc;
        if (spill && o + L <= cEnd)
          (add ? v2.add(FloatVector.fromArray(F, c, o)) : v2).intoArray(c, o);
        else {
          v2.intoArray(buf, BUFFER - L);
          tail(buf, c, o, cols, add);
        }
      }
      if (h + 3 >= skip) {
        int o = cr + 3 * ldc;
        if (spill && o + L <= cEnd)
          (add ? v3.add(FloatVector.fromArray(F, c, o)) : v3).intoArray(c, o);
        else {
          v3.intoArray(buf, BUFFER - L);
          tail(buf, c, o, cols, add);
        }
      }
      if (h + 4 >= skip) {
        int o = cr + 4 * ldc;
        if (spill && o + L <= cEnd)
          (add ? v4.add(FloatVector.fromArray(F, c, o)) : v4).intoArray(c, o);
        else {
          v4.intoArray(buf, BUFFER - L);
          tail(buf, c, o, cols, add);
        }
      }
      if (h + 5 >= skip) {
        int o = cr + 5 * ldc;
        if (spill && o + L <= cEnd)
          (add ? v5.add(FloatVector.fromArray(F, c, o)) : v5).intoArray(c, o);
        else {
          v5.intoArray(buf, BUFFER - L);
          tail(buf, c, o, cols, add);
        }
      }
      if (h + 6 >= skip) {
        int o = cr + 6 * ldc;
        if (spill && o + L <= cEnd)
          (add ? v6.add(FloatVector.fromArray(F, c, o)) : v6).intoArray(c, o);
        else {
          v6.intoArray(buf, BUFFER - L);
          tail(buf, c, o, cols, add);
        }
      }
      if (h + 7 >= skip) {
        int o = cr + 7 * ldc;
        if (spill && o + L <= cEnd)
          (add ? v7.add(FloatVector.fromArray(F, c, o)) : v7).intoArray(c, o);
        else {
          v7.intoArray(buf, BUFFER - L);
          tail(buf, c, o, cols, add);
        }
      }
      if (h + 8 >= skip) {
        int o = cr + 8 * ldc;
        if (spill && o + L <= cEnd)
          (add ? v8.add(FloatVector.fromArray(F, c, o)) : v8).intoArray(c, o);
        else {
          v8.intoArray(buf, BUFFER - L);
          tail(buf, c, o, cols, add);
        }
      }
      if (h + 9 >= skip) {
        int o = cr + 9 * ldc;
        if (spill && o + L <= cEnd)
          (add ? v9.add(FloatVector.fromArray(F, c, o)) : v9).intoArray(c, o);
        else {
          v9.intoArray(buf, BUFFER - L);
          tail(buf, c, o, cols, add);
        }
      }
      if (h + 10 >= skip) {
        int o = cr + 10 * ldc;
        if (spill && o + L <= cEnd)
          (add ? v10.add(FloatVector.fromArray(F, c, o)) : v10).intoArray(c, o);
        else {
          v10.intoArray(buf, BUFFER - L);
          tail(buf, c, o, cols, add);
        }
      }
      if (h + 11 >= skip) {
        int o = cr + 11 * ldc;
        if (spill && o + L <= cEnd)
          (add ? v11.add(FloatVector.fromArray(F, c, o)) : v11).intoArray(c, o);
        else {
          v11.intoArray(buf, BUFFER - L);
          tail(buf, c, o, cols, add);
        }
      }
      if (h + 12 >= skip) {
        int o = cr + 12 * ldc;
        if (spill && o + L <= cEnd)
          (add ? v12.add(FloatVector.fromArray(F, c, o)) : v12).intoArray(c, o);
        else {
          v12.intoArray(buf, BUFFER - L);
          tail(buf, c, o, cols, add);
        }
      }
      if (h + 13 >= skip) {
        int o = cr + 13 * ldc;
        if (spill && o + L <= cEnd)
          (add ? v13.add(FloatVector.fromArray(F, c, o)) : v13).intoArray(c, o);
        else {
          v13.intoArray(buf, BUFFER - L);
          tail(buf, c, o, cols, add);
        }
      }
      if (h + 14 >= skip) {
        int o = cr + 14 * ldc;
        if (spill && o + L <= cEnd)
          (add ? v14.add(FloatVector.fromArray(F, c, o)) : v14).intoArray(c, o);
        else {
          v14.intoArray(buf, BUFFER - L);
          tail(buf, c, o, cols, add);
        }
      }
      if (h + 15 >= skip) {
        int o = cr + 15 * ldc;
        if (spill && o + L <= cEnd)
          (add ? v15.add(FloatVector.fromArray(F, c, o)) : v15).intoArray(c, o);
        else {
          v15.intoArray(buf, BUFFER - L);
          tail(buf, c, o, cols, add);
        }
      }
    }
  }

  /**
   * C[ci, ci + cols) (+)= buf's last L floats, lane by lane: for rows whose vector may not run on
   * (a vector is not passed here: Note [inline fma]).
   */
  private static void tail(float[] buf, float[] c, int ci, int cols, boolean add) {
    int t = BUFFER - L;
    for (int q = 0; q < cols; q++) c[ci + q] = add ? c[ci + q] + buf[t + q] : buf[t + q];
  }
}
