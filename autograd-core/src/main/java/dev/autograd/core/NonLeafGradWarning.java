package dev.autograd.core;

import java.io.PrintStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * PyTorch's UserWarning for reading {@code .grad} of a non-leaf tensor that does not retain its
 * gradient (the value is always null there, which is rarely what the caller meant). Like Python's
 * default warning filter it prints once per call site, to stderr.
 */
final class NonLeafGradWarning {
  static final String MESSAGE =
      "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad"
          + " attribute won't be populated during autograd.backward(). If you indeed want the .grad field to be populated"
          + " for a non-leaf Tensor, use .retainGrad() on the non-leaf Tensor. If you access the non-leaf Tensor by"
          + " mistake, make sure you access the leaf Tensor instead.";

  /** Call sites ("Class.method(File:line)") already warned about; bounded by the program's code. */
  private static final Set<String> warned = ConcurrentHashMap.newKeySet();

  /** Frames that only pass the read on: the caller is the first frame outside them. */
  private static final Set<String> ACCESSORS =
      Set.of(
          Tensor.class.getName(),
          NonLeafGradWarning.class.getName(),
          "dev.autograd.dsl.PropertiesKt"); // the Kotlin DSL's `x.grad` property

  private NonLeafGradWarning() {}

  static void warnOnce() {
    warnOnce(System.err);
  }

  static void warnOnce(PrintStream err) {
    String site =
        StackWalker.getInstance()
            .walk(
                frames ->
                    frames
                        .filter(f -> !ACCESSORS.contains(f.getClassName()))
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
                        .orElse("unknown"));
    if (warned.add(site)) err.println(site + ": UserWarning: " + MESSAGE);
  }
}
