package dev.autograd.core.kernels;

import dev.autograd.core.tensor.Storage;

/** Cumulative scans along one line of elements, accumulated in double, written as they go. */
public final class Scan {
  private Scan() {}

  /** dst[j] = x[0] + ... + x[j] over {@code n} elements at the given offsets and strides. */
  public static void cumsum(
      Storage src, int from, int srcStride, Storage dst, int to, int dstStride, int n) {
    double acc = 0;
    for (int j = 0; j < n; j++) {
      acc += src.get(from + j * srcStride);
      dst.set(to + j * dstStride, acc);
    }
  }

  /** dst[j] = log(exp(x[0]) + ... + exp(x[j])), one stable log-add-exp per step. */
  public static void logcumsumexp(
      Storage src, int from, int srcStride, Storage dst, int to, int dstStride, int n) {
    double acc = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < n; j++) {
      acc = logAddExp(acc, src.get(from + j * srcStride));
      dst.set(to + j * dstStride, acc);
    }
  }

  // log(e^a + e^b) = max + log1p(e^-|a - b|); -inf + -inf stays -inf (no NaN from inf - inf)
  private static double logAddExp(double a, double b) {
    double hi = Math.max(a, b), lo = Math.min(a, b);
    if (hi == Double.NEGATIVE_INFINITY || Double.isNaN(hi)) return hi + lo;
    if (hi == Double.POSITIVE_INFINITY) return hi;
    return hi + Math.log1p(Math.exp(lo - hi));
  }
}
