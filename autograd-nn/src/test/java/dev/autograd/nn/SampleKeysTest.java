package dev.autograd.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.core.DType;
import dev.autograd.core.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Dropout under SampleKeys: a row's mask depends on its sample id, the key and the call, not on the
 * batch.
 */
class SampleKeysTest {
  private static double[] row(Tensor t, int r, int width) {
    return Arrays.copyOfRange(t.toDoubleArray(), r * width, (r + 1) * width);
  }

  private static Tensor dropOnes(Dropout d, long key, long... ids) {
    try (SampleKeys k = SampleKeys.open(key, ids)) {
      return d.forward(Tensor.ones(DType.FLOAT64, ids.length, 50));
    }
  }

  @Test
  void aSampleGetsTheSameMaskInAnyBatch() {
    Dropout d = new Dropout(0.4);
    Tensor alone = dropOnes(d, 7, 9),
        inPair = dropOnes(d, 7, 5, 9),
        inTriple = dropOnes(d, 7, 1, 3, 9);
    assertArrayEquals(row(alone, 0, 50), row(inPair, 1, 50), 0.0);
    assertArrayEquals(row(alone, 0, 50), row(inTriple, 2, 50), 0.0);
    assertFalse(Arrays.equals(row(inPair, 0, 50), row(inPair, 1, 50)), "samples 5 and 9 differ");
    assertFalse(
        Arrays.equals(row(dropOnes(d, 8, 9), 0, 50), row(alone, 0, 50)),
        "another key draws another mask");
    for (double v : alone.toDoubleArray())
      assertTrue(
          v == 0 || Math.abs(v - 1 / 0.6) < 1e-12, "kept values are scaled by 1/(1-p): " + v);
  }

  @Test
  void secondLayerDrawsAnotherMaskAndGradientsFlowThroughTheMask() {
    Dropout d = new Dropout(0.5);
    Tensor x = Tensor.ones(DType.FLOAT64, 2, 40).requiresGrad_(true);
    Tensor first, second;
    try (SampleKeys k = SampleKeys.open(3, new long[] {4, 6})) {
      first = d.forward(x);
      second = d.forward(x);
    }
    assertFalse(
        Arrays.equals(first.toDoubleArray(), second.toDoubleArray()),
        "each call in the scope draws its own masks");
    first.sum().backward();
    assertArrayEquals(first.toDoubleArray(), x.grad().toDoubleArray(), 0.0);
  }

  @Test
  void scopesNestAndCloseAndEvalModeIsTheIdentity() {
    Dropout d = new Dropout(0.5);
    try (SampleKeys outer = SampleKeys.open(1, new long[] {1})) {
      try (SampleKeys inner = SampleKeys.open(2, new long[] {1, 2})) {
        assertSame(inner, SampleKeys.current());
      }
      assertSame(outer, SampleKeys.current());
      d.eval();
      Tensor x = Tensor.ones(DType.FLOAT64, 1, 5);
      assertArrayEquals(x.toDoubleArray(), d.forward(x).toDoubleArray(), 0.0);
    }
    assertEquals(null, SampleKeys.current());
  }

  @Test
  void aBatchThatDoesNotMatchTheIdsIsRejected() {
    Dropout d = new Dropout(0.5);
    try (SampleKeys k = SampleKeys.open(1, new long[] {1, 2})) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> d.forward(Tensor.ones(DType.FLOAT64, 3, 4)));
      assertTrue(
          e.getMessage().contains("[3, 4]") && e.getMessage().contains("2 sample ids"),
          e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> SampleKeys.open(1, new long[0]));
  }
}
