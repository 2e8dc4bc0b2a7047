package dev.autograd.core.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The last few columns of a {@link FloatGemm} product (n = 100 leaves 4 past the 32-column panels).
 * In a one-vector tile they would waste 12 of 16 lanes; here they are vectorised along another
 * dimension instead: along K (dot products) when A's rows are contiguous, along M when A's columns
 * are (A transposed).
 */
final class FloatEdge {
  private FloatEdge() {}

  private static final VectorSpecies<Float> F = VectorKernels.F;
  private static final int L = F.length();

  /** The most columns handled here; more go to the vector tiles. */
  static final int MAX_COLUMNS = 4;

  /**
   * Whether {@link #columns} can take A with these strides and depth (dot products need K ≥ one
   * vector).
   */
  static boolean fits(int aRs, int aCs, int k) {
    return (aCs == 1 && k >= L) || aRs == 1;
  }

  /**
   * C[0..m)[0..nr) (+)= A · B[., 0..nr) for nr ≤ MAX_COLUMNS; scratch holds at least nr·k floats.
   */
  static void columns(
      int m,
      int nr,
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
      boolean add,
      float[] scratch) {
    if (aCs == 1) {
      if (bRs != 1) { // B's columns, contiguous along K
        for (int j = 0; j < nr; j++) {
          for (int p = 0; p < k; p++) scratch[j * k + p] = b[bOff + p * bRs + j * bCs];
        }
        b = scratch;
        bOff = 0;
        bCs = k;
      }
      dots(m, nr, k, a, aOff, aRs, b, bOff, bCs, c, cOff, ldc, add);
    } else {
      axpys(m, nr, k, a, aOff, aCs, b, bOff, bRs, bCs, c, cOff, ldc, add, scratch);
    }
  }

  /**
   * Rows of A (contiguous) dotted with columns of B (contiguous), two rows by four columns at a
   * time.
   */
  private static void dots(
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
    int j1 = Math.min(1, nr - 1) * bCs,
        j2 = Math.min(2, nr - 1) * bCs,
        j3 = Math.min(3, nr - 1) * bCs;
    int end = F.loopBound(k);
    for (int i = 0; i < m; i += 2) {
      int a0 = aOff + i * aRs,
          a1 = i + 1 < m ? a0 + aRs : a0; // an odd last row is computed twice, stored once
      FloatVector s00 = FloatVector.zero(F),
          s01 = s00,
          s02 = s00,
          s03 = s00,
          s10 = s00,
          s11 = s00,
          s12 = s00,
          s13 = s00;
      for (int p = 0; p < end; p += L) { // vector body
        FloatVector x0 = FloatVector.fromArray(F, a, a0 + p),
            x1 = FloatVector.fromArray(F, a, a1 + p);
        FloatVector y = FloatVector.fromArray(F, b, bOff + p);
        s00 = x0.fma(y, s00);
        s10 = x1.fma(y, s10);
        y = FloatVector.fromArray(F, b, bOff + j1 + p);
        s01 = x0.fma(y, s01);
        s11 = x1.fma(y, s11);
        y = FloatVector.fromArray(F, b, bOff + j2 + p);
        s02 = x0.fma(y, s02);
        s12 = x1.fma(y, s12);
        y = FloatVector.fromArray(F, b, bOff + j3 + p);
        s03 = x0.fma(y, s03);
        s13 = x1.fma(y, s13);
      }
      float r00 = s00.reduceLanes(VectorOperators.ADD), r01 = s01.reduceLanes(VectorOperators.ADD);
      float r02 = s02.reduceLanes(VectorOperators.ADD), r03 = s03.reduceLanes(VectorOperators.ADD);
      float r10 = s10.reduceLanes(VectorOperators.ADD), r11 = s11.reduceLanes(VectorOperators.ADD);
      float r12 = s12.reduceLanes(VectorOperators.ADD), r13 = s13.reduceLanes(VectorOperators.ADD);
      for (int p = end; p < k; p++) { // scalar tail of K
        float x0 = a[a0 + p], x1 = a[a1 + p];
        float y0 = b[bOff + p], y1 = b[bOff + j1 + p], y2 = b[bOff + j2 + p], y3 = b[bOff + j3 + p];
        r00 += x0 * y0;
        r01 += x0 * y1;
        r02 += x0 * y2;
        r03 += x0 * y3;
        r10 += x1 * y0;
        r11 += x1 * y1;
        r12 += x1 * y2;
        r13 += x1 * y3;
      }
      int ci = cOff + i * ldc;
      store(c, ci, nr, add, r00, r01, r02, r03);
      if (i + 1 < m) store(c, ci + ldc, nr, add, r10, r11, r12, r13);
    }
  }

  private static void store(
      float[] c, int ci, int nr, boolean add, float r0, float r1, float r2, float r3) {
    if (add) {
      c[ci] += r0;
      if (nr > 1) c[ci + 1] += r1;
      if (nr > 2) c[ci + 2] += r2;
      if (nr > 3) c[ci + 3] += r3;
    } else {
      c[ci] = r0;
      if (nr > 1) c[ci + 1] = r1;
      if (nr > 2) c[ci + 2] = r2;
      if (nr > 3) c[ci + 3] = r3;
    }
  }

  /**
   * A transposed (columns contiguous): two vectors of rows times four broadcast values of B per
   * step of K, collected in buf and then written across C's rows; the last rows are scalar.
   */
  private static void axpys(
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
    int j1 = Math.min(1, nr - 1) * bCs,
        j2 = Math.min(2, nr - 1) * bCs,
        j3 = Math.min(3, nr - 1) * bCs;
    int i = 0;
    for (; i + 2 * L <= m; i += 2 * L) {
      FloatVector s00 = FloatVector.zero(F),
          s01 = s00,
          s02 = s00,
          s03 = s00,
          s10 = s00,
          s11 = s00,
          s12 = s00,
          s13 = s00;
      int ai = aOff + i, bi = bOff;
      for (int p = 0; p < k; p++, ai += aCs, bi += bRs) { // vector body
        FloatVector x0 = FloatVector.fromArray(F, a, ai), x1 = FloatVector.fromArray(F, a, ai + L);
        FloatVector y = FloatVector.broadcast(F, b[bi]);
        s00 = x0.fma(y, s00);
        s10 = x1.fma(y, s10);
        y = FloatVector.broadcast(F, b[bi + j1]);
        s01 = x0.fma(y, s01);
        s11 = x1.fma(y, s11);
        y = FloatVector.broadcast(F, b[bi + j2]);
        s02 = x0.fma(y, s02);
        s12 = x1.fma(y, s12);
        y = FloatVector.broadcast(F, b[bi + j3]);
        s03 = x0.fma(y, s03);
        s13 = x1.fma(y, s13);
      }
      // buf[j·2L + r]: column j of rows i + r
      s00.intoArray(buf, 0);
      s10.intoArray(buf, L);
      s01.intoArray(buf, 2 * L);
      s11.intoArray(buf, 3 * L);
      s02.intoArray(buf, 4 * L);
      s12.intoArray(buf, 5 * L);
      s03.intoArray(buf, 6 * L);
      s13.intoArray(buf, 7 * L);
      for (int r = 0; r < 2 * L; r++) {
        int ci = cOff + (i + r) * ldc;
        for (int j = 0; j < nr; j++)
          c[ci + j] = add ? c[ci + j] + buf[j * 2 * L + r] : buf[j * 2 * L + r];
      }
    }
    for (; i < m; i++) { // the last rows
      int ci = cOff + i * ldc;
      for (int j = 0; j < nr; j++) {
        float s = 0;
        for (int p = 0, ai = aOff + i, bi = bOff + j * bCs; p < k; p++, ai += aCs, bi += bRs)
          s += a[ai] * b[bi];
        c[ci + j] = add ? c[ci + j] + s : s;
      }
    }
  }
}
