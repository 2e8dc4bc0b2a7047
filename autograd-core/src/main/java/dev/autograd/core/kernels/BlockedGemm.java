package dev.autograd.core.kernels;

import java.util.Arrays;

/**
 * Cache-blocked GEMM in plain Java, for float and double. B is packed one KC×NC block at a time,
 * one row per array (which absorbs any strides); each row of C is built in a small accumulator four
 * B rows per pass and then written or added once. Large products split their rows over {@link
 * Parallel}.
 */
// NOTE: the inner loops index arrays from offset 0 on purpose: on JDK 17 C2 does not
// auto-vectorise a loop whose arrays carry two different offsets (measured 7 vs 38 GFLOP/s).
final class BlockedGemm {
  private BlockedGemm() {}

  private static final int KC = 128;
  private static final int NC = 512;

  /**
   * Parallel products are cut into this many row chunks per thread, taken from a shared counter
   * ({@link Parallel#share}), so a late or slowed thread takes fewer.
   */
  private static final int CHUNKS_PER_THREAD = 4;

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
    int tasks =
        2.0 * m * n * k >= Parallel.MIN_PARALLEL_FLOPS
            ? Math.min(CHUNKS_PER_THREAD * Parallel.threads(), m)
            : 1;
    float[][] rows = new float[Math.min(KC, k)][Math.min(NC, n)];
    for (int j0 = 0; j0 < n; j0 += NC) {
      int nc = Math.min(NC, n - j0);
      for (int p0 = 0; p0 < k; p0 += KC) {
        int kc = Math.min(KC, k - p0);
        for (int p = 0; p < kc; p++) { // pack B[p0 + p, j0 ..] into its own row
          int src = bOff + (p0 + p) * bRs + j0 * bCs;
          float[] row = rows[p];
          for (int j = 0; j < nc; j++) row[j] = b[src + j * bCs];
        }
        boolean add = accumulate || p0 > 0;
        int pj0 = j0, pp0 = p0;
        Parallel.share(
            tasks,
            t -> {
              float[] acc = new float[nc];
              for (int i = m * t / tasks, end = m * (t + 1) / tasks; i < end; i++) {
                Arrays.fill(acc, 0f);
                rowProduct(a, aOff + i * aRs + pp0 * aCs, aCs, kc, rows, nc, acc);
                int ci = cOff + i * ldc + pj0;
                if (add) {
                  for (int j = 0; j < nc; j++) c[ci + j] += acc[j];
                } else {
                  System.arraycopy(acc, 0, c, ci, nc);
                }
              }
            });
      }
    }
  }

  /** acc[0, nc) += A row chunk [0, kc) · packed B rows, four B rows per pass over acc. */
  private static void rowProduct(
      float[] a, int ai, int aCs, int kc, float[][] rows, int nc, float[] acc) {
    int p = 0;
    for (; p + 4 <= kc; p += 4, ai += 4 * aCs) {
      float a0 = a[ai], a1 = a[ai + aCs], a2 = a[ai + 2 * aCs], a3 = a[ai + 3 * aCs];
      float[] r0 = rows[p], r1 = rows[p + 1], r2 = rows[p + 2], r3 = rows[p + 3];
      for (int j = 0; j < nc; j++) acc[j] += a0 * r0[j] + a1 * r1[j] + a2 * r2[j] + a3 * r3[j];
    }
    for (; p < kc; p++, ai += aCs) {
      float a0 = a[ai];
      float[] r0 = rows[p];
      for (int j = 0; j < nc; j++) acc[j] += a0 * r0[j];
    }
  }

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
    int tasks =
        2.0 * m * n * k >= Parallel.MIN_PARALLEL_FLOPS
            ? Math.min(CHUNKS_PER_THREAD * Parallel.threads(), m)
            : 1;
    double[][] rows = new double[Math.min(KC, k)][Math.min(NC, n)];
    for (int j0 = 0; j0 < n; j0 += NC) {
      int nc = Math.min(NC, n - j0);
      for (int p0 = 0; p0 < k; p0 += KC) {
        int kc = Math.min(KC, k - p0);
        for (int p = 0; p < kc; p++) { // pack B[p0 + p, j0 ..] into its own row
          int src = bOff + (p0 + p) * bRs + j0 * bCs;
          double[] row = rows[p];
          for (int j = 0; j < nc; j++) row[j] = b[src + j * bCs];
        }
        boolean add = accumulate || p0 > 0;
        int pj0 = j0, pp0 = p0;
        Parallel.share(
            tasks,
            t -> {
              double[] acc = new double[nc];
              for (int i = m * t / tasks, end = m * (t + 1) / tasks; i < end; i++) {
                Arrays.fill(acc, 0d);
                rowProduct(a, aOff + i * aRs + pp0 * aCs, aCs, kc, rows, nc, acc);
                int ci = cOff + i * ldc + pj0;
                if (add) {
                  for (int j = 0; j < nc; j++) c[ci + j] += acc[j];
                } else {
                  System.arraycopy(acc, 0, c, ci, nc);
                }
              }
            });
      }
    }
  }

  /** acc[0, nc) += A row chunk [0, kc) · packed B rows, four B rows per pass over acc. */
  private static void rowProduct(
      double[] a, int ai, int aCs, int kc, double[][] rows, int nc, double[] acc) {
    int p = 0;
    for (; p + 4 <= kc; p += 4, ai += 4 * aCs) {
      double a0 = a[ai], a1 = a[ai + aCs], a2 = a[ai + 2 * aCs], a3 = a[ai + 3 * aCs];
      double[] r0 = rows[p], r1 = rows[p + 1], r2 = rows[p + 2], r3 = rows[p + 3];
      for (int j = 0; j < nc; j++) acc[j] += a0 * r0[j] + a1 * r1[j] + a2 * r2[j] + a3 * r3[j];
    }
    for (; p < kc; p++, ai += aCs) {
      double a0 = a[ai];
      double[] r0 = rows[p];
      for (int j = 0; j < nc; j++) acc[j] += a0 * r0[j];
    }
  }
}
