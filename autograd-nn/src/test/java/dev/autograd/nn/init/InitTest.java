package dev.autograd.nn.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.core.DType;
import dev.autograd.core.Generator;
import dev.autograd.core.Tensor;
import org.junit.jupiter.api.Test;

class InitTest {
  private static double[] stats(Tensor t) {
    double[] v = t.toDoubleArray();
    double mean = 0, max = 0;
    for (double e : v) {
      mean += e / v.length;
      max = Math.max(max, Math.abs(e));
    }
    double var = 0;
    for (double e : v) var += (e - mean) * (e - mean) / v.length;
    return new double[] {mean, Math.sqrt(var), max};
  }

  @Test
  void gainsAndFans() {
    assertEquals(5.0 / 3, Init.calculateGain("tanh", 0), 0);
    assertEquals(Math.sqrt(2), Init.calculateGain("relu", 0), 0);
    assertEquals(Math.sqrt(2 / 1.0001), Init.calculateGain("leaky_relu", 0.01), 1e-15);
    assertEquals(1, Init.calculateGain("conv2d", 0), 0);
    assertArrayEquals(new int[] {3 * 9, 8 * 9}, Init.fans(Tensor.zeros(8, 3, 3, 3)));
    assertThrows(IllegalArgumentException.class, () -> Init.fans(Tensor.zeros(4)));
    assertThrows(IllegalArgumentException.class, () -> Init.calculateGain("swish", 0));
  }

  @Test
  void distributionsHaveTheRightScale() {
    Generator g = new Generator(8);
    Tensor w = Tensor.zeros(DType.FLOAT64, 200, 100);
    double[] s = stats(Init.xavierUniform_(w, 1, g));
    double a = Math.sqrt(6.0 / 300);
    assertTrue(s[2] <= a && s[2] > 0.99 * a, "xavier uniform bound");
    s = stats(Init.xavierNormal_(w, 2, g));
    assertEquals(2 * Math.sqrt(2.0 / 300), s[1], 0.02 * s[1]);
    s = stats(Init.kaimingNormal_(w, 0, "fan_in", "relu", g));
    assertEquals(Math.sqrt(2.0 / 100), s[1], 0.02 * s[1]);
    s = stats(Init.kaimingUniform_(w, Math.sqrt(5), "fan_in", "leaky_relu", g));
    assertTrue(
        s[2] <= 1 / Math.sqrt(100) && s[2] > 0.99 / Math.sqrt(100),
        "PyTorch's default Linear bound 1/sqrt(fan_in)");
    s = stats(Init.normal_(w, 3, 0.5, g));
    assertEquals(3, s[0], 0.01);
    assertEquals(0.5, s[1], 0.01);
    s = stats(Init.uniform_(w, -2, -1, g));
    assertEquals(-1.5, s[0], 0.01);
    assertArrayEquals(
        new double[] {7, 7}, Init.constant_(Tensor.zeros(DType.FLOAT64, 2), 7).toDoubleArray());
    assertArrayEquals(
        new double[] {1, 1}, Init.ones_(Tensor.zeros(DType.FLOAT64, 2)).toDoubleArray());
    Tensor p = Tensor.ones(DType.FLOAT64, 3).requiresGrad_();
    Init.zeros_(p);
    assertArrayEquals(
        new double[] {0, 0, 0},
        p.toDoubleArray(),
        "initialisers work on parameters (no recording)");
    assertTrue(p.isLeaf() && p.requiresGrad());
  }
}
