package dev.autograd.core.engine;

import dev.autograd.core.Node;
import java.security.CodeSource;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.stream.Collectors;

/**
 * Anomaly mode (PyTorch's {@code detect_anomaly}): while on, each new node records where the
 * forward pass created it, and a backward that fails (or, with {@code checkNan}, produces NaN)
 * reports that call site as "Traceback of forward call that caused the error".
 */
public final class Anomaly {
  private Anomaly() {}

  /** Whether nodes record their forward call site and backward reports it. */
  public static volatile boolean enabled;

  /** Whether backward checks every computed gradient for NaN (PyTorch's {@code check_nan}). */
  public static volatile boolean checkNan = true;

  private static final StackWalker WALKER =
      StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

  private static final Map<Node, StackTraceElement[]> CALL_SITES =
      Collections.synchronizedMap(new WeakHashMap<>());

  /** Records where {@code node}, being created now, was made (anomaly mode only). */
  public static void recordCallSite(Node node) {
    CALL_SITES.put(node, callSite());
  }

  /** Where {@code node} was created, or null when anomaly mode was off then. */
  public static StackTraceElement[] callSiteOf(Node node) {
    return CALL_SITES.get(node);
  }

  /**
   * The forward call site of a node being created now: the stack without the library's own leading
   * frames.
   */
  static StackTraceElement[] callSite() {
    return WALKER
        .walk(
            frames ->
                frames
                    .dropWhile(f -> isLibrary(f.getDeclaringClass()))
                    .map(StackWalker.StackFrame::toStackTraceElement)
                    .collect(Collectors.toList()))
        .toArray(new StackTraceElement[0]);
  }

  // the library's main classes (core, nn, DSL), not their tests: the user's first frame is where
  // the op was called
  private static boolean isLibrary(Class<?> c) {
    String n = c.getName();
    if (!n.startsWith("dev.autograd.core.")
        && !n.startsWith("dev.autograd.nn.")
        && !n.startsWith("dev.autograd.dsl.")) return false;
    CodeSource src = c.getProtectionDomain().getCodeSource();
    return src == null
        || src.getLocation() == null
        || !src.getLocation().getPath().endsWith("test-classes/");
  }

  /**
   * The trace attached to a failing backward: its message is PyTorch's warning, its frames the
   * forward call site.
   */
  public static final class ForwardTraceback extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ForwardTraceback(String message, StackTraceElement[] site) {
      super(message, null, false, true);
      setStackTrace(site);
    }
  }

  /**
   * Adds the forward call site of {@code node} to {@code error} (once) and prints it as PyTorch's
   * warning does.
   */
  static void annotate(RuntimeException error, Node node, StackTraceElement[] site) {
    for (Throwable s : error.getSuppressed())
      if (s instanceof ForwardTraceback) return; // an inner backward already did
    String head =
        site == null
            ? "Error detected in "
                + node.name()
                + ". No forward pass information available. Enable detect anomaly during forward pass for more information."
            : "Error detected in "
                + node.name()
                + ". Traceback of forward call that caused the error:";
    ForwardTraceback tb =
        new ForwardTraceback(head, site == null ? new StackTraceElement[0] : site);
    error.addSuppressed(tb);
    StringBuilder warning = new StringBuilder("UserWarning: ").append(head);
    if (site != null) for (StackTraceElement e : List.of(site)) warning.append("\n\tat ").append(e);
    System.err.println(warning);
  }
}
