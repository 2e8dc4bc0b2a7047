package dev.autograd.core.kernels.simd;

import dev.autograd.core.kernels.Parallel;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Packed, cache-blocked float GEMM in the GotoBLAS/BLIS structure: K is cut into KC-deep slabs
 * whose B part is packed into NR-column panels, M into MC-row blocks whose A part is packed into
 * MR-row panels, and a register-blocked micro-kernel computes each MR×NR tile of C in vector
 * registers. Packing absorbs any strides, so transposed operands need no copy. Products for one
 * thread whose operands need no packing take a direct path (whole K, no slabs, pool or buffers
 * beyond a padded copy of a small B); whole tiles are computed straight into C; the last 1–4
 * columns past the panels go to {@link FloatEdge}.
 */
final class FloatGemm {
  private FloatGemm() {}

  private static final VectorSpecies<Float> F = VectorKernels.F;

  // Note [inline fma]: the micro-kernels spell out a.fma(b, c) (or c + a·b without FMA hardware)
  // instead of calling a helper: once C2's compile of a kernel passes its node budget it stops
  // inlining our own small methods (the Vector API's are force-inlined), and every vector crossing
  // such a call is boxed: megabytes of garbage per step and a kernel several times slower.
  private static final boolean FMA = VectorKernels.FAST_FMA;
  private static final int L = F.length();
  static final int MR = 8;
  static final int NR = 2 * L;
  private static final int KC =
      512; // measured: 256 revisits C twice as often and ran ~8% slower at n = 1024…2048
  private static final int MC = 96;
  private static final int NC = 4096;

  /**
   * Parallel products are cut into this many chunks per thread, taken from a shared counter ({@link
   * Parallel#share}): a thread that starts late or runs slow (another process on its core) takes
   * fewer, and the caller never waits for a worker that has not started.
   */
  private static final int CHUNKS_PER_THREAD = 4;

  /**
   * A product split by columns packs its A block once per chunk: at least this many column panels
   * per chunk keep that copy to a few percent of the chunk's work.
   */
  private static final int MIN_CHUNK_PANELS = 8;

  /**
   * Products from this many FLOP are shared with the pool's workers (half of {@link
   * Parallel#MIN_PARALLEL_FLOPS}: sharing never waits for a worker that has not started). Measured
   * on an idle Zen 5 at 2 threads: 256³ (34 MFLOP) 233 → 397–428 GFLOP/s; with two CPU burners on
   * the 2 cores, 230 against 123 unshared. The seed's 12.8 MFLOP products stay on one thread: with
   * the burners they lost as often as they won.
   */
  private static final double SHARE_MIN_FLOPS = 32e6;

  /**
   * A is packed only when it is reused over enough column panels to repay the copy; then always,
   * whatever its layout: the packed-panel kernel {@link #kernel2p} checks bounds once per tile
   * (measured on Zen 5 against reading a row-major A of depth ≤ 256 in place: 128×256·256×512 +4 to
   * +22%, 256³ −3 to +9%).
   */
  private static final int PACK_A_MIN_N = 4 * NR;

  /** B of at most this many elements is copied whole (dense, padded) by the direct path. */
  private static final int COPY_B_MAX = 16 * 1024;

  /**
   * Per-thread buffers: the packed B slab (or a small B's dense copy), the packed A block, one edge
   * panel (or FloatEdge's columns), one C tile.
   */
  private static final class Scratch {
    float[] b = new float[0];
    float[] a = new float[MC * KC];
    float[] edge = new float[KC * NR];
    final float[] tile = new float[MR * NR];
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  static void gemm(
      int m,
      int n,
      int k,
      float[] a,
      int aOff,
      int aRs,
      int aCs,
      float[] b,
      int bOff,
      int bRs,
      int bCs,
      float[] c,
      int cOff,
      int ldc,
      boolean accumulate) {
    if (m == 0 || n == 0) return;
    if (k == 0) {
      if (!accumulate)
        for (int i = 0; i < m; i++) Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
      return;
    }
    int rem = n % NR;
    if (n > NR && rem <= FloatEdge.MAX_COLUMNS && rem > 0 && FloatEdge.fits(aRs, aCs, k)) {
      int main = n - rem;
      gemm(m, main, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate);
      Scratch s = SCRATCH.get();
      if (s.edge.length < rem * k) s.edge = new float[rem * k];
      FloatEdge.columns(
          m,
          rem,
          k,
          a,
          aOff,
          aRs,
          aCs,
          b,
          bOff + main * bCs,
          bRs,
          bCs,
          c,
          cOff + main,
          ldc,
          accumulate,
          s.edge);
      return;
    }
    int threads = 2.0 * m * n * k >= SHARE_MIN_FLOPS ? Parallel.threads() : 1;
    boolean packA = n >= PACK_A_MIN_N && m > MR;
    long kn = (long) k * n;
    boolean packB = bCs != 1 || (kn > 256 * 1024 && m > 64);
    if (threads == 1 && !packA && (!packB || kn <= COPY_B_MAX)) {
      direct(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate);
      return;
    }
    Scratch own = SCRATCH.get();
    for (int j0 = 0; j0 < n; j0 += NC) {
      int nc = Math.min(NC, n - j0);
      int colPanels = (nc + NR - 1) / NR;
      for (int p0 = 0; p0 < k; p0 += KC) {
        int kc = Math.min(KC, k - p0);
        boolean add = accumulate || p0 > 0;
        // B source for this slab: a packed slab (panel stride NR·kc, row stride NR), or B in place
        // with only the ragged last panel packed into the edge buffer
        float[] bs;
        int bsOff, bsRs, bsPanel;
        if (packB) {
          if (own.b.length < colPanels * NR * kc) own.b = new float[colPanels * NR * KC];
          float[] dst = own.b;
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
            FloatPack.packB(b, bOff + p0 * bRs + lastCol, bRs, 1, kc, n - lastCol, own.edge, 0);
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
        float[] edge = own.edge;
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
      float[] b,
      int bOff,
      int bRs,
      int bCs,
      int kc,
      int n,
      int j0,
      int p0,
      float[] dst,
      int lo,
      int hi) {
    for (int jp = lo; jp < hi; jp++) {
      int col = j0 + jp * NR;
      FloatPack.packB(
          b, bOff + p0 * bRs + col * bCs, bRs, bCs, kc, Math.min(NR, n - col), dst, jp * NR * kc);
    }
  }

  /**
   * Small products on the calling thread, A and B read in place over the whole of K: no slabs, no
   * packing, no pool. A vector may read up to L - 1 values past a row of B; when the last row's
   * read would leave the array (or B is strided), a small B is first copied dense into scratch with
   * room to spare, a large one gets its ragged last panel copied into the edge buffer.
   */
  private static void direct(
      int m,
      int n,
      int k,
      float[] a,
      int aOff,
      int aRs,
      int aCs,
      float[] b,
      int bOff,
      int bRs,
      int bCs,
      float[] c,
      int cOff,
      int ldc,
      boolean add) {
    Scratch s = SCRATCH.get();
    int lastCol = (n - 1) / NR * NR;
    int reach =
        lastCol + (n - lastCol > L ? NR : L); // columns a vector load touches in the last panel
    float[] edge = null;
    if (bCs != 1 || (long) bOff + (long) (k - 1) * bRs + reach > b.length) {
      if ((long) k * n <= COPY_B_MAX) {
        if (s.b.length < k * n + NR) s.b = new float[Math.max(k * n + NR, COPY_B_MAX + NR)];
        FloatPack.copyDense(b, bOff, bRs, bCs, k, n, s.b);
        b = s.b;
        bOff = 0;
        bRs = n;
      } else {
        if (s.edge.length < k * NR) s.edge = new float[k * NR];
        edge = s.edge;
        FloatPack.packB(b, bOff + lastCol, bRs, 1, k, n - lastCol, edge, 0);
      }
    }
    for (int i = 0; i < m; i += MR) {
      int mr = Math.min(MR, m - i);
      for (int col = 0; col < n; col += NR) {
        int nr = Math.min(NR, n - col);
        boolean fromEdge = edge != null && col == lastCol;
        tile(
            k,
            a,
            aOff + i * aRs,
            aRs,
            aCs,
            mr,
            fromEdge ? edge : b,
            fromEdge ? 0 : bOff + col,
            fromEdge ? NR : bRs,
            c,
            cOff + i * ldc + col,
            ldc,
            nr,
            add,
            s.tile);
      }
    }
  }

  /** Row panels [r0, r1) × column panels [c0, c1) of one slab, in MC-row blocks. */
  private static void block(
      int m,
      int kc,
      float[] a,
      int aOff,
      int aRs,
      int aCs,
      boolean packA,
      float[] b,
      int bOff,
      int bRs,
      int bPanel,
      boolean packedB,
      float[] edge,
      float[] c,
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
      float[] ab = a;
      int abOff, abRs, abCs, abPanel;
      if (packA) {
        for (int ip = rb; ip < rbEnd; ip++) {
          FloatPack.packA(
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
        float[] bb = b;
        int bi = bOff + jp * bPanel, bStride = bRs;
        if (!packedB && nr < NR) {
          bb = edge;
          bi = 0;
          bStride = NR;
        }
        for (int ip = rb; ip < rbEnd; ip++) {
          int mr = Math.min(MR, m - ip * MR);
          int ci = cOff + ip * MR * ldc + col;
          tile(
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

  /** Read as "C" by kernels that should not add: one row of zeros, row stride 0. */
  private static final float[] ZEROS = new float[NR];

  /**
   * C[0..mr)[0..nr) (+)= A-panel · B-panel over kc steps. A whole tile (8 rows, one or two whole
   * vectors) is computed straight into C; a partial one into the L1-resident tile buffer, whose
   * mr×nr window is then written or added into C.
   */
  private static void tile(
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
    boolean whole = mr == MR && nr == width;
    boolean addC = whole && add;
    float[] dst = whole ? c : tile, src = addC ? c : ZEROS;
    int d = whole ? ci : 0, ld = whole ? ldc : NR, sd = addC ? ci : 0, sld = addC ? ldc : 0;
    if (width == NR && mr <= MR / 2) {
      kernel2h(kc, a, ai, aRs, aCs, mr, b, bi, bRs, dst, d, ld, src, sd, sld);
    } else if (width == NR) {
      kernel2(kc, a, ai, aRs, aCs, mr, b, bi, bRs, dst, d, ld, src, sd, sld);
    } else {
      kernel1(kc, a, ai, aRs, aCs, mr, b, bi, bRs, dst, d, ld, src, sd, sld);
    }
    if (!whole) flush(tile, c, ci, ldc, mr, nr, add);
  }

  // NOTE: the accumulators are not passed to a store helper nor added to C in a branch: on JDK 17
  // the kernel then outgrows C2's inlining budget, and vectors crossing a call (or merging at a
  // branch) are boxed, which made the whole product 8× slower. Starting them from C (loaded, then
  // masked, or loaded from src) broke C2's inlining the same way (n = 1024: ~70 vs ~95 GFLOP/s). So
  // they start at zero and end added to src, which is
  // C or a row of zeros: the choice is made outside, on arrays, never on vectors.
  /**
   * The 8×2-vector micro-kernel: rows [0, 8) × two vectors of {@code c[d + r·ld ...]} = {@code
   * src[sd + r·sld ...]} + A-panel · B-panel over kc steps, with all 16 accumulators in registers.
   * A row r is read at {@code a[ai + min(r, mr-1)·aRs + p·aCs]} (rows past mr repeat the last one),
   * B row p at {@code b[bi + p·bRs]}. A packed panel (eight rows interleaved) goes to {@link
   * #kernel2p}.
   */
  private static void kernel2(
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
      int d,
      int ld,
      float[] src,
      int sd,
      int sld) {
    // chosen here, not in tile: one more call there took tile past C2's inlining size (325 bytes)
    if (aRs == 1 && mr == MR) {
      if (aCs == MR) kernel2p(kc, a, ai, b, bi, bRs, c, d, ld, src, sd, sld);
      else kernel2t(kc, a, ai, aCs, b, bi, bRs, c, d, ld, src, sd, sld);
      return;
    }
    int o1 = Math.min(1, mr - 1) * aRs,
        o2 = Math.min(2, mr - 1) * aRs,
        o3 = Math.min(3, mr - 1) * aRs,
        o4 = Math.min(4, mr - 1) * aRs,
        o5 = Math.min(5, mr - 1) * aRs,
        o6 = Math.min(6, mr - 1) * aRs,
        o7 = Math.min(7, mr - 1) * aRs;
    FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
    FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
    FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
    FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
    FloatVector c40 = FloatVector.zero(F), c41 = FloatVector.zero(F);
    FloatVector c50 = FloatVector.zero(F), c51 = FloatVector.zero(F);
    FloatVector c60 = FloatVector.zero(F), c61 = FloatVector.zero(F);
    FloatVector c70 = FloatVector.zero(F), c71 = FloatVector.zero(F);
    for (int p = 0; p < kc; p++, ai += aCs, bi += bRs) { // vector body
      FloatVector b0 = FloatVector.fromArray(F, b, bi);
      FloatVector b1 = FloatVector.fromArray(F, b, bi + L);
      FloatVector av = FloatVector.broadcast(F, a[ai]);
      c00 = FMA ? av.fma(b0, c00) : c00.add(av.mul(b0));
      c01 = FMA ? av.fma(b1, c01) : c01.add(av.mul(b1));
      av = FloatVector.broadcast(F, a[ai + o1]);
      c10 = FMA ? av.fma(b0, c10) : c10.add(av.mul(b0));
      c11 = FMA ? av.fma(b1, c11) : c11.add(av.mul(b1));
      av = FloatVector.broadcast(F, a[ai + o2]);
      c20 = FMA ? av.fma(b0, c20) : c20.add(av.mul(b0));
      c21 = FMA ? av.fma(b1, c21) : c21.add(av.mul(b1));
      av = FloatVector.broadcast(F, a[ai + o3]);
      c30 = FMA ? av.fma(b0, c30) : c30.add(av.mul(b0));
      c31 = FMA ? av.fma(b1, c31) : c31.add(av.mul(b1));
      av = FloatVector.broadcast(F, a[ai + o4]);
      c40 = FMA ? av.fma(b0, c40) : c40.add(av.mul(b0));
      c41 = FMA ? av.fma(b1, c41) : c41.add(av.mul(b1));
      av = FloatVector.broadcast(F, a[ai + o5]);
      c50 = FMA ? av.fma(b0, c50) : c50.add(av.mul(b0));
      c51 = FMA ? av.fma(b1, c51) : c51.add(av.mul(b1));
      av = FloatVector.broadcast(F, a[ai + o6]);
      c60 = FMA ? av.fma(b0, c60) : c60.add(av.mul(b0));
      c61 = FMA ? av.fma(b1, c61) : c61.add(av.mul(b1));
      av = FloatVector.broadcast(F, a[ai + o7]);
      c70 = FMA ? av.fma(b0, c70) : c70.add(av.mul(b0));
      c71 = FMA ? av.fma(b1, c71) : c71.add(av.mul(b1));
    }
    c00.add(FloatVector.fromArray(F, src, sd)).intoArray(c, d);
    c01.add(FloatVector.fromArray(F, src, sd + L)).intoArray(c, d + L);
    c10.add(FloatVector.fromArray(F, src, sd + sld)).intoArray(c, d + ld);
    c11.add(FloatVector.fromArray(F, src, sd + sld + L)).intoArray(c, d + ld + L);
    c20.add(FloatVector.fromArray(F, src, sd + 2 * sld)).intoArray(c, d + 2 * ld);
    c21.add(FloatVector.fromArray(F, src, sd + 2 * sld + L)).intoArray(c, d + 2 * ld + L);
    c30.add(FloatVector.fromArray(F, src, sd + 3 * sld)).intoArray(c, d + 3 * ld);
    c31.add(FloatVector.fromArray(F, src, sd + 3 * sld + L)).intoArray(c, d + 3 * ld + L);
    c40.add(FloatVector.fromArray(F, src, sd + 4 * sld)).intoArray(c, d + 4 * ld);
    c41.add(FloatVector.fromArray(F, src, sd + 4 * sld + L)).intoArray(c, d + 4 * ld + L);
    c50.add(FloatVector.fromArray(F, src, sd + 5 * sld)).intoArray(c, d + 5 * ld);
    c51.add(FloatVector.fromArray(F, src, sd + 5 * sld + L)).intoArray(c, d + 5 * ld + L);
    c60.add(FloatVector.fromArray(F, src, sd + 6 * sld)).intoArray(c, d + 6 * ld);
    c61.add(FloatVector.fromArray(F, src, sd + 6 * sld + L)).intoArray(c, d + 6 * ld + L);
    c70.add(FloatVector.fromArray(F, src, sd + 7 * sld)).intoArray(c, d + 7 * ld);
    c71.add(FloatVector.fromArray(F, src, sd + 7 * sld + L)).intoArray(c, d + 7 * ld + L);
  }

  /**
   * {@link #kernel2} for a packed A panel (eight rows interleaved, {@code a[ai + p·8 + r]}): the
   * index is the loop counter times a constant, so C2 checks A's bounds once before the loop
   * instead of eight times per step.
   */
  private static void kernel2p(
      int kc,
      float[] a,
      int ai,
      float[] b,
      int bi,
      int bRs,
      float[] c,
      int d,
      int ld,
      float[] src,
      int sd,
      int sld) {
    FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
    FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
    FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
    FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
    FloatVector c40 = FloatVector.zero(F), c41 = FloatVector.zero(F);
    FloatVector c50 = FloatVector.zero(F), c51 = FloatVector.zero(F);
    FloatVector c60 = FloatVector.zero(F), c61 = FloatVector.zero(F);
    FloatVector c70 = FloatVector.zero(F), c71 = FloatVector.zero(F);
    for (int p = 0; p < kc; p++, bi += bRs) { // vector body
      int ap = ai + p * MR;
      FloatVector b0 = FloatVector.fromArray(F, b, bi);
      FloatVector b1 = FloatVector.fromArray(F, b, bi + L);
      FloatVector av = FloatVector.broadcast(F, a[ap]);
      c00 = FMA ? av.fma(b0, c00) : c00.add(av.mul(b0));
      c01 = FMA ? av.fma(b1, c01) : c01.add(av.mul(b1));
      av = FloatVector.broadcast(F, a[ap + 1]);
      c10 = FMA ? av.fma(b0, c10) : c10.add(av.mul(b0));
      c11 = FMA ? av.fma(b1, c11) : c11.add(av.mul(b1));
      av = FloatVector.broadcast(F, a[ap + 2]);
      c20 = FMA ? av.fma(b0, c20) : c20.add(av.mul(b0));
      c21 = FMA ? av.fma(b1, c21) : c21.add(av.mul(b1));
      av = FloatVector.broadcast(F, a[ap + 3]);
      c30 = FMA ? av.fma(b0, c30) : c30.add(av.mul(b0));
      c31 = FMA ? av.fma(b1, c31) : c31.add(av.mul(b1));
      av = FloatVector.broadcast(F, a[ap + 4]);
      c40 = FMA ? av.fma(b0, c40) : c40.add(av.mul(b0));
      c41 = FMA ? av.fma(b1, c41) : c41.add(av.mul(b1));
      av = FloatVector.broadcast(F, a[ap + 5]);
      c50 = FMA ? av.fma(b0, c50) : c50.add(av.mul(b0));
      c51 = FMA ? av.fma(b1, c51) : c51.add(av.mul(b1));
      av = FloatVector.broadcast(F, a[ap + 6]);
      c60 = FMA ? av.fma(b0, c60) : c60.add(av.mul(b0));
      c61 = FMA ? av.fma(b1, c61) : c61.add(av.mul(b1));
      av = FloatVector.broadcast(F, a[ap + 7]);
      c70 = FMA ? av.fma(b0, c70) : c70.add(av.mul(b0));
      c71 = FMA ? av.fma(b1, c71) : c71.add(av.mul(b1));
    }
    c00.add(FloatVector.fromArray(F, src, sd)).intoArray(c, d);
    c01.add(FloatVector.fromArray(F, src, sd + L)).intoArray(c, d + L);
    c10.add(FloatVector.fromArray(F, src, sd + sld)).intoArray(c, d + ld);
    c11.add(FloatVector.fromArray(F, src, sd + sld + L)).intoArray(c, d + ld + L);
    c20.add(FloatVector.fromArray(F, src, sd + 2 * sld)).intoArray(c, d + 2 * ld);
    c21.add(FloatVector.fromArray(F, src, sd + 2 * sld + L)).intoArray(c, d + 2 * ld + L);
    c30.add(FloatVector.fromArray(F, src, sd + 3 * sld)).intoArray(c, d + 3 * ld);
    c31.add(FloatVector.fromArray(F, src, sd + 3 * sld + L)).intoArray(c, d + 3 * ld + L);
    c40.add(FloatVector.fromArray(F, src, sd + 4 * sld)).intoArray(c, d + 4 * ld);
    c41.add(FloatVector.fromArray(F, src, sd + 4 * sld + L)).intoArray(c, d + 4 * ld + L);
    c50.add(FloatVector.fromArray(F, src, sd + 5 * sld)).intoArray(c, d + 5 * ld);
    c51.add(FloatVector.fromArray(F, src, sd + 5 * sld + L)).intoArray(c, d + 5 * ld + L);
    c60.add(FloatVector.fromArray(F, src, sd + 6 * sld)).intoArray(c, d + 6 * ld);
    c61.add(FloatVector.fromArray(F, src, sd + 6 * sld + L)).intoArray(c, d + 6 * ld + L);
    c70.add(FloatVector.fromArray(F, src, sd + 7 * sld)).intoArray(c, d + 7 * ld);
    c71.add(FloatVector.fromArray(F, src, sd + 7 * sld + L)).intoArray(c, d + 7 * ld + L);
  }

  /**
   * {@link #kernel2} for eight rows of A stored contiguously at each step ({@code a[ai + p·aCs +
   * r]}, A transposed): constant offsets let C2 merge the eight bounds checks per step into two.
   */
  private static void kernel2t(
      int kc,
      float[] a,
      int ai,
      int aCs,
      float[] b,
      int bi,
      int bRs,
      float[] c,
      int d,
      int ld,
      float[] src,
      int sd,
      int sld) {
    FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
    FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
    FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
    FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
    FloatVector c40 = FloatVector.zero(F), c41 = FloatVector.zero(F);
    FloatVector c50 = FloatVector.zero(F), c51 = FloatVector.zero(F);
    FloatVector c60 = FloatVector.zero(F), c61 = FloatVector.zero(F);
    FloatVector c70 = FloatVector.zero(F), c71 = FloatVector.zero(F);
    for (int p = 0; p < kc; p++, ai += aCs, bi += bRs) { // vector body
      FloatVector b0 = FloatVector.fromArray(F, b, bi);
      FloatVector b1 = FloatVector.fromArray(F, b, bi + L);
      FloatVector av = FloatVector.broadcast(F, a[ai]);
      c00 = FMA ? av.fma(b0, c00) : c00.add(av.mul(b0));
      c01 = FMA ? av.fma(b1, c01) : c01.add(av.mul(b1));
      av = FloatVector.broadcast(F, a[ai + 1]);
      c10 = FMA ? av.fma(b0, c10) : c10.add(av.mul(b0));
      c11 = FMA ? av.fma(b1, c11) : c11.add(av.mul(b1));
      av = FloatVector.broadcast(F, a[ai + 2]);
      c20 = FMA ? av.fma(b0, c20) : c20.add(av.mul(b0));
      c21 = FMA ? av.fma(b1, c21) : c21.add(av.mul(b1));
      av = FloatVector.broadcast(F, a[ai + 3]);
      c30 = FMA ? av.fma(b0, c30) : c30.add(av.mul(b0));
      c31 = FMA ? av.fma(b1, c31) : c31.add(av.mul(b1));
      av = FloatVector.broadcast(F, a[ai + 4]);
      c40 = FMA ? av.fma(b0, c40) : c40.add(av.mul(b0));
      c41 = FMA ? av.fma(b1, c41) : c41.add(av.mul(b1));
      av = FloatVector.broadcast(F, a[ai + 5]);
      c50 = FMA ? av.fma(b0, c50) : c50.add(av.mul(b0));
      c51 = FMA ? av.fma(b1, c51) : c51.add(av.mul(b1));
      av = FloatVector.broadcast(F, a[ai + 6]);
      c60 = FMA ? av.fma(b0, c60) : c60.add(av.mul(b0));
      c61 = FMA ? av.fma(b1, c61) : c61.add(av.mul(b1));
      av = FloatVector.broadcast(F, a[ai + 7]);
      c70 = FMA ? av.fma(b0, c70) : c70.add(av.mul(b0));
      c71 = FMA ? av.fma(b1, c71) : c71.add(av.mul(b1));
    }
    c00.add(FloatVector.fromArray(F, src, sd)).intoArray(c, d);
    c01.add(FloatVector.fromArray(F, src, sd + L)).intoArray(c, d + L);
    c10.add(FloatVector.fromArray(F, src, sd + sld)).intoArray(c, d + ld);
    c11.add(FloatVector.fromArray(F, src, sd + sld + L)).intoArray(c, d + ld + L);
    c20.add(FloatVector.fromArray(F, src, sd + 2 * sld)).intoArray(c, d + 2 * ld);
    c21.add(FloatVector.fromArray(F, src, sd + 2 * sld + L)).intoArray(c, d + 2 * ld + L);
    c30.add(FloatVector.fromArray(F, src, sd + 3 * sld)).intoArray(c, d + 3 * ld);
    c31.add(FloatVector.fromArray(F, src, sd + 3 * sld + L)).intoArray(c, d + 3 * ld + L);
    c40.add(FloatVector.fromArray(F, src, sd + 4 * sld)).intoArray(c, d + 4 * ld);
    c41.add(FloatVector.fromArray(F, src, sd + 4 * sld + L)).intoArray(c, d + 4 * ld + L);
    c50.add(FloatVector.fromArray(F, src, sd + 5 * sld)).intoArray(c, d + 5 * ld);
    c51.add(FloatVector.fromArray(F, src, sd + 5 * sld + L)).intoArray(c, d + 5 * ld + L);
    c60.add(FloatVector.fromArray(F, src, sd + 6 * sld)).intoArray(c, d + 6 * ld);
    c61.add(FloatVector.fromArray(F, src, sd + 6 * sld + L)).intoArray(c, d + 6 * ld + L);
    c70.add(FloatVector.fromArray(F, src, sd + 7 * sld)).intoArray(c, d + 7 * ld);
    c71.add(FloatVector.fromArray(F, src, sd + 7 * sld + L)).intoArray(c, d + 7 * ld + L);
  }

  /**
   * {@link #kernel2} for at most four rows (8 accumulators): a short last row panel wastes half as
   * much.
   */
  private static void kernel2h(
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
      int d,
      int ld,
      float[] src,
      int sd,
      int sld) {
    int o1 = Math.min(1, mr - 1) * aRs,
        o2 = Math.min(2, mr - 1) * aRs,
        o3 = Math.min(3, mr - 1) * aRs;
    FloatVector c00 = FloatVector.zero(F),
        c01 = c00,
        c10 = c00,
        c11 = c00,
        c20 = c00,
        c21 = c00,
        c30 = c00,
        c31 = c00;
    for (int p = 0; p < kc; p++, ai += aCs, bi += bRs) { // vector body
      FloatVector b0 = FloatVector.fromArray(F, b, bi);
      FloatVector b1 = FloatVector.fromArray(F, b, bi + L);
      FloatVector a0 = FloatVector.broadcast(F, a[ai]);
      c00 = FMA ? a0.fma(b0, c00) : c00.add(a0.mul(b0));
      c01 = FMA ? a0.fma(b1, c01) : c01.add(a0.mul(b1));
      FloatVector a1 = FloatVector.broadcast(F, a[ai + o1]);
      c10 = FMA ? a1.fma(b0, c10) : c10.add(a1.mul(b0));
      c11 = FMA ? a1.fma(b1, c11) : c11.add(a1.mul(b1));
      FloatVector a2 = FloatVector.broadcast(F, a[ai + o2]);
      c20 = FMA ? a2.fma(b0, c20) : c20.add(a2.mul(b0));
      c21 = FMA ? a2.fma(b1, c21) : c21.add(a2.mul(b1));
      FloatVector a3 = FloatVector.broadcast(F, a[ai + o3]);
      c30 = FMA ? a3.fma(b0, c30) : c30.add(a3.mul(b0));
      c31 = FMA ? a3.fma(b1, c31) : c31.add(a3.mul(b1));
    }
    c00.add(FloatVector.fromArray(F, src, sd)).intoArray(c, d);
    c01.add(FloatVector.fromArray(F, src, sd + L)).intoArray(c, d + L);
    c10.add(FloatVector.fromArray(F, src, sd + sld)).intoArray(c, d + ld);
    c11.add(FloatVector.fromArray(F, src, sd + sld + L)).intoArray(c, d + ld + L);
    c20.add(FloatVector.fromArray(F, src, sd + 2 * sld)).intoArray(c, d + 2 * ld);
    c21.add(FloatVector.fromArray(F, src, sd + 2 * sld + L)).intoArray(c, d + 2 * ld + L);
    c30.add(FloatVector.fromArray(F, src, sd + 3 * sld)).intoArray(c, d + 3 * ld);
    c31.add(FloatVector.fromArray(F, src, sd + 3 * sld + L)).intoArray(c, d + 3 * ld + L);
  }

  /** The 8×1-vector micro-kernel: {@link #kernel2} for one vector of columns (8 accumulators). */
  private static void kernel1(
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
      int d,
      int ld,
      float[] src,
      int sd,
      int sld) {
    if (mr == MR && aRs == 1) {
      kernel1t(kc, a, ai, aCs, b, bi, bRs, c, d, ld, src, sd, sld);
      return;
    }
    int o1 = Math.min(1, mr - 1) * aRs,
        o2 = Math.min(2, mr - 1) * aRs,
        o3 = Math.min(3, mr - 1) * aRs,
        o4 = Math.min(4, mr - 1) * aRs,
        o5 = Math.min(5, mr - 1) * aRs,
        o6 = Math.min(6, mr - 1) * aRs,
        o7 = Math.min(7, mr - 1) * aRs;
    FloatVector c00 = FloatVector.zero(F),
        c10 = FloatVector.zero(F),
        c20 = FloatVector.zero(F),
        c30 = FloatVector.zero(F);
    FloatVector c40 = FloatVector.zero(F),
        c50 = FloatVector.zero(F),
        c60 = FloatVector.zero(F),
        c70 = FloatVector.zero(F);
    for (int p = 0; p < kc; p++, ai += aCs, bi += bRs) { // vector body
      FloatVector b0 = FloatVector.fromArray(F, b, bi);
      FloatVector av = FloatVector.broadcast(F, a[ai]);
      c00 = FMA ? av.fma(b0, c00) : c00.add(av.mul(b0));
      av = FloatVector.broadcast(F, a[ai + o1]);
      c10 = FMA ? av.fma(b0, c10) : c10.add(av.mul(b0));
      av = FloatVector.broadcast(F, a[ai + o2]);
      c20 = FMA ? av.fma(b0, c20) : c20.add(av.mul(b0));
      av = FloatVector.broadcast(F, a[ai + o3]);
      c30 = FMA ? av.fma(b0, c30) : c30.add(av.mul(b0));
      av = FloatVector.broadcast(F, a[ai + o4]);
      c40 = FMA ? av.fma(b0, c40) : c40.add(av.mul(b0));
      av = FloatVector.broadcast(F, a[ai + o5]);
      c50 = FMA ? av.fma(b0, c50) : c50.add(av.mul(b0));
      av = FloatVector.broadcast(F, a[ai + o6]);
      c60 = FMA ? av.fma(b0, c60) : c60.add(av.mul(b0));
      av = FloatVector.broadcast(F, a[ai + o7]);
      c70 = FMA ? av.fma(b0, c70) : c70.add(av.mul(b0));
    }
    c00.add(FloatVector.fromArray(F, src, sd)).intoArray(c, d);
    c10.add(FloatVector.fromArray(F, src, sd + sld)).intoArray(c, d + ld);
    c20.add(FloatVector.fromArray(F, src, sd + 2 * sld)).intoArray(c, d + 2 * ld);
    c30.add(FloatVector.fromArray(F, src, sd + 3 * sld)).intoArray(c, d + 3 * ld);
    c40.add(FloatVector.fromArray(F, src, sd + 4 * sld)).intoArray(c, d + 4 * ld);
    c50.add(FloatVector.fromArray(F, src, sd + 5 * sld)).intoArray(c, d + 5 * ld);
    c60.add(FloatVector.fromArray(F, src, sd + 6 * sld)).intoArray(c, d + 6 * ld);
    c70.add(FloatVector.fromArray(F, src, sd + 7 * sld)).intoArray(c, d + 7 * ld);
  }

  /** {@link #kernel1} for eight rows of a transposed A, as {@link #kernel2t}. */
  private static void kernel1t(
      int kc,
      float[] a,
      int ai,
      int aCs,
      float[] b,
      int bi,
      int bRs,
      float[] c,
      int d,
      int ld,
      float[] src,
      int sd,
      int sld) {
    FloatVector c00 = FloatVector.zero(F),
        c10 = FloatVector.zero(F),
        c20 = FloatVector.zero(F),
        c30 = FloatVector.zero(F);
    FloatVector c40 = FloatVector.zero(F),
        c50 = FloatVector.zero(F),
        c60 = FloatVector.zero(F),
        c70 = FloatVector.zero(F);
    for (int p = 0; p < kc; p++, ai += aCs, bi += bRs) { // vector body
      FloatVector b0 = FloatVector.fromArray(F, b, bi);
      FloatVector av = FloatVector.broadcast(F, a[ai]);
      c00 = FMA ? av.fma(b0, c00) : c00.add(av.mul(b0));
      av = FloatVector.broadcast(F, a[ai + 1]);
      c10 = FMA ? av.fma(b0, c10) : c10.add(av.mul(b0));
      av = FloatVector.broadcast(F, a[ai + 2]);
      c20 = FMA ? av.fma(b0, c20) : c20.add(av.mul(b0));
      av = FloatVector.broadcast(F, a[ai + 3]);
      c30 = FMA ? av.fma(b0, c30) : c30.add(av.mul(b0));
      av = FloatVector.broadcast(F, a[ai + 4]);
      c40 = FMA ? av.fma(b0, c40) : c40.add(av.mul(b0));
      av = FloatVector.broadcast(F, a[ai + 5]);
      c50 = FMA ? av.fma(b0, c50) : c50.add(av.mul(b0));
      av = FloatVector.broadcast(F, a[ai + 6]);
      c60 = FMA ? av.fma(b0, c60) : c60.add(av.mul(b0));
      av = FloatVector.broadcast(F, a[ai + 7]);
      c70 = FMA ? av.fma(b0, c70) : c70.add(av.mul(b0));
    }
    c00.add(FloatVector.fromArray(F, src, sd)).intoArray(c, d);
    c10.add(FloatVector.fromArray(F, src, sd + sld)).intoArray(c, d + ld);
    c20.add(FloatVector.fromArray(F, src, sd + 2 * sld)).intoArray(c, d + 2 * ld);
    c30.add(FloatVector.fromArray(F, src, sd + 3 * sld)).intoArray(c, d + 3 * ld);
    c40.add(FloatVector.fromArray(F, src, sd + 4 * sld)).intoArray(c, d + 4 * ld);
    c50.add(FloatVector.fromArray(F, src, sd + 5 * sld)).intoArray(c, d + 5 * ld);
    c60.add(FloatVector.fromArray(F, src, sd + 6 * sld)).intoArray(c, d + 6 * ld);
    c70.add(FloatVector.fromArray(F, src, sd + 7 * sld)).intoArray(c, d + 7 * ld);
  }

  /** Writes (or adds) rows [0, mr) × columns [0, nr) of the tile buffer into C. */
  private static void flush(float[] tile, float[] c, int ci, int ldc, int mr, int nr, boolean add) {
    for (int r = 0; r < mr; r++, ci += ldc) {
      int t = r * NR;
      int j = 0;
      if (add) {
        for (; j + L <= nr; j += L) {
          FloatVector.fromArray(F, tile, t + j)
              .add(FloatVector.fromArray(F, c, ci + j))
              .intoArray(c, ci + j);
        }
        for (; j < nr; j++) c[ci + j] += tile[t + j];
      } else {
        for (; j + L <= nr; j += L) FloatVector.fromArray(F, tile, t + j).intoArray(c, ci + j);
        for (; j < nr; j++) c[ci + j] = tile[t + j];
      }
    }
  }
}
