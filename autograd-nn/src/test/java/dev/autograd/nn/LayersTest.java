package dev.autograd.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.core.DType;
import dev.autograd.core.Generator;
import dev.autograd.core.Gradcheck;
import dev.autograd.core.Reduction;
import dev.autograd.core.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every layer and loss: FLOAT64 gradcheck with respect to the input and all parameters; train/eval
 * behaviour.
 */
class LayersTest {
  private final Generator gen = new Generator(5);

  private Tensor randn(int... shape) {
    return Tensor.randn(gen, DType.FLOAT64, shape).requiresGrad_();
  }

  /** Gradchecks {@code m.forward(x)} with respect to x and every parameter. */
  private static void check(Module m, Tensor x) {
    m.to(DType.FLOAT64);
    List<Tensor> ins = new ArrayList<>();
    ins.add(x);
    ins.addAll(m.parameters());
    Gradcheck.assertGradients(in -> m.forward(in[0]), ins.toArray(new Tensor[0]));
  }

  @Test
  void denseAndActivations() {
    check(new Linear(4, 3, true, gen), randn(2, 4));
    check(
        new Sequential(new Linear(4, 5, true, gen), new Tanh(), new Linear(5, 2, false, gen)),
        randn(3, 4));
    for (Module act :
        new Module[] {
          new ReLU(),
          new LeakyReLU(0.2),
          new GELU(),
          new SiLU(),
          new Sigmoid(),
          new Tanh(),
          new Softmax(1),
          new LogSoftmax(0),
          new Flatten()
        }) {
      check(act, randn(3, 4).add(0.01).detach().requiresGrad_());
    }
    check(new Flatten(), randn(2, 3, 4));
  }

  @Test
  void normalizationEmbeddingConvPool() {
    check(new LayerNorm(4), randn(3, 4));
    check(new BatchNorm1d(3), randn(5, 3));
    check(new BatchNorm1d(3), randn(2, 3, 4));
    Embedding emb = new Embedding(6, 3, gen);
    emb.to(DType.FLOAT64);
    Tensor idx = Tensor.of(new long[] {1, 5, 1, 0}, 2, 2);
    Gradcheck.assertGradients(in -> emb.forward(idx), emb.weight());
    check(
        new Conv2d(
            2,
            3,
            new int[] {3, 3},
            new int[] {2, 2},
            new int[] {1, 1},
            new int[] {1, 1},
            1,
            true,
            gen),
        randn(2, 2, 5, 5));
    check(
        new Conv2d(
            4,
            2,
            new int[] {2, 2},
            new int[] {1, 1},
            new int[] {0, 0},
            new int[] {1, 1},
            2,
            false,
            gen),
        randn(1, 4, 3, 3));
    check(new MaxPool2d(2), randn(1, 2, 4, 4));
    check(new AvgPool2d(3, 1, 1), randn(1, 2, 4, 4));
  }

  @Test
  void embeddingPaddingRowGetsNoGradient() {
    Embedding e = new Embedding(4, 2, 0L, gen);
    assertArrayEquals(new float[] {0, 0}, e.weight().select(0, 0).toFloatArray());
    e.to(DType.FLOAT64);
    Tensor idx = Tensor.of(new long[] {0, 2, 0, 3}, 4);
    e.forward(idx).sum().backward();
    assertArrayEquals(new double[] {0, 0, 0, 0, 1, 1, 1, 1}, e.weight().grad().toDoubleArray());
    Gradcheck.assertSecondOrder(in -> Functional.embedding(idx, in[0], 0).square(), randn(4, 2));
    assertEquals("Embedding(4, 2, padding_idx=0)", e.toString());
  }

  @Test
  void lstm() {
    LSTM lstm = new LSTM(3, 4, 2, true, true, gen);
    lstm.to(DType.FLOAT64);
    assertEquals(
        List.of(
            "weight_ih_l0",
            "weight_hh_l0",
            "bias_ih_l0",
            "bias_hh_l0",
            "weight_ih_l1",
            "weight_hh_l1",
            "bias_ih_l1",
            "bias_hh_l1"),
        new ArrayList<>(lstm.namedParameters().keySet()));
    Tensor x = randn(2, 5, 3); // batch 2, 5 steps
    LSTM.Output out = lstm.forward(x, null, null);
    assertArrayEquals(new int[] {2, 5, 4}, out.output.shape());
    assertArrayEquals(new int[] {2, 2, 4}, out.hN.shape());
    assertArrayEquals(new int[] {2, 2, 4}, out.cN.shape());
    // the last output step is the top layer's final hidden state
    assertArrayEquals(
        out.output.select(1, 4).toDoubleArray(), out.hN.select(0, 1).toDoubleArray(), 1e-15);
    List<Tensor> ins = new ArrayList<>();
    ins.add(x);
    ins.addAll(lstm.parameters());
    Gradcheck.assertGradients(in -> lstm.forward(in[0], null, null).cN, ins.toArray(new Tensor[0]));
    Gradcheck.assertGradients(in -> lstm.forward(in[0]), ins.toArray(new Tensor[0]));
    assertEquals("LSTM(3, 4, num_layers=2, batch_first=True)", lstm.toString());
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class,
        () -> lstm.forward(x, Tensor.zeros(DType.FLOAT64, 1, 2, 4), null));
    // unbatched [T, in] input gives [T, H] output and [L, H] states
    LSTM.Output single = lstm.forward(x.select(0, 0), null, null);
    assertArrayEquals(
        out.output.select(0, 0).toDoubleArray(), single.output.toDoubleArray(), 1e-15);
    assertArrayEquals(new int[] {2, 4}, single.hN.shape());
  }

  @Test
  void lstmCellMatchesTheGateEquations() {
    LSTM lstm = new LSTM(1, 1, 1, true, false, gen);
    lstm.to(DType.FLOAT64);
    double[] wih = lstm.parameter("weight_ih_l0").toDoubleArray(),
        whh = lstm.parameter("weight_hh_l0").toDoubleArray();
    double[] bih = lstm.parameter("bias_ih_l0").toDoubleArray(),
        bhh = lstm.parameter("bias_hh_l0").toDoubleArray();
    double x = 0.7, h = 0.3, c = -0.2;
    double[] z = new double[4];
    for (int k = 0; k < 4; k++) z[k] = wih[k] * x + bih[k] + whh[k] * h + bhh[k];
    double i = sig(z[0]), f = sig(z[1]), g = Math.tanh(z[2]), o = sig(z[3]);
    double c1 = f * c + i * g, h1 = o * Math.tanh(c1);
    LSTM.Output out =
        lstm.forward(
            Tensor.of(new double[] {x}, 1, 1, 1),
            Tensor.of(new double[] {h}, 1, 1, 1),
            Tensor.of(new double[] {c}, 1, 1, 1));
    assertEquals(h1, out.hN.item(), 1e-15);
    assertEquals(c1, out.cN.item(), 1e-15);
  }

  private static double sig(double v) {
    return 1 / (1 + Math.exp(-v));
  }

  @Test
  void losses() {
    Tensor t = Tensor.of(new long[] {2, 0, 1}, 3);
    Tensor w = Tensor.of(new double[] {1, 2, 0.5});
    for (Reduction r : Reduction.values()) {
      Gradcheck.assertGradients(
          in -> new MSELoss(r).forward(in[0], in[1]), randn(3, 2), randn(3, 2));
      Gradcheck.assertGradients(
          in -> new L1Loss(r).forward(in[0], in[1]), randn(3, 2), randn(3, 2));
      Gradcheck.assertGradients(
          in -> new SmoothL1Loss(r, 0.5).forward(in[0], in[1]), randn(3, 2), randn(3, 2));
      Gradcheck.assertGradients(
          in -> new BCELoss(null, r).forward(in[0].sigmoid(), in[1]),
          randn(4),
          Tensor.rand(gen, DType.FLOAT64, 4));
      Gradcheck.assertGradients(
          in ->
              new BCEWithLogitsLoss(null, r, Tensor.of(new double[] {2, 1, 1, 0.5}))
                  .forward(in[0], in[1]),
          randn(4),
          Tensor.rand(gen, DType.FLOAT64, 4));
      Gradcheck.assertGradients(
          in -> new CrossEntropyLoss(w, r, 1, 0.1).forward(in[0], t), randn(3, 3));
      Gradcheck.assertGradients(
          in -> new NLLLoss(w, r, -100).forward(Functional.logSoftmax(in[0], 1), t), randn(3, 3));
    }
    assertEquals(
        List.of("weight"),
        new ArrayList<>(new CrossEntropyLoss(w, Reduction.MEAN, -100, 0).stateDict().keySet()));
  }

  @Test
  void batchNormWithoutMomentumKeepsACumulativeAverage() {
    BatchNorm1d bn = new BatchNorm1d(1, 1e-5, null, false, true);
    bn.to(DType.FLOAT64);
    bn.forward(Tensor.of(new double[][] {{1}, {3}}));
    bn.forward(Tensor.of(new double[][] {{5}, {7}}));
    assertArrayEquals(new double[] {4}, bn.buffer("running_mean").toDoubleArray(), 1e-12);
    assertArrayEquals(new double[] {2}, bn.buffer("running_var").toDoubleArray(), 1e-12);
    assertEquals(2, bn.buffer("num_batches_tracked").item());
  }

  @Test
  void dropoutTrainAndEval() {
    Dropout d = new Dropout(0.5, new Generator(11));
    Tensor x = Tensor.ones(2000);
    double[] y = d.forward(x).toDoubleArray();
    int zeros = 0;
    for (double v : y) {
      if (v == 0) zeros++;
      else assertEquals(2.0, v, 0);
    }
    assertTrue(zeros > 900 && zeros < 1100, "zeros " + zeros);
    assertNotEquals(0, zeros);
    d.eval();
    assertArrayEquals(x.toFloatArray(), d.forward(x).toFloatArray());
    Dropout a = new Dropout(0.3, new Generator(4)), b = new Dropout(0.3, new Generator(4));
    assertArrayEquals(
        a.forward(x).toFloatArray(), b.forward(x).toFloatArray(), "seeded masks repeat");
  }

  @Test
  void batchNormTrainAndEval() {
    BatchNorm1d bn = new BatchNorm1d(2);
    bn.to(DType.FLOAT64);
    Tensor x = Tensor.of(new double[][] {{1, 10}, {3, 20}, {8, 60}});
    double[] y = bn.forward(x).toDoubleArray();
    // training: batch statistics, biased variance
    double m = 4, v = (9 + 1 + 16) / 3.0;
    assertEquals((1 - m) / Math.sqrt(v + 1e-5), y[0], 1e-12);
    assertArrayEquals(new double[] {0.4, 3.0}, bn.buffer("running_mean").toDoubleArray(), 1e-12);
    assertArrayEquals(
        new double[] {0.9 + 0.1 * 13, 0.9 + 0.1 * 700},
        bn.buffer("running_var").toDoubleArray(),
        1e-12);
    assertEquals(1, bn.buffer("num_batches_tracked").item());
    bn.eval();
    double[] e = bn.forward(x).toDoubleArray();
    assertEquals((1 - 0.4) / Math.sqrt(2.2 + 1e-5), e[0], 1e-12);
    assertEquals(1, bn.buffer("num_batches_tracked").item(), "eval does not count batches");
    assertArrayEquals(new double[] {0.4, 3.0}, bn.buffer("running_mean").toDoubleArray(), 1e-12);
  }
}
