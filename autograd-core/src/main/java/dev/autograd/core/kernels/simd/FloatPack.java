package dev.autograd.core.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Packing for {@link FloatGemm}: copies a block of A into MR-row panels and a slab of B into
 * NR-column panels in the micro-kernel's order, absorbing any strides. A transposed B (columns
 * contiguous) is transposed 16×16 at a time in registers, which is about twice as fast as a gather
 * and as a scalar copy.
 */
final class FloatPack {
  private FloatPack() {}

  private static final VectorSpecies<Float> F = VectorKernels.F;
  private static final int L = F.length();
  private static final int MR = FloatGemm.MR;
  private static final int NR = FloatGemm.NR;

  // the 16×16 transpose swaps d×d blocks for d = 8, 4, 2, 1: UP moves lane l - d into lane l
  // (where bit d of l is set), DOWN moves lane l + d into lane l, and HIGH selects the lanes with
  // bit d
  private static final boolean TRANSPOSE16 = L == 16;
  private static final VectorShuffle<Float> UP8 = up(8), UP4 = up(4), UP2 = up(2), UP1 = up(1);
  private static final VectorShuffle<Float> DOWN8 = down(8),
      DOWN4 = down(4),
      DOWN2 = down(2),
      DOWN1 = down(1);
  private static final VectorMask<Float> HIGH8 = high(8),
      HIGH4 = high(4),
      HIGH2 = high(2),
      HIGH1 = high(1);

  /**
   * Lane l takes lane ((l & 7) << 1) | (l >> 3): even steps of K to the low half, odd to the high.
   */
  private static final VectorShuffle<Float> SPLIT_EVEN_ODD =
      VectorShuffle.fromOp(F, l -> ((l & 7) << 1 | l >> 3) % L);

  private static VectorShuffle<Float> up(int d) {
    int[] s = new int[L];
    for (int l = 0; l < L; l++) s[l] = (l & d) != 0 ? l - d : l;
    return VectorShuffle.fromArray(F, s, 0);
  }

  private static VectorShuffle<Float> down(int d) {
    int[] s = new int[L];
    for (int l = 0; l < L; l++) s[l] = (l & d) == 0 && l + d < L ? l + d : l;
    return VectorShuffle.fromArray(F, s, 0);
  }

  private static VectorMask<Float> high(int d) {
    boolean[] s = new boolean[L];
    for (int l = 0; l < L; l++) s[l] = (l & d) != 0;
    return VectorMask.fromArray(F, s, 0);
  }

  /** Copies rows [0, mr) × [0, kc) of A into one MR-interleaved panel: dst[p·MR + r]. */
  static void packA(float[] a, int off, int rs, int cs, int kc, int mr, float[] dst, int d) {
    if (TRANSPOSE16
        && MR == 8
        && mr == MR
        && cs == 1) { // row-major A: 8 rows × 16 steps through registers
      int p = 0;
      for (; p + L <= kc; p += L) transpose8x16(a, off + p, rs, dst, d + p * MR);
      for (int r = 0; r < MR; r++) {
        for (int q = p, src = off + r * rs; q < kc; q++) dst[d + q * MR + r] = a[src + q];
      }
      return;
    }
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
  static void packB(float[] b, int off, int rs, int cs, int kc, int nr, float[] dst, int d) {
    if (cs == 1 && nr == NR) {
      for (int p = 0; p < kc; p++, d += NR) { // vector body
        int src = off + p * rs;
        FloatVector.fromArray(F, b, src).intoArray(dst, d);
        FloatVector.fromArray(F, b, src + L).intoArray(dst, d + L);
      }
      return;
    }
    if (cs == 1) { // a ragged panel: short rows, too short for arraycopy's fixed cost
      for (int p = 0; p < kc; p++, off += rs, d += NR) {
        for (int j = 0; j < nr; j++) dst[d + j] = b[off + j];
      }
      return;
    }
    int p = 0;
    if (TRANSPOSE16 && rs == 1 && nr == NR) { // B transposed: 16×16 blocks through registers
      for (; p + L <= kc; p += L) {
        transpose16(b, off + p, cs, dst, d + p * NR);
        transpose16(b, off + L * cs + p, cs, dst, d + p * NR + L);
      }
    }
    for (int j = 0; j < nr; j++) { // read along each source column
      int src = off + j * cs;
      for (int q = p; q < kc; q++) dst[d + q * NR + j] = b[src + q * rs];
    }
  }

  /** Copies the k×n operand B (any strides) densely into dst: dst[p·n + j] = B[p][j]. */
  static void copyDense(float[] b, int off, int rs, int cs, int k, int n, float[] dst) {
    if (cs == 1 && rs == n) {
      System.arraycopy(b, off, dst, 0, k * n);
    } else if (cs == 1) {
      for (int p = 0; p < k; p++) System.arraycopy(b, off + p * rs, dst, p * n, n);
    } else { // four source columns at a time: four reads along K, four adjacent writes per step
      // (measured against one column at a time: 2-4x faster at 10x100 and 256x10)
      int j = 0;
      for (; j + 4 <= n; j += 4) {
        int s0 = off + j * cs, s1 = s0 + cs, s2 = s1 + cs, s3 = s2 + cs;
        for (int p = 0, d = j, q = 0; p < k; p++, d += n, q += rs) {
          dst[d] = b[s0 + q];
          dst[d + 1] = b[s1 + q];
          dst[d + 2] = b[s2 + q];
          dst[d + 3] = b[s3 + q];
        }
      }
      for (; j < n; j++) {
        int src = off + j * cs;
        for (int p = 0, d = j; p < k; p++, d += n) dst[d] = b[src + p * rs];
      }
    }
  }

  /** dst[d + p·NR + j] = b[off + j·cs + p] for j, p in [0, 16): one 16×16 block, transposed. */
  private static void transpose16(float[] b, int off, int cs, float[] dst, int d) {
    FloatVector v0 = FloatVector.fromArray(F, b, off), v1 = FloatVector.fromArray(F, b, off + cs);
    FloatVector v2 = FloatVector.fromArray(F, b, off + 2 * cs),
        v3 = FloatVector.fromArray(F, b, off + 3 * cs);
    FloatVector v4 = FloatVector.fromArray(F, b, off + 4 * cs),
        v5 = FloatVector.fromArray(F, b, off + 5 * cs);
    FloatVector v6 = FloatVector.fromArray(F, b, off + 6 * cs),
        v7 = FloatVector.fromArray(F, b, off + 7 * cs);
    FloatVector v8 = FloatVector.fromArray(F, b, off + 8 * cs),
        v9 = FloatVector.fromArray(F, b, off + 9 * cs);
    FloatVector v10 = FloatVector.fromArray(F, b, off + 10 * cs),
        v11 = FloatVector.fromArray(F, b, off + 11 * cs);
    FloatVector v12 = FloatVector.fromArray(F, b, off + 12 * cs),
        v13 = FloatVector.fromArray(F, b, off + 13 * cs);
    FloatVector v14 = FloatVector.fromArray(F, b, off + 14 * cs),
        v15 = FloatVector.fromArray(F, b, off + 15 * cs);
    FloatVector t;
    // each line swaps the off-diagonal d×d blocks of rows (x, y = x + d)
    t = v0.blend(v8.rearrange(UP8), HIGH8);
    v8 = v0.rearrange(DOWN8).blend(v8, HIGH8);
    v0 = t;
    t = v1.blend(v9.rearrange(UP8), HIGH8);
    v9 = v1.rearrange(DOWN8).blend(v9, HIGH8);
    v1 = t;
    t = v2.blend(v10.rearrange(UP8), HIGH8);
    v10 = v2.rearrange(DOWN8).blend(v10, HIGH8);
    v2 = t;
    t = v3.blend(v11.rearrange(UP8), HIGH8);
    v11 = v3.rearrange(DOWN8).blend(v11, HIGH8);
    v3 = t;
    t = v4.blend(v12.rearrange(UP8), HIGH8);
    v12 = v4.rearrange(DOWN8).blend(v12, HIGH8);
    v4 = t;
    t = v5.blend(v13.rearrange(UP8), HIGH8);
    v13 = v5.rearrange(DOWN8).blend(v13, HIGH8);
    v5 = t;
    t = v6.blend(v14.rearrange(UP8), HIGH8);
    v14 = v6.rearrange(DOWN8).blend(v14, HIGH8);
    v6 = t;
    t = v7.blend(v15.rearrange(UP8), HIGH8);
    v15 = v7.rearrange(DOWN8).blend(v15, HIGH8);
    v7 = t;
    t = v0.blend(v4.rearrange(UP4), HIGH4);
    v4 = v0.rearrange(DOWN4).blend(v4, HIGH4);
    v0 = t;
    t = v1.blend(v5.rearrange(UP4), HIGH4);
    v5 = v1.rearrange(DOWN4).blend(v5, HIGH4);
    v1 = t;
    t = v2.blend(v6.rearrange(UP4), HIGH4);
    v6 = v2.rearrange(DOWN4).blend(v6, HIGH4);
    v2 = t;
    t = v3.blend(v7.rearrange(UP4), HIGH4);
    v7 = v3.rearrange(DOWN4).blend(v7, HIGH4);
    v3 = t;
    t = v8.blend(v12.rearrange(UP4), HIGH4);
    v12 = v8.rearrange(DOWN4).blend(v12, HIGH4);
    v8 = t;
    t = v9.blend(v13.rearrange(UP4), HIGH4);
    v13 = v9.rearrange(DOWN4).blend(v13, HIGH4);
    v9 = t;
    t = v10.blend(v14.rearrange(UP4), HIGH4);
    v14 = v10.rearrange(DOWN4).blend(v14, HIGH4);
    v10 = t;
    t = v11.blend(v15.rearrange(UP4), HIGH4);
    v15 = v11.rearrange(DOWN4).blend(v15, HIGH4);
    v11 = t;
    t = v0.blend(v2.rearrange(UP2), HIGH2);
    v2 = v0.rearrange(DOWN2).blend(v2, HIGH2);
    v0 = t;
    t = v1.blend(v3.rearrange(UP2), HIGH2);
    v3 = v1.rearrange(DOWN2).blend(v3, HIGH2);
    v1 = t;
    t = v4.blend(v6.rearrange(UP2), HIGH2);
    v6 = v4.rearrange(DOWN2).blend(v6, HIGH2);
    v4 = t;
    t = v5.blend(v7.rearrange(UP2), HIGH2);
    v7 = v5.rearrange(DOWN2).blend(v7, HIGH2);
    v5 = t;
    t = v8.blend(v10.rearrange(UP2), HIGH2);
    v10 = v8.rearrange(DOWN2).blend(v10, HIGH2);
    v8 = t;
    t = v9.blend(v11.rearrange(UP2), HIGH2);
    v11 = v9.rearrange(DOWN2).blend(v11, HIGH2);
    v9 = t;
    t = v12.blend(v14.rearrange(UP2), HIGH2);
    v14 = v12.rearrange(DOWN2).blend(v14, HIGH2);
    v12 = t;
    t = v13.blend(v15.rearrange(UP2), HIGH2);
    v15 = v13.rearrange(DOWN2).blend(v15, HIGH2);
    v13 = t;
    t = v0.blend(v1.rearrange(UP1), HIGH1);
    v1 = v0.rearrange(DOWN1).blend(v1, HIGH1);
    v0 = t;
    t = v2.blend(v3.rearrange(UP1), HIGH1);
    v3 = v2.rearrange(DOWN1).blend(v3, HIGH1);
    v2 = t;
    t = v4.blend(v5.rearrange(UP1), HIGH1);
    v5 = v4.rearrange(DOWN1).blend(v5, HIGH1);
    v4 = t;
    t = v6.blend(v7.rearrange(UP1), HIGH1);
    v7 = v6.rearrange(DOWN1).blend(v7, HIGH1);
    v6 = t;
    t = v8.blend(v9.rearrange(UP1), HIGH1);
    v9 = v8.rearrange(DOWN1).blend(v9, HIGH1);
    v8 = t;
    t = v10.blend(v11.rearrange(UP1), HIGH1);
    v11 = v10.rearrange(DOWN1).blend(v11, HIGH1);
    v10 = t;
    t = v12.blend(v13.rearrange(UP1), HIGH1);
    v13 = v12.rearrange(DOWN1).blend(v13, HIGH1);
    v12 = t;
    t = v14.blend(v15.rearrange(UP1), HIGH1);
    v15 = v14.rearrange(DOWN1).blend(v15, HIGH1);
    v14 = t;
    v0.intoArray(dst, d);
    v1.intoArray(dst, d + NR);
    v2.intoArray(dst, d + 2 * NR);
    v3.intoArray(dst, d + 3 * NR);
    v4.intoArray(dst, d + 4 * NR);
    v5.intoArray(dst, d + 5 * NR);
    v6.intoArray(dst, d + 6 * NR);
    v7.intoArray(dst, d + 7 * NR);
    v8.intoArray(dst, d + 8 * NR);
    v9.intoArray(dst, d + 9 * NR);
    v10.intoArray(dst, d + 10 * NR);
    v11.intoArray(dst, d + 11 * NR);
    v12.intoArray(dst, d + 12 * NR);
    v13.intoArray(dst, d + 13 * NR);
    v14.intoArray(dst, d + 14 * NR);
    v15.intoArray(dst, d + 15 * NR);
  }

  /**
   * dst[d + p·8 + r] = a[off + r·rs + p] for r in [0, 8), p in [0, 16): each row's lanes are first
   * split into even and odd steps, then three block swaps exchange the row index with the step's
   * upper bits, leaving vector q = steps 2q and 2q + 1 of all eight rows.
   */
  private static void transpose8x16(float[] a, int off, int rs, float[] dst, int d) {
    FloatVector v0 = FloatVector.fromArray(F, a, off).rearrange(SPLIT_EVEN_ODD);
    FloatVector v1 = FloatVector.fromArray(F, a, off + rs).rearrange(SPLIT_EVEN_ODD);
    FloatVector v2 = FloatVector.fromArray(F, a, off + 2 * rs).rearrange(SPLIT_EVEN_ODD);
    FloatVector v3 = FloatVector.fromArray(F, a, off + 3 * rs).rearrange(SPLIT_EVEN_ODD);
    FloatVector v4 = FloatVector.fromArray(F, a, off + 4 * rs).rearrange(SPLIT_EVEN_ODD);
    FloatVector v5 = FloatVector.fromArray(F, a, off + 5 * rs).rearrange(SPLIT_EVEN_ODD);
    FloatVector v6 = FloatVector.fromArray(F, a, off + 6 * rs).rearrange(SPLIT_EVEN_ODD);
    FloatVector v7 = FloatVector.fromArray(F, a, off + 7 * rs).rearrange(SPLIT_EVEN_ODD);
    FloatVector t;
    t = v0.blend(v4.rearrange(UP4), HIGH4);
    v4 = v0.rearrange(DOWN4).blend(v4, HIGH4);
    v0 = t;
    t = v1.blend(v5.rearrange(UP4), HIGH4);
    v5 = v1.rearrange(DOWN4).blend(v5, HIGH4);
    v1 = t;
    t = v2.blend(v6.rearrange(UP4), HIGH4);
    v6 = v2.rearrange(DOWN4).blend(v6, HIGH4);
    v2 = t;
    t = v3.blend(v7.rearrange(UP4), HIGH4);
    v7 = v3.rearrange(DOWN4).blend(v7, HIGH4);
    v3 = t;
    t = v0.blend(v2.rearrange(UP2), HIGH2);
    v2 = v0.rearrange(DOWN2).blend(v2, HIGH2);
    v0 = t;
    t = v1.blend(v3.rearrange(UP2), HIGH2);
    v3 = v1.rearrange(DOWN2).blend(v3, HIGH2);
    v1 = t;
    t = v4.blend(v6.rearrange(UP2), HIGH2);
    v6 = v4.rearrange(DOWN2).blend(v6, HIGH2);
    v4 = t;
    t = v5.blend(v7.rearrange(UP2), HIGH2);
    v7 = v5.rearrange(DOWN2).blend(v7, HIGH2);
    v5 = t;
    t = v0.blend(v1.rearrange(UP1), HIGH1);
    v1 = v0.rearrange(DOWN1).blend(v1, HIGH1);
    v0 = t;
    t = v2.blend(v3.rearrange(UP1), HIGH1);
    v3 = v2.rearrange(DOWN1).blend(v3, HIGH1);
    v2 = t;
    t = v4.blend(v5.rearrange(UP1), HIGH1);
    v5 = v4.rearrange(DOWN1).blend(v5, HIGH1);
    v4 = t;
    t = v6.blend(v7.rearrange(UP1), HIGH1);
    v7 = v6.rearrange(DOWN1).blend(v7, HIGH1);
    v6 = t;
    v0.intoArray(dst, d);
    v1.intoArray(dst, d + 2 * MR);
    v2.intoArray(dst, d + 4 * MR);
    v3.intoArray(dst, d + 6 * MR);
    v4.intoArray(dst, d + 8 * MR);
    v5.intoArray(dst, d + 10 * MR);
    v6.intoArray(dst, d + 12 * MR);
    v7.intoArray(dst, d + 14 * MR);
  }
}
