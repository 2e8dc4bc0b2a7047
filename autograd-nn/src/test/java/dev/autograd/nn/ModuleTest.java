package dev.autograd.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.core.DType;
import dev.autograd.core.Generator;
import dev.autograd.core.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModuleTest {
  /** A module with a shared sub-layer, to check deduplication and dotted names. */
  static final class Net extends Module {
    final Linear fc1, fc2;

    Net() {
      fc1 = registerModule("fc1", new Linear(3, 4, true, new Generator(1)));
      registerModule("act", new ReLU());
      fc2 = registerModule("fc2", new Linear(4, 2, false, new Generator(2)));
      registerModule("bn", new BatchNorm1d(2));
      registerModule("again", fc1);
    }

    @Override
    public Tensor forward(Tensor x) {
      return fc2.forward(fc1.forward(x).relu());
    }
  }

  @Test
  void printsLikePyTorch() {
    Sequential s = new Sequential(new Linear(4, 8), new Tanh(), new Linear(8, 3));
    assertEquals(
        "Sequential(\n  (0): Linear(in_features=4, out_features=8, bias=True)\n  (1): Tanh()\n  (2): Linear(in_features=8, out_features=3, bias=True)\n)",
        s.toString());
    Sequential nested =
        new Sequential(
            new Sequential(new ReLU()),
            new Dropout(0.2),
            new BatchNorm1d(3),
            new LayerNorm(5),
            new Conv2d(1, 2, 3, 1, 1));
    assertEquals(
        "Sequential(\n  (0): Sequential(\n    (0): ReLU()\n  )\n  (1): Dropout(p=0.2, inplace=False)\n"
            + "  (2): BatchNorm1d(3, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)\n"
            + "  (3): LayerNorm((5,), eps=1e-05, elementwise_affine=True)\n"
            + "  (4): Conv2d(1, 2, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))\n)",
        nested.toString());
  }

  @Test
  void formatsFloatsLikePython() {
    assertEquals("1e-05", Repr.pyFloat(1e-5));
    assertEquals("0.0001", Repr.pyFloat(1e-4));
    assertEquals("0.1", Repr.pyFloat(0.1));
    assertEquals("1.0", Repr.pyFloat(1));
    assertEquals("-2.5e+20", Repr.pyFloat(-2.5e20));
    assertEquals("1234.5", Repr.pyFloat(1234.5));
    assertEquals("LeakyReLU(negative_slope=0.01)", new LeakyReLU().toString());
    assertEquals("GELU(approximate='none')", new GELU().toString());
    assertEquals("LSTM(3, 4)", new LSTM(3, 4).toString());
    assertEquals("Embedding(6, 3)", new Embedding(6, 3).toString());
    assertEquals(
        "MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)",
        new MaxPool2d(2).toString());
    assertEquals("AvgPool2d(kernel_size=2, stride=2, padding=0)", new AvgPool2d(2).toString());
    assertEquals("Flatten(start_dim=1, end_dim=-1)", new Flatten().toString());
    assertEquals("CrossEntropyLoss()", new CrossEntropyLoss().toString());
  }

  @Test
  void parametersAreDeduplicatedInRegistrationOrder() {
    Net net = new Net();
    assertEquals(
        List.of("fc1.weight", "fc1.bias", "fc2.weight", "bn.weight", "bn.bias"),
        new ArrayList<>(net.namedParameters().keySet()));
    assertEquals(5, net.parameters().size());
    assertSame(net.fc1.weight(), net.parameters().get(0));
    assertEquals(12 + 4 + 8 + 2 + 2, net.numParameters());
    assertEquals(
        List.of(
            "fc1.weight",
            "fc1.bias",
            "fc2.weight",
            "bn.weight",
            "bn.bias",
            "bn.running_mean",
            "bn.running_var",
            "bn.num_batches_tracked",
            "again.weight",
            "again.bias"),
        new ArrayList<>(net.stateDict().keySet()),
        "like PyTorch, a shared module is saved under each of its names");
    assertEquals(DType.INT64, net.stateDict().get("bn.num_batches_tracked").dtype());
    assertEquals(
        List.of("", "fc1", "act", "fc2", "bn"), new ArrayList<>(net.namedModules().keySet()));
    assertEquals(5, net.children().size());
    for (Tensor p : net.parameters()) assertTrue(p.isLeaf() && p.requiresGrad());
  }

  @Test
  void trainEvalZeroGradAndApply() {
    Net net = new Net();
    net.eval();
    for (Module m : net.modules()) assertTrue(!m.isTraining());
    net.train();
    net.forward(Tensor.randn(5, 3)).sum().backward();
    assertTrue(net.fc1.weight().grad() != null);
    net.zeroGrad();
    for (Tensor p : net.parameters()) assertNull(p.grad());
    List<String> visited = new ArrayList<>();
    net.apply(m -> visited.add(m.getClass().getSimpleName()));
    assertEquals(List.of("Linear", "ReLU", "Linear", "BatchNorm1d", "Linear", "Net"), visited);
  }

  @Test
  void loadStateDictChecksEverythingFirst() {
    Sequential a = new Sequential(new Linear(2, 3), new ReLU(), new Linear(3, 1));
    Sequential b = new Sequential(new Linear(2, 3), new ReLU(), new Linear(3, 1));
    b.loadStateDict(a.stateDict());
    assertArrayEquals(
        a.stateDict().get("2.weight").toFloatArray(), b.stateDict().get("2.weight").toFloatArray());

    float[] before = b.stateDict().get("0.weight").toFloatArray();
    Map<String, Tensor> bad = new LinkedHashMap<>(a.stateDict());
    bad.put("0.weight", Tensor.full(new int[] {3, 2}, 7.0));
    bad.remove("2.bias");
    bad.put("extra", Tensor.zeros(1));
    bad.put("2.weight", Tensor.zeros(2, 3));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(bad, true));
    assertTrue(e.getMessage().contains("Missing key(s) in state_dict: \"2.bias\""), e.getMessage());
    assertTrue(
        e.getMessage().contains("Unexpected key(s) in state_dict: \"extra\""), e.getMessage());
    assertTrue(
        e.getMessage()
            .contains(
                "size mismatch for 2.weight: copying a param with shape [2, 3] from checkpoint, the shape in current model is [1, 3]"),
        e.getMessage());
    assertArrayEquals(
        before, b.stateDict().get("0.weight").toFloatArray(), "a failed load changes nothing");

    Map<String, Tensor> partial = new LinkedHashMap<>();
    partial.put("0.bias", Tensor.ones(3));
    partial.put("unknown", Tensor.ones(3));
    b.loadStateDict(partial, false);
    assertArrayEquals(new float[] {1, 1, 1}, b.stateDict().get("0.bias").toFloatArray());
  }

  @Test
  void convertsToDouble() {
    Sequential s = new Sequential(new Linear(2, 2), new BatchNorm1d(2));
    float[] w = s.stateDict().get("0.weight").toFloatArray();
    s.to(DType.FLOAT64);
    for (Tensor p : s.parameters()) {
      assertEquals(DType.FLOAT64, p.dtype());
      assertTrue(p.isLeaf() && p.requiresGrad());
    }
    assertEquals(DType.FLOAT64, s.stateDict().get("1.running_mean").dtype());
    assertEquals(DType.INT64, s.stateDict().get("1.num_batches_tracked").dtype());
    double[] d = s.stateDict().get("0.weight").toDoubleArray();
    for (int i = 0; i < w.length; i++) assertEquals(w[i], d[i], 0);
    assertEquals(DType.FLOAT64, s.forward(Tensor.randn(3, 2).to(DType.FLOAT64)).dtype());
  }

  @Test
  void defaultInitialisationBounds() {
    Linear l = new Linear(16, 32, true, new Generator(3));
    double bound = 1 / Math.sqrt(16);
    for (double v : l.weight().toDoubleArray()) assertTrue(Math.abs(v) <= bound);
    for (double v : l.bias().toDoubleArray()) assertTrue(Math.abs(v) <= bound);
    Linear same = new Linear(16, 32, true, new Generator(3));
    assertArrayEquals(
        l.weight().toFloatArray(), same.weight().toFloatArray(), "same seed, same weights");
  }

  @Test
  void lossNeedsTarget() {
    assertThrows(UnsupportedOperationException.class, () -> new MSELoss().forward(Tensor.zeros(2)));
  }

  @Test
  void invokeIsForward() {
    Net net = new Net();
    Tensor x = Tensor.randn(new Generator(3), DType.FLOAT32, 2, 3);
    assertArrayEquals(net.forward(x).toFloatArray(), net.invoke(x).toFloatArray());
    Tensor y = Tensor.zeros(2, 2);
    MSELoss loss = new MSELoss();
    assertEquals(loss.forward(net.forward(x), y).item(), loss.invoke(net.forward(x), y).item());
    LSTM lstm = new LSTM(3, 2, 1, true, false, new Generator(4));
    Tensor seq = Tensor.randn(new Generator(5), DType.FLOAT32, 4, 1, 3);
    assertArrayEquals(
        lstm.forward(seq, null, null).hN.toFloatArray(),
        lstm.invoke(seq, null, null).hN.toFloatArray());
  }
}
