package dev.autograd.nn;

import java.math.BigDecimal;

/** Python's float formatting for module printouts ({@code 1e-05}, {@code 0.1}, {@code 1.0}). */
final class Repr {
  private Repr() {}

  /**
   * {@code repr(float)}: shortest digits, positional for exponents -4..15, else {@code d.ddde-XX}.
   */
  static String pyFloat(double v) {
    if (Double.isNaN(v)) return "nan";
    if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
    if (v == 0) return (1 / v < 0) ? "-0.0" : "0.0";
    BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
    String digits = d.unscaledValue().abs().toString();
    int exp = digits.length() - 1 - d.scale();
    String sign = v < 0 ? "-" : "";
    if (exp >= -4 && exp < 16) {
      String plain = d.abs().toPlainString();
      return sign + (plain.contains(".") ? plain : plain + ".0");
    }
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    return sign
        + mantissa
        + "e"
        + (exp < 0 ? "-" : "+")
        + (Math.abs(exp) < 10 ? "0" : "")
        + Math.abs(exp);
  }
}
