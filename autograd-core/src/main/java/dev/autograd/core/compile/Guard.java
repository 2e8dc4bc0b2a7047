package dev.autograd.core.compile;

/**
 * A value the traced function turned into Java: {@code toBoolean()} (the branch it took) or
 * {@code item()} (the exact number). A replay evaluates it before step {@code at}; a different
 * outcome means the recorded path does not apply.
 */
record Guard(int slot, boolean exact, double expected, int at, String what, String site) {
  /** True when {@code value} (the guarded tensor's single element) gives the traced outcome. */
  boolean holds(double value) {
    return exact ? Double.doubleToLongBits(value) == Double.doubleToLongBits(expected) : (value != 0) == (expected != 0);
  }

  String describe() {
    String outcome = exact ? String.valueOf(expected) : String.valueOf(expected != 0);
    return what + " == " + outcome + (site == null ? "" : " at " + site);
  }
}
