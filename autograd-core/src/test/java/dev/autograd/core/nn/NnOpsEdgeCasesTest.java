package dev.autograd.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.core.DType;
import dev.autograd.core.Generator;
import dev.autograd.core.Reduction;
import dev.autograd.core.Tensor;
import dev.autograd.core.internal.nn.NnOps;
import org.junit.jupiter.api.Test;

/**
 * Values and errors of the nn primitives that finite differences cannot show: stability for large
 * inputs, label smoothing and ignored targets by hand, running statistics, bad arguments. Their
 * gradients are rows of {@code OpCases} (run by {@code OpsGradcheckTest}).
 */
class NnOpsEdgeCasesTest {
  @Test
  void binaryCrossEntropyRejectsProbabilitiesOutsideZeroOne() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            NnOps.binaryCrossEntropy(
                Tensor.of(new double[] {1.5}), Tensor.of(new double[] {1}), null, Reduction.MEAN));
  }

  @Test
  void binaryCrossEntropyWithLogitsIsStableForLargeLogits() {
    // log(1 + e^1000) does not overflow
    Tensor big =
        NnOps.binaryCrossEntropyWithLogits(
            Tensor.of(new double[] {1000, -1000}),
            Tensor.of(new double[] {0, 1}),
            null,
            null,
            Reduction.NONE);
    assertArrayEquals(new double[] {1000, 1000}, big.toDoubleArray(), 1e-9);
  }

  @Test
  void crossEntropyMatchesHandComputedSmoothing() {
    // PyTorch: (1-e)*nll + e/C * smooth, smooth mean over all samples when unweighted
    Tensor x = Tensor.of(new double[][] {{1, 2, 3}, {0.5, -1, 0}});
    Tensor t = Tensor.of(new long[] {2, 0}, 2);
    double[] lp = NnOps.logSoftmax(x, 1).toDoubleArray();
    double nll = -(lp[2] + lp[3]) / 2;
    double smooth = -(lp[0] + lp[1] + lp[2] + lp[3] + lp[4] + lp[5]) / 2;
    double want = 0.9 * nll + 0.1 / 3 * smooth;
    assertEquals(want, NnOps.crossEntropy(x, t, null, Reduction.MEAN, -100, 0.1).item(), 1e-12);
    // weighted mean divides by the sum of the targets' weights; ignored targets are left out
    Tensor w = Tensor.of(new double[] {2, 1, 3});
    double wnll = -(3 * lp[2]) / 3;
    assertEquals(
        wnll,
        NnOps.crossEntropy(x, Tensor.of(new long[] {2, -100}, 2), w, Reduction.MEAN, -100, 0)
            .item(),
        1e-12);
    // an ignored sample changes nothing, with or without weights and smoothing
    Tensor x3 = Tensor.cat(0, x, Tensor.of(new double[][] {{9, -9, 4}}));
    Tensor t3 = Tensor.of(new long[] {2, 0, -100}, 3);
    for (Tensor weight : new Tensor[] {null, w}) {
      for (Reduction r : new Reduction[] {Reduction.MEAN, Reduction.SUM}) {
        assertEquals(
            NnOps.crossEntropy(x, t, weight, r, -100, 0.3).item(),
            NnOps.crossEntropy(x3, t3, weight, r, -100, 0.3).item(),
            1e-12);
      }
    }
    assertThrows(
        IndexOutOfBoundsException.class,
        () ->
            NnOps.crossEntropy(x, Tensor.of(new long[] {3, 0}, 2), null, Reduction.MEAN, -100, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> NnOps.crossEntropy(x, Tensor.of(new double[] {1, 0}), null, Reduction.MEAN, -100, 0));
  }

  @Test
  void softmaxIsStableForLargeInputs() {
    Tensor big = NnOps.softmax(Tensor.of(new double[] {1000, 1000}), 0);
    assertArrayEquals(new double[] {0.5, 0.5}, big.toDoubleArray(), 1e-12);
  }

  @Test
  void batchNormUpdatesRunningStatsLikePyTorch() {
    Tensor x = Tensor.of(new double[][] {{1, 10}, {3, 20}, {8, 60}});
    Tensor rm = Tensor.zeros(DType.FLOAT64, 2), rv = Tensor.ones(DType.FLOAT64, 2);
    NnOps.batchNorm(x, rm, rv, null, null, true, 0.1, 1e-5);
    assertArrayEquals(new double[] {0.4, 3.0}, rm.toDoubleArray(), 1e-12);
    // unbiased variances 13 and 700
    assertArrayEquals(new double[] {0.9 + 1.3, 0.9 + 70}, rv.toDoubleArray(), 1e-12);
    assertThrows(
        IllegalArgumentException.class,
        () ->
            NnOps.batchNorm(Tensor.ones(DType.FLOAT64, 1, 2), rm, rv, null, null, true, 0.1, 1e-5));
  }

  @Test
  void embeddingRejectsIndicesOutOfRange() {
    assertThrows(
        IndexOutOfBoundsException.class,
        () -> NnOps.embedding(Tensor.zeros(DType.FLOAT64, 5, 2), Tensor.of(new long[] {5}, 1)));
  }

  @Test
  void convolutionNamesChannelMismatch() {
    Exception e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                NnOps.conv2d(
                    Tensor.zeros(DType.FLOAT64, 1, 2, 5, 5),
                    Tensor.zeros(DType.FLOAT64, 4, 3, 3, 3),
                    null,
                    new int[] {1, 1},
                    new int[] {0, 0},
                    new int[] {1, 1},
                    1));
    assertTrue(e.getMessage().contains("to have 3 channels, but got 2 channels"), e.getMessage());
  }

  @Test
  void maxPoolingPicksWindowMaxima() {
    Tensor x =
        Tensor.of(new double[] {1, 5, 2, 0, -1, 3, 4, 9, 7, 6, 8, 2, 0, 1, 2, 3}, 1, 1, 4, 4);
    assertArrayEquals(
        new double[] {5, 9, 7, 8},
        NnOps.maxPool2d(x, new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0}, new int[] {1, 1})
            .toDoubleArray());
  }

  @Test
  void dropoutScalesKeptValuesAndRepeatsWithASeed() {
    Tensor mask = Tensor.ones(DType.FLOAT64, 1000);
    Tensor y = NnOps.dropout(mask, 0.3, true, new Generator(7));
    double[] v = y.toDoubleArray();
    int zeros = 0;
    for (double e : v) {
      if (e == 0) zeros++;
      else assertEquals(1 / 0.7, e, 1e-12);
    }
    assertTrue(zeros > 240 && zeros < 360, "zeros: " + zeros);
    assertArrayEquals(
        v,
        NnOps.dropout(mask, 0.3, true, new Generator(7)).toDoubleArray(),
        "same seed, same mask");
    assertTrue(NnOps.dropout(mask, 0.3, false, null) == mask);
  }
}
