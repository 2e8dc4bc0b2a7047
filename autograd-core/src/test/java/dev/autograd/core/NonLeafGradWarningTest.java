package dev.autograd.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Reading {@code .grad()} of a non-leaf that does not retain it warns as PyTorch does, once per
 * call site.
 */
class NonLeafGradWarningTest {
  /** What {@code action} printed to System.err. */
  private static String stderrOf(Runnable action) {
    PrintStream saved = System.err;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(saved);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static long count(String text, String part) {
    return text.lines().filter(l -> l.contains(part)).count();
  }

  @Test
  void nonLeafWithoutRetainGradWarnsOncePerCallSite() {
    Tensor x = Tensor.of(new float[] {1, 2}).requiresGrad_(true);
    Tensor y = x.mul(2);
    y.sum().backward();
    String err =
        stderrOf(
            () -> {
              for (int i = 0; i < 3; i++) assertNull(y.grad()); // one call site, read three times
              assertNull(y.grad()); // a second call site
            });
    assertEquals(
        2,
        count(
            err,
            "UserWarning: The .grad attribute of a Tensor that is not a leaf Tensor is being accessed."),
        err);
    assertTrue(err.contains("use .retainGrad() on the non-leaf Tensor"), err);
    assertTrue(err.contains("NonLeafGradWarningTest"), "names the caller: " + err);
  }

  @Test
  void leavesRetainedNonLeavesAndPopulatedGradsDoNotWarn() {
    Tensor x = Tensor.of(new float[] {1, 2}).requiresGrad_(true);
    Tensor kept = x.mul(2);
    kept.retainGrad();
    Tensor constant = Tensor.of(new float[] {3, 4}); // a leaf that does not require grad
    String before =
        stderrOf(
            () -> {
              assertNull(x.grad());
              assertNull(kept.grad());
              assertNull(constant.grad());
            });
    kept.sum().backward();
    Supplier<Tensor> read = kept::grad;
    String after =
        stderrOf(
            () -> {
              assertNotNull(x.grad());
              assertNotNull(read.get());
            });
    assertEquals("", before + after);
  }
}
