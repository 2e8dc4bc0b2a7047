package dev.autograd.core.kernels.simd;

import dev.autograd.core.kernels.Parallel;
import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The FLOAT64 twin of {@link FloatGemm}: the same packed, cache-blocked structure and 8×2-vector
 * micro-kernel on double vectors of the same bit size (half the lanes). See FloatGemm for the
 * blocking scheme and the JDK 17 notes.
 */
final class DoubleGemm {
  private DoubleGemm() {}

  private static final VectorSpecies<Double> D = VectorKernels.D;

  // Note [inline fma]: the micro-kernels spell out a.fma(b, c) (or c + a·b without FMA hardware)
  // instead of calling a helper: once C2's compile of a kernel passes its node budget it stops
  // inlining our own small methods (the Vector API's are force-inlined), and every vector crossing
  // such a call is boxed: megabytes of garbage per step and a kernel several times slower.
  private static final boolean FMA = VectorKernels.FAST_FMA;
  private static final int L = D.length();
  static final int MR = 8;
  static final int NR = 2 * L;
  private static final int KC = 128; // 128 doubles deep: a B panel (KC×NR) fills half of L1
  private static final int MC = 96;
  private static final int NC = 4096;

  /** Parallel products are cut into this many chunks per thread (as in {@link FloatGemm}). */
  private static final int CHUNKS_PER_THREAD = 4;

  /** Column panels per chunk for products split by columns (as in {@link FloatGemm}). */
  private static final int MIN_CHUNK_PANELS = 8;

  /** A is packed only when it is reused over enough column panels to repay the copy. */
  private static final int PACK_A_MIN_N = 4 * NR;

  /** Per-thread buffers: the packed B slab, the packed A block, one edge panel, one C tile. */
  private static final class Scratch {
    double[] b = new double[0];
    double[] a = new double[MC * KC];
    final double[] edge = new double[KC * NR];
    final double[] tile = new double[MR * NR];
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  static void gemm(
      int m,
      int n,
      int k,
      double[] a,
      int aOff,
      int aRs,
      int aCs,
      double[] b,
      int bOff,
      int bRs,
      int bCs,
      double[] c,
      int cOff,
      int ldc,
      boolean accumulate) {
    if (m == 0 || n == 0) return;
    if (k == 0) {
      if (!accumulate)
        for (int i = 0; i < m; i++) Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0d);
      return;
    }
    int threads = 2.0 * m * n * k >= Parallel.MIN_PARALLEL_FLOPS ? Parallel.threads() : 1;
    boolean packA = n >= PACK_A_MIN_N && m > MR;
    boolean packB = bCs != 1 || ((long) k * n > 256 * 1024 && m > 64);
    Scratch own = SCRATCH.get();
    for (int j0 = 0; j0 < n; j0 += NC) {
      int nc = Math.min(NC, n - j0);
      int colPanels = (nc + NR - 1) / NR;
      for (int p0 = 0; p0 < k; p0 += KC) {
        int kc = Math.min(KC, k - p0);
        boolean add = accumulate || p0 > 0;
        // B source for this slab: a packed slab (panel stride NR·kc, row stride NR), or B in place
        // with only the ragged last panel packed into the edge buffer
        double[] bs;
        int bsOff, bsRs, bsPanel;
        if (packB) {
          if (own.b.length < colPanels * NR * kc) own.b = new double[colPanels * NR * KC];
          double[] dst = own.b;
          int pj0 = j0, pp0 = p0;
          int packChunks = Math.min(colPanels, CHUNKS_PER_THREAD * threads);
          // one chunk: a direct call, so no lambda is made whether or not C2 inlines share
          if (packChunks == 1) packPanels(b, bOff, bRs, bCs, kc, n, pj0, pp0, dst, 0, colPanels);
          else
            Parallel.share(
                packChunks,
                ch ->
                    packPanels(
                        b,
                        bOff,
                        bRs,
                        bCs,
                        kc,
                        n,
                        pj0,
                        pp0,
                        dst,
                        colPanels * ch / packChunks,
                        colPanels * (ch + 1) / packChunks));
          bs = dst;
          bsOff = 0;
          bsRs = NR;
          bsPanel = NR * kc;
        } else {
          bs = b;
          bsOff = bOff + p0 * bRs + j0;
          bsRs = bRs;
          bsPanel = NR;
          int lastCol = j0 + (colPanels - 1) * NR;
          if (n - lastCol < NR)
            packB(b, bOff + p0 * bRs + lastCol, bRs, 1, kc, n - lastCol, own.edge, 0);
        }
        int rowPanels = (m + MR - 1) / MR;
        boolean splitRows =
            rowPanels >= threads && (rowPanels >= 4 * threads || rowPanels >= colPanels);
        // column chunks each pack A again: give each MIN_CHUNK_PANELS panels where there are enough
        int units =
            splitRows
                ? rowPanels
                : Math.max(Math.min(threads, colPanels), colPanels / MIN_CHUNK_PANELS);
        int chunks = threads == 1 ? 1 : Math.min(units, CHUNKS_PER_THREAD * threads);
        double[] edge = own.edge;
        int bo = bsOff, br = bsRs, bp = bsPanel, pp0 = p0, pj0 = j0;
        if (chunks == 1) { // a direct call, as for packing
          block(
              m,
              kc,
              a,
              aOff + pp0 * aCs,
              aRs,
              aCs,
              packA,
              bs,
              bo,
              br,
              bp,
              packB,
              edge,
              c,
              cOff + pj0,
              ldc,
              nc,
              0,
              rowPanels,
              0,
              colPanels,
              add);
          continue;
        }
        Parallel.share(
            chunks,
            ch -> {
              int r0 = 0, r1 = rowPanels, c0 = 0, c1 = colPanels;
              if (splitRows) {
                r0 = rowPanels * ch / chunks;
                r1 = rowPanels * (ch + 1) / chunks;
              } else {
                c0 = colPanels * ch / chunks;
                c1 = colPanels * (ch + 1) / chunks;
              }
              block(
                  m,
                  kc,
                  a,
                  aOff + pp0 * aCs,
                  aRs,
                  aCs,
                  packA,
                  bs,
                  bo,
                  br,
                  bp,
                  packB,
                  edge,
                  c,
                  cOff + pj0,
                  ldc,
                  nc,
                  r0,
                  r1,
                  c0,
                  c1,
                  add);
            });
      }
    }
  }

  /** Packs B's column panels {@code lo..hi-1} of the slab at (p0, j0) into {@code dst}. */
  private static void packPanels(
      double[] b,
      int bOff,
      int bRs,
      int bCs,
      int kc,
      int n,
      int j0,
      int p0,
      double[] dst,
      int lo,
      int hi) {
    for (int jp = lo; jp < hi; jp++) {
      int col = j0 + jp * NR;
      packB(b, bOff + p0 * bRs + col * bCs, bRs, bCs, kc, Math.min(NR, n - col), dst, jp * NR * kc);
    }
  }

  /** Row panels [r0, r1) × column panels [c0, c1) of one slab, in MC-row blocks. */
  private static void block(
      int m,
      int kc,
      double[] a,
      int aOff,
      int aRs,
      int aCs,
      boolean packA,
      double[] b,
      int bOff,
      int bRs,
      int bPanel,
      boolean packedB,
      double[] edge,
      double[] c,
      int cOff,
      int ldc,
      int nc,
      int r0,
      int r1,
      int c0,
      int c1,
      boolean add) {
    Scratch s = SCRATCH.get();
    int panelsPerBlock = MC / MR;
    for (int rb = r0; rb < r1; rb += panelsPerBlock) {
      int rbEnd = Math.min(r1, rb + panelsPerBlock);
      double[] ab = a;
      int abOff, abRs, abCs, abPanel;
      if (packA) {
        for (int ip = rb; ip < rbEnd; ip++) {
          packA(
              a,
              aOff + ip * MR * aRs,
              aRs,
              aCs,
              kc,
              Math.min(MR, m - ip * MR),
              s.a,
              (ip - rb) * MR * kc);
        }
        ab = s.a;
        abOff = -rb * MR * kc;
        abRs = 1;
        abCs = MR;
        abPanel = MR * kc;
      } else {
        abOff = aOff;
        abRs = aRs;
        abCs = aCs;
        abPanel = MR * aRs;
      }
      for (int jp = c0; jp < c1; jp++) {
        int col = jp * NR;
        int nr = Math.min(NR, nc - col);
        double[] bb = b;
        int bi = bOff + jp * bPanel, bStride = bRs;
        if (!packedB && nr < NR) {
          bb = edge;
          bi = 0;
          bStride = NR;
        }
        for (int ip = rb; ip < rbEnd; ip++) {
          int mr = Math.min(MR, m - ip * MR);
          int ci = cOff + ip * MR * ldc + col;
          if (nr > L) {
            tile2(
                kc,
                ab,
                abOff + ip * abPanel,
                abRs,
                abCs,
                mr,
                bb,
                bi,
                bStride,
                c,
                ci,
                ldc,
                nr,
                add,
                s.tile);
          } else {
            tile1(
                kc,
                ab,
                abOff + ip * abPanel,
                abRs,
                abCs,
                mr,
                bb,
                bi,
                bStride,
                c,
                ci,
                ldc,
                nr,
                add,
                s.tile);
          }
        }
      }
    }
  }

  /** Copies rows [0, mr) × [0, kc) of A into one MR-interleaved panel: dst[p·MR + r]. */
  private static void packA(
      double[] a, int off, int rs, int cs, int kc, int mr, double[] dst, int d) {
    if (mr == MR
        && rs == 1) { // A transposed: MR consecutive values per step, too few for arraycopy
      for (int p = 0; p < kc; p++, d += MR) {
        int src = off + p * cs;
        for (int r = 0; r < MR; r++) dst[d + r] = a[src + r];
      }
      return;
    }
    for (int r = 0; r < mr; r++) {
      int src = off + r * rs;
      for (int p = 0; p < kc; p++) dst[d + p * MR + r] = a[src + p * cs];
    }
  }

  /** Copies rows [0, kc) × columns [0, nr) of B into one NR-wide panel: dst[p·NR + j]. */
  private static void packB(
      double[] b, int off, int rs, int cs, int kc, int nr, double[] dst, int d) {
    if (cs == 1 && nr == NR) {
      for (int p = 0; p < kc; p++, d += NR) { // vector body
        int src = off + p * rs;
        DoubleVector.fromArray(D, b, src).intoArray(dst, d);
        DoubleVector.fromArray(D, b, src + L).intoArray(dst, d + L);
      }
      return;
    }
    if (cs == 1) { // a ragged panel: short rows, too short for arraycopy's fixed cost
      for (int p = 0; p < kc; p++, off += rs, d += NR) {
        for (int j = 0; j < nr; j++) dst[d + j] = b[off + j];
      }
      return;
    }
    // NOTE: no gather here: a double gather takes a half-size int index vector, and JDK 17
    // slows down when vector sizes mix.
    for (int j = 0; j < nr; j++) { // read along each source column
      int src = off + j * cs;
      for (int p = 0; p < kc; p++) dst[d + p * NR + j] = b[src + p * rs];
    }
  }

  /**
   * The 8×2-vector micro-kernel: C[0..mr)[0..nr) (+)= A-panel · B-panel over kc steps, with all 16
   * accumulators in registers. A row r is read at {@code a[ai + min(r, mr-1)·aRs + p·aCs]} (rows
   * past mr repeat the last one and are not stored), B row p at {@code b[bi + p·bRs]}.
   */
  private static void tile2(
      int kc,
      double[] a,
      int ai,
      int aRs,
      int aCs,
      int mr,
      double[] b,
      int bi,
      int bRs,
      double[] c,
      int ci,
      int ldc,
      int nr,
      boolean add,
      double[] tile) {
    int o1 = Math.min(1, mr - 1) * aRs,
        o2 = Math.min(2, mr - 1) * aRs,
        o3 = Math.min(3, mr - 1) * aRs,
        o4 = Math.min(4, mr - 1) * aRs,
        o5 = Math.min(5, mr - 1) * aRs,
        o6 = Math.min(6, mr - 1) * aRs,
        o7 = Math.min(7, mr - 1) * aRs;
    DoubleVector c00 = DoubleVector.zero(D),
        c01 = c00,
        c10 = c00,
        c11 = c00,
        c20 = c00,
        c21 = c00,
        c30 = c00,
        c31 = c00,
        c40 = c00,
        c41 = c00,
        c50 = c00,
        c51 = c00,
        c60 = c00,
        c61 = c00,
        c70 = c00,
        c71 = c00;
    for (int p = 0; p < kc; p++, ai += aCs, bi += bRs) { // vector body
      DoubleVector b0 = DoubleVector.fromArray(D, b, bi);
      DoubleVector b1 = DoubleVector.fromArray(D, b, bi + L);
      DoubleVector av = DoubleVector.broadcast(D, a[ai]);
      c00 = FMA ? av.fma(b0, c00) : c00.add(av.mul(b0));
      c01 = FMA ? av.fma(b1, c01) : c01.add(av.mul(b1));
      av = DoubleVector.broadcast(D, a[ai + o1]);
      c10 = FMA ? av.fma(b0, c10) : c10.add(av.mul(b0));
      c11 = FMA ? av.fma(b1, c11) : c11.add(av.mul(b1));
      av = DoubleVector.broadcast(D, a[ai + o2]);
      c20 = FMA ? av.fma(b0, c20) : c20.add(av.mul(b0));
      c21 = FMA ? av.fma(b1, c21) : c21.add(av.mul(b1));
      av = DoubleVector.broadcast(D, a[ai + o3]);
      c30 = FMA ? av.fma(b0, c30) : c30.add(av.mul(b0));
      c31 = FMA ? av.fma(b1, c31) : c31.add(av.mul(b1));
      av = DoubleVector.broadcast(D, a[ai + o4]);
      c40 = FMA ? av.fma(b0, c40) : c40.add(av.mul(b0));
      c41 = FMA ? av.fma(b1, c41) : c41.add(av.mul(b1));
      av = DoubleVector.broadcast(D, a[ai + o5]);
      c50 = FMA ? av.fma(b0, c50) : c50.add(av.mul(b0));
      c51 = FMA ? av.fma(b1, c51) : c51.add(av.mul(b1));
      av = DoubleVector.broadcast(D, a[ai + o6]);
      c60 = FMA ? av.fma(b0, c60) : c60.add(av.mul(b0));
      c61 = FMA ? av.fma(b1, c61) : c61.add(av.mul(b1));
      av = DoubleVector.broadcast(D, a[ai + o7]);
      c70 = FMA ? av.fma(b0, c70) : c70.add(av.mul(b0));
      c71 = FMA ? av.fma(b1, c71) : c71.add(av.mul(b1));
    }
    // store: the tile goes through the L1-resident tile buffer (see flush)
    c00.intoArray(tile, 0 * NR);
    c01.intoArray(tile, 0 * NR + L);
    c10.intoArray(tile, 1 * NR);
    c11.intoArray(tile, 1 * NR + L);
    c20.intoArray(tile, 2 * NR);
    c21.intoArray(tile, 2 * NR + L);
    c30.intoArray(tile, 3 * NR);
    c31.intoArray(tile, 3 * NR + L);
    c40.intoArray(tile, 4 * NR);
    c41.intoArray(tile, 4 * NR + L);
    c50.intoArray(tile, 5 * NR);
    c51.intoArray(tile, 5 * NR + L);
    c60.intoArray(tile, 6 * NR);
    c61.intoArray(tile, 6 * NR + L);
    c70.intoArray(tile, 7 * NR);
    c71.intoArray(tile, 7 * NR + L);
    flush(tile, c, ci, ldc, mr, nr, add);
  }

  /**
   * The 8×1-vector micro-kernel: C[0..mr)[0..nr) (+)= A-panel · B-panel over kc steps, with all 8
   * accumulators in registers. A row r is read at {@code a[ai + min(r, mr-1)·aRs + p·aCs]} (rows
   * past mr repeat the last one and are not stored), B row p at {@code b[bi + p·bRs]}.
   */
  private static void tile1(
      int kc,
      double[] a,
      int ai,
      int aRs,
      int aCs,
      int mr,
      double[] b,
      int bi,
      int bRs,
      double[] c,
      int ci,
      int ldc,
      int nr,
      boolean add,
      double[] tile) {
    int o1 = Math.min(1, mr - 1) * aRs,
        o2 = Math.min(2, mr - 1) * aRs,
        o3 = Math.min(3, mr - 1) * aRs,
        o4 = Math.min(4, mr - 1) * aRs,
        o5 = Math.min(5, mr - 1) * aRs,
        o6 = Math.min(6, mr - 1) * aRs,
        o7 = Math.min(7, mr - 1) * aRs;
    DoubleVector c00 = DoubleVector.zero(D),
        c10 = c00,
        c20 = c00,
        c30 = c00,
        c40 = c00,
        c50 = c00,
        c60 = c00,
        c70 = c00;
    for (int p = 0; p < kc; p++, ai += aCs, bi += bRs) { // vector body
      DoubleVector b0 = DoubleVector.fromArray(D, b, bi);
      DoubleVector av = DoubleVector.broadcast(D, a[ai]);
      c00 = FMA ? av.fma(b0, c00) : c00.add(av.mul(b0));
      av = DoubleVector.broadcast(D, a[ai + o1]);
      c10 = FMA ? av.fma(b0, c10) : c10.add(av.mul(b0));
      av = DoubleVector.broadcast(D, a[ai + o2]);
      c20 = FMA ? av.fma(b0, c20) : c20.add(av.mul(b0));
      av = DoubleVector.broadcast(D, a[ai + o3]);
      c30 = FMA ? av.fma(b0, c30) : c30.add(av.mul(b0));
      av = DoubleVector.broadcast(D, a[ai + o4]);
      c40 = FMA ? av.fma(b0, c40) : c40.add(av.mul(b0));
      av = DoubleVector.broadcast(D, a[ai + o5]);
      c50 = FMA ? av.fma(b0, c50) : c50.add(av.mul(b0));
      av = DoubleVector.broadcast(D, a[ai + o6]);
      c60 = FMA ? av.fma(b0, c60) : c60.add(av.mul(b0));
      av = DoubleVector.broadcast(D, a[ai + o7]);
      c70 = FMA ? av.fma(b0, c70) : c70.add(av.mul(b0));
    }
    // store: the tile goes through the L1-resident tile buffer (see flush)
    c00.intoArray(tile, 0 * NR);
    c10.intoArray(tile, 1 * NR);
    c20.intoArray(tile, 2 * NR);
    c30.intoArray(tile, 3 * NR);
    c40.intoArray(tile, 4 * NR);
    c50.intoArray(tile, 5 * NR);
    c60.intoArray(tile, 6 * NR);
    c70.intoArray(tile, 7 * NR);
    flush(tile, c, ci, ldc, mr, nr, add);
  }

  // NOTE: the accumulators are not passed to a store helper nor added to C in a branch: on JDK 17
  // the kernel then outgrows C2's inlining budget, and vectors crossing a call (or merging at a
  // branch) are boxed, which made the whole product 8× slower.
  /** Writes (or adds) rows [0, mr) × columns [0, nr) of the tile buffer into C. */
  private static void flush(
      double[] tile, double[] c, int ci, int ldc, int mr, int nr, boolean add) {
    for (int r = 0; r < mr; r++, ci += ldc) {
      int t = r * NR;
      int j = 0;
      if (add) {
        for (; j + L <= nr; j += L) {
          DoubleVector.fromArray(D, tile, t + j)
              .add(DoubleVector.fromArray(D, c, ci + j))
              .intoArray(c, ci + j);
        }
        for (; j < nr; j++) c[ci + j] += tile[t + j];
      } else {
        for (; j + L <= nr; j += L) DoubleVector.fromArray(D, tile, t + j).intoArray(c, ci + j);
        for (; j < nr; j++) c[ci + j] = tile[t + j];
      }
    }
  }
}
