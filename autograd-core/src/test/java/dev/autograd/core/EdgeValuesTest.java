package dev.autograd.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Gradients at edge values as PyTorch 1.13 gives them (values printed by torch for the same
 * inputs): powers at zero, extremes containing NaN; and indices PyTorch refuses.
 */
class EdgeValuesTest {
  private static Tensor leaf(double... v) {
    return Tensor.of(v).requiresGrad_();
  }

  @Test
  void powerGradientsAtZeroBase() {
    Tensor a = leaf(0, 0, 0), b = leaf(0, 1, -1);
    Tensor y = a.pow(b);
    assertArrayEquals(new double[] {1, 0, Double.POSITIVE_INFINITY}, y.toDoubleArray());
    y.sum().backward();
    assertArrayEquals(
        new double[] {0, 1, Double.NEGATIVE_INFINITY}, a.grad().toDoubleArray(), "0^0: 0, not NaN");
    assertArrayEquals(
        new double[] {0, 0, Double.NEGATIVE_INFINITY},
        b.grad().toDoubleArray(),
        "-inf at base 0 with a negative exponent");
    Tensor z = leaf(0, 0, 0);
    z.pow(0).sum().backward();
    assertArrayEquals(new double[] {0, 0, 0}, z.grad().toDoubleArray());
    Tensor p = leaf(0, 2), q = leaf(2.5, -0.5);
    p.pow(q).sum().backward();
    assertArrayEquals(new double[] {0, -0.1767766952966369}, p.grad().toDoubleArray(), 1e-12);
    assertArrayEquals(new double[] {0, 0.4901290717342736}, q.grad().toDoubleArray(), 1e-12);
  }

  @Test
  void extremesWithNaN() {
    double nan = Double.NaN;
    Tensor x = leaf(1, nan, 3, nan);
    x.max().backward();
    assertArrayEquals(
        new double[] {0, 0.5, 0, 0.5},
        x.grad().toDoubleArray(),
        "max(): split among the NaN elements");
    Tensor m = leaf(1, nan);
    m.min().backward();
    assertArrayEquals(new double[] {0, 1}, m.grad().toDoubleArray());
    Tensor am = leaf(1, nan, 3);
    am.amax(new int[] {0}, false).backward();
    for (double g : am.grad().toDoubleArray())
      assertTrue(Double.isNaN(g), "amax with NaN: NaN everywhere, as PyTorch 1.13");
    Tensor d = Tensor.of(new double[] {1, nan, 3}, 1, 3).requiresGrad_();
    d.max(1, false).values().sum().backward();
    assertArrayEquals(
        new double[] {0, 1, 0}, d.grad().toDoubleArray(), "max(dim): the NaN element");
    Tensor t = leaf(1, 3, 3);
    t.max().backward();
    assertArrayEquals(new double[] {0, 0.5, 0.5}, t.grad().toDoubleArray(), "ties split evenly");
  }

  @Test
  void negativeIndicesAreRefusedAsPyTorchDoes() {
    Tensor x = Tensor.zeros(3, 4);
    Exception e =
        assertThrows(
            IndexOutOfBoundsException.class, () -> x.indexSelect(1, Tensor.of(new long[] {-1})));
    assertTrue(
        e.getMessage().contains("index -1 is out of bounds for dimension 1 with size 4"),
        e.getMessage());
    assertThrows(
        IndexOutOfBoundsException.class, () -> x.gather(1, Tensor.of(new long[] {-1}, 1, 1)));
    assertThrows(
        IndexOutOfBoundsException.class,
        () -> x.scatterAdd(1, Tensor.of(new long[] {-1}, 1, 1), Tensor.ones(1, 1)));
    assertThrows(
        IndexOutOfBoundsException.class,
        () -> x.indexAdd(1, Tensor.of(new long[] {-1}), Tensor.ones(3, 1)));
  }
}
