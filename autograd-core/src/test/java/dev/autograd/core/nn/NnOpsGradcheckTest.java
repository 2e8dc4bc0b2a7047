package dev.autograd.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.core.DType;
import dev.autograd.core.Generator;
import dev.autograd.core.Gradcheck;
import dev.autograd.core.NN;
import dev.autograd.core.Reduction;
import dev.autograd.core.Tensor;
import org.junit.jupiter.api.Test;

/** Finite-difference checks (FLOAT64) of every nn primitive and its variants, plus edge cases. */
class NnOpsGradcheckTest {
  private final Generator gen = new Generator(42);

  private Tensor randn(int... shape) {
    return Tensor.randn(gen, DType.FLOAT64, shape).requiresGrad_();
  }

  private Tensor rand(double lo, double hi, int... shape) {
    return Tensor.rand(gen, DType.FLOAT64, shape).mul(hi - lo).add(lo).detach().requiresGrad_();
  }

  private static final Tensor TARGETS = Tensor.of(new long[] {0, 3, 1, 3, 2}, 5);
  private static final Tensor IGNORED = Tensor.of(new long[] {0, -100, 1, 3, -100}, 5);

  @Test
  void linear() {
    Gradcheck.assertGradients(in -> NN.linear(in[0], in[1], in[2]), randn(3, 4), randn(2, 4), randn(2));
    Gradcheck.assertGradients(in -> NN.linear(in[0], in[1], null), randn(2, 3, 4), randn(5, 4));
  }

  @Test
  void regressionLosses() {
    for (Reduction r : Reduction.values()) {
      Gradcheck.assertGradients(in -> NN.mseLoss(in[0], in[1], r), randn(3, 4), randn(3, 4));
      Gradcheck.assertGradients(in -> NN.l1Loss(in[0], in[1], r), randn(3, 4), randn(3, 4));
      Gradcheck.assertGradients(in -> NN.smoothL1Loss(in[0], in[1], r, 0.7), randn(3, 4), randn(3, 4));
    }
    Gradcheck.assertSecondOrder(in -> NN.mseLoss(in[0], in[1], Reduction.MEAN), randn(3, 4), randn(3, 4));
  }

  @Test
  void binaryCrossEntropy() {
    Tensor w = Tensor.rand(gen, DType.FLOAT64, 6);
    for (Reduction r : Reduction.values()) {
      Gradcheck.assertGradients(in -> NN.binaryCrossEntropy(in[0], in[1], null, r), rand(0.1, 0.9, 6), rand(0, 1, 6));
      Gradcheck.assertGradients(in -> NN.binaryCrossEntropy(in[0], in[1], w, r), rand(0.1, 0.9, 6), rand(0, 1, 6));
    }
    assertThrows(IllegalArgumentException.class, () -> NN.binaryCrossEntropy(Tensor.of(new double[] {1.5}), Tensor.of(new double[] {1}), null, Reduction.MEAN));
  }

  @Test
  void binaryCrossEntropyWithLogits() {
    Tensor w = Tensor.rand(gen, DType.FLOAT64, 2, 3);
    Tensor pos = Tensor.rand(gen, DType.FLOAT64, 3).mul(3);
    for (Reduction r : Reduction.values()) {
      Gradcheck.assertGradients(in -> NN.binaryCrossEntropyWithLogits(in[0], in[1], w, pos, r), randn(2, 3), rand(0, 1, 2, 3));
    }
    Gradcheck.assertGradients(in -> NN.binaryCrossEntropyWithLogits(in[0], in[1], null, in[2], Reduction.MEAN), randn(2, 3), rand(0, 1, 2, 3), rand(0.5, 2, 3));
    // stable for large logits: log(1 + e^1000) does not overflow
    Tensor big = NN.binaryCrossEntropyWithLogits(Tensor.of(new double[] {1000, -1000}), Tensor.of(new double[] {0, 1}), null, null, Reduction.NONE);
    assertArrayEquals(new double[] {1000, 1000}, big.toDoubleArray(), 1e-9);
  }

  @Test
  void crossEntropyAndNllVariants() {
    Tensor w = Tensor.of(new double[] {0.2, 1.0, 0.5, 2.0});
    for (Reduction r : Reduction.values()) {
      for (Tensor t : new Tensor[] {TARGETS, IGNORED}) {
        for (Tensor weight : new Tensor[] {null, w}) {
          for (double eps : new double[] {0, 0.2}) {
            Gradcheck.assertGradients(in -> NN.crossEntropy(in[0], t, weight, r, -100, eps), randn(5, 4));
          }
          Gradcheck.assertGradients(in -> NN.nllLoss(NN.logSoftmax(in[0], 1), t, weight, r, -100), randn(5, 4));
        }
      }
    }
    Gradcheck.assertSecondOrder(in -> NN.crossEntropy(in[0], IGNORED, w, Reduction.MEAN, -100, 0.1), randn(5, 4));
    // K-dim targets: input [N, C, d], target [N, d]
    Tensor t2 = Tensor.of(new long[] {0, 2, 1, 1, 0, 2}, 2, 3);
    Gradcheck.assertGradients(in -> NN.crossEntropy(in[0], t2, null, Reduction.MEAN, -100, 0.1), randn(2, 3, 3));
  }

  @Test
  void crossEntropyMatchesHandComputedSmoothing() {
    // PyTorch: (1-e)*nll + e/C * smooth, smooth mean over all samples when unweighted
    Tensor x = Tensor.of(new double[][] {{1, 2, 3}, {0.5, -1, 0}});
    Tensor t = Tensor.of(new long[] {2, 0}, 2);
    double[] lp = NN.logSoftmax(x, 1).toDoubleArray();
    double nll = -(lp[2] + lp[3]) / 2;
    double smooth = -(lp[0] + lp[1] + lp[2] + lp[3] + lp[4] + lp[5]) / 2;
    double want = 0.9 * nll + 0.1 / 3 * smooth;
    assertEquals(want, NN.crossEntropy(x, t, null, Reduction.MEAN, -100, 0.1).item(), 1e-12);
    // weighted mean divides by the sum of the targets' weights; ignored targets are left out
    Tensor w = Tensor.of(new double[] {2, 1, 3});
    double wnll = -(3 * lp[2]) / 3;
    assertEquals(wnll, NN.crossEntropy(x, Tensor.of(new long[] {2, -100}, 2), w, Reduction.MEAN, -100, 0).item(), 1e-12);
    // an ignored sample changes nothing, with or without weights and smoothing
    Tensor x3 = Tensor.cat(0, x, Tensor.of(new double[][] {{9, -9, 4}}));
    Tensor t3 = Tensor.of(new long[] {2, 0, -100}, 3);
    for (Tensor weight : new Tensor[] {null, w}) {
      for (Reduction r : new Reduction[] {Reduction.MEAN, Reduction.SUM}) {
        assertEquals(NN.crossEntropy(x, t, weight, r, -100, 0.3).item(), NN.crossEntropy(x3, t3, weight, r, -100, 0.3).item(), 1e-12);
      }
    }
    assertThrows(IndexOutOfBoundsException.class, () -> NN.crossEntropy(x, Tensor.of(new long[] {3, 0}, 2), null, Reduction.MEAN, -100, 0));
    assertThrows(IllegalArgumentException.class, () -> NN.crossEntropy(x, Tensor.of(new double[] {1, 0}), null, Reduction.MEAN, -100, 0));
  }

  @Test
  void softmaxFamily() {
    Gradcheck.assertGradients(in -> NN.softmax(in[0], 1), randn(3, 4));
    Gradcheck.assertGradients(in -> NN.logSoftmax(in[0], 0), randn(3, 4));
    Gradcheck.assertSecondOrder(in -> NN.logSoftmax(in[0], -1), randn(2, 3));
    Tensor big = NN.softmax(Tensor.of(new double[] {1000, 1000}), 0);
    assertArrayEquals(new double[] {0.5, 0.5}, big.toDoubleArray(), 1e-12);
  }

  @Test
  void normalization() {
    Gradcheck.assertGradients(in -> NN.layerNorm(in[0], new int[] {3, 4}, in[1], in[2], 1e-5), randn(2, 3, 4), randn(3, 4), randn(3, 4));
    Gradcheck.assertSecondOrder(in -> NN.layerNorm(in[0], new int[] {4}, null, null, 1e-5), randn(3, 4));
    Gradcheck.assertGradients(in -> NN.batchNorm(in[0], null, null, in[1], in[2], true, 0.1, 1e-5), randn(5, 3), randn(3), randn(3));
    Gradcheck.assertGradients(in -> NN.batchNorm(in[0], null, null, in[1], in[2], true, 0.1, 1e-5), randn(2, 3, 4), randn(3), randn(3));
    Tensor rm = Tensor.zeros(DType.FLOAT64, 3), rv = Tensor.ones(DType.FLOAT64, 3);
    Gradcheck.assertGradients(in -> NN.batchNorm(in[0], rm, rv, in[1], null, false, 0.1, 1e-5), randn(4, 3), randn(3));
  }

  @Test
  void batchNormUpdatesRunningStatsLikePyTorch() {
    Tensor x = Tensor.of(new double[][] {{1, 10}, {3, 20}, {8, 60}});
    Tensor rm = Tensor.zeros(DType.FLOAT64, 2), rv = Tensor.ones(DType.FLOAT64, 2);
    NN.batchNorm(x, rm, rv, null, null, true, 0.1, 1e-5);
    assertArrayEquals(new double[] {0.4, 3.0}, rm.toDoubleArray(), 1e-12);
    // unbiased variances 13 and 700
    assertArrayEquals(new double[] {0.9 + 1.3, 0.9 + 70}, rv.toDoubleArray(), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> NN.batchNorm(Tensor.ones(DType.FLOAT64, 1, 2), rm, rv, null, null, true, 0.1, 1e-5));
  }

  @Test
  void embedding() {
    Tensor idx = Tensor.of(new long[] {1, 3, 1, 0, 4, 4}, 2, 3);
    Gradcheck.assertGradients(in -> NN.embedding(in[0], idx), randn(5, 2));
    Gradcheck.assertSecondOrder(in -> NN.embedding(in[0], idx).square(), randn(5, 2));
    assertThrows(IndexOutOfBoundsException.class, () -> NN.embedding(Tensor.zeros(DType.FLOAT64, 5, 2), Tensor.of(new long[] {5}, 1)));
  }

  @Test
  void convolution() {
    Gradcheck.assertGradients(in -> NN.conv2d(in[0], in[1], in[2], new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, 1), randn(2, 2, 4, 4), randn(3, 2, 3, 3), randn(3));
    Gradcheck.assertGradients(in -> NN.conv2d(in[0], in[1], in[2], new int[] {2, 1}, new int[] {0, 1}, new int[] {1, 1}, 1), randn(1, 2, 5, 4), randn(2, 2, 2, 3), randn(2));
    Gradcheck.assertGradients(in -> NN.conv2d(in[0], in[1], null, new int[] {1, 1}, new int[] {0, 0}, new int[] {2, 2}, 2), randn(1, 4, 5, 5), randn(2, 2, 2, 2));
    Gradcheck.assertSecondOrder(in -> NN.conv2d(in[0], in[1], null, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, 1).square(), randn(1, 1, 3, 3), randn(1, 1, 2, 2));
    Exception e = assertThrows(IllegalArgumentException.class, () -> NN.conv2d(Tensor.zeros(DType.FLOAT64, 1, 2, 5, 5), Tensor.zeros(DType.FLOAT64, 4, 3, 3, 3), null, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 1));
    assertTrue(e.getMessage().contains("to have 3 channels, but got 2 channels"), e.getMessage());
  }

  @Test
  void pooling() {
    Gradcheck.assertGradients(in -> NN.maxPool2d(in[0], new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0}, new int[] {1, 1}), randn(2, 2, 4, 5));
    Gradcheck.assertGradients(in -> NN.maxPool2d(in[0], new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1}), randn(1, 2, 5, 5));
    Gradcheck.assertGradients(in -> NN.avgPool2d(in[0], new int[] {2, 2}, new int[] {1, 2}, new int[] {1, 1}), randn(2, 1, 4, 4));
    Gradcheck.assertSecondOrder(in -> NN.maxPool2d(in[0], new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0}, new int[] {1, 1}).square(), randn(1, 1, 4, 4));
    Tensor x = Tensor.of(new double[] {1, 5, 2, 0, -1, 3, 4, 9, 7, 6, 8, 2, 0, 1, 2, 3}, 1, 1, 4, 4);
    assertArrayEquals(new double[] {5, 9, 7, 8}, NN.maxPool2d(x, new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0}, new int[] {1, 1}).toDoubleArray());
  }

  @Test
  void dropout() {
    Tensor mask = Tensor.ones(DType.FLOAT64, 1000);
    Tensor y = NN.dropout(mask, 0.3, true, new Generator(7));
    double[] v = y.toDoubleArray();
    int zeros = 0;
    for (double e : v) {
      if (e == 0) zeros++;
      else assertEquals(1 / 0.7, e, 1e-12);
    }
    assertTrue(zeros > 240 && zeros < 360, "zeros: " + zeros);
    assertArrayEquals(v, NN.dropout(mask, 0.3, true, new Generator(7)).toDoubleArray(), "same seed, same mask");
    assertTrue(NN.dropout(mask, 0.3, false, null) == mask);
    Gradcheck.assertGradients(in -> NN.dropout(in[0], 0.5, true, new Generator(3)), randn(4, 3));
  }
}
