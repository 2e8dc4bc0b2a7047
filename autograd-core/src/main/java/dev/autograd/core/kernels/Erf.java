package dev.autograd.core.kernels;

/** The error function, which the JDK lacks; accurate to about 1e-16 (needed for exact GELU). */
final class Erf {
  private Erf() {}

  private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;

  static double erf(double x) {
    if (Double.isNaN(x)) return x;
    double a = Math.abs(x);
    if (a > 6) return Math.copySign(1, x); // erfc(6) < 3e-17
    // erf(x) = 2/sqrt(pi) * e^(-x^2) * sum_n 2^n x^(2n+1) / (1*3*...*(2n+1)):
    // every term is positive, so unlike the Taylor series there is no cancellation.
    double term = a;
    double sum = a;
    double x2 = 2 * a * a;
    for (int n = 1; n < 200 && term > sum * 1e-17; n++) {
      term *= x2 / (2 * n + 1);
      sum += term;
    }
    return Math.copySign(TWO_OVER_SQRT_PI * Math.exp(-a * a) * sum, x);
  }
}
