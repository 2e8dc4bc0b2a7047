package dev.autograd.core.compile;

import dev.autograd.core.Tensor;
import java.security.CodeSource;

/**
 * The user's line that called into the library: the first frame outside core and the DSL's
 * functions.
 */
final class CallSite {
  private CallSite() {}

  private static final StackWalker WALKER =
      StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
  private static final CodeSource CORE = Tensor.class.getProtectionDomain().getCodeSource();

  static String find() {
    return WALKER.walk(
        frames ->
            frames
                .filter(f -> !isLibrary(f.getDeclaringClass()))
                .findFirst()
                .map(
                    f ->
                        f.getClassName()
                            + "."
                            + f.getMethodName()
                            + "("
                            + f.getFileName()
                            + ":"
                            + f.getLineNumber()
                            + ")")
                .orElse(null));
  }

  private static boolean isLibrary(Class<?> c) {
    if (c.getName().startsWith("java.") || c.getName().startsWith("kotlin.")) return true;
    CodeSource cs = c.getProtectionDomain().getCodeSource();
    if (CORE != null
        && cs != null
        && String.valueOf(CORE.getLocation()).equals(String.valueOf(cs.getLocation()))) return true;
    // the DSL's top-level functions (operators such as compareTo, compile { }) live in *Kt classes
    return c.getName().startsWith("dev.autograd.dsl.") && c.getSimpleName().endsWith("Kt");
  }
}
