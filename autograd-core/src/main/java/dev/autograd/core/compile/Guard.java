package dev.autograd.core.compile;

/**
 * A value the traced function turned into Java: {@code toBoolean()} (the branch it took), {@code
 * item()} (the exact number), or whether a tensor's {@code .grad} was null ({@code onGrad}: {@code
 * slot} is the tensor's). A replay evaluates it before step {@code at}; a different outcome means
 * the recorded path does not apply.
 */
record Guard(
    int slot, boolean exact, double expected, int at, String what, String site, boolean onGrad) {
  /**
   * True when {@code value} (the guarded tensor's single element, or 1 for a null grad) gives the
   * traced outcome.
   */
  boolean holds(double value) {
    return exact
        ? Double.doubleToLongBits(value) == Double.doubleToLongBits(expected)
        : (value != 0) == (expected != 0);
  }

  /** The value a replay compares for this guard. */
  double valueOf(dev.autograd.core.Tensor t) {
    return onGrad ? (t.grad() == null ? 1 : 0) : t.item();
  }

  String describe() {
    if (onGrad) return what + (site == null ? "" : " at " + site);
    String outcome = exact ? String.valueOf(expected) : String.valueOf(expected != 0);
    return what + " == " + outcome + (site == null ? "" : " at " + site);
  }
}
