package dev.autograd.core;

/** Argument checks of the public API: a null names the method and the parameter. */
final class Checks {
  private Checks() {}

  static void notNull(Object value, String method, String parameter) {
    if (value == null) throw new NullPointerException(method + "(): " + parameter + " is null");
  }
}
