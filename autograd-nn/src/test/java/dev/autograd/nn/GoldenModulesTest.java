package dev.autograd.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autograd.core.Autograd;
import dev.autograd.core.DType;
import dev.autograd.core.Reduction;
import dev.autograd.core.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The nn cases of ops.json run through the layer and loss modules (weights loaded with
 * loadStateDict into FLOAT64 modules): outputs and the gradients of every input and parameter.
 */
class GoldenModulesTest {
  /** A module set up for one case: how to run it and which tensors the case's grads belong to. */
  private static final class Setup {
    final Tensor out;
    final Tensor[] gradOf;

    Setup(Tensor out, Tensor... gradOf) {
      this.out = out;
      this.gradOf = gradOf;
    }
  }

  static Stream<JsonNode> cases() throws IOException {
    try (InputStream in = GoldenModulesTest.class.getResourceAsStream("/golden/ops.json")) {
      List<JsonNode> out = new ArrayList<>();
      for (JsonNode c : new ObjectMapper().readTree(in).get("cases")) {
        if (MODULE_OPS.contains(c.get("op").asText())) out.add(c);
      }
      return out.stream();
    }
  }

  static final List<String> MODULE_OPS =
      List.of(
          "linear",
          "mse_loss",
          "l1_loss",
          "smooth_l1_loss",
          "cross_entropy",
          "nll_loss",
          "binary_cross_entropy",
          "binary_cross_entropy_with_logits",
          "layer_norm",
          "batch_norm",
          "embedding",
          "conv2d",
          "max_pool2d",
          "avg_pool2d");

  static Tensor tensor(JsonNode n) {
    JsonNode data = n.get("data");
    int[] shape = new int[n.get("shape").size()];
    for (int i = 0; i < shape.length; i++) shape[i] = n.get("shape").get(i).asInt();
    if (n.path("dtype").asText("float64").equals("int64")) {
      long[] v = new long[data.size()];
      for (int i = 0; i < v.length; i++) v[i] = data.get(i).asLong();
      return Tensor.of(v, shape);
    }
    double[] v = new double[data.size()];
    for (int i = 0; i < v.length; i++) v[i] = data.get(i).asDouble();
    return shape.length == 0 ? Tensor.scalar(v[0], DType.FLOAT64) : Tensor.of(v, shape);
  }

  private static <M extends Module> M load(M m, Object... nameValue) {
    m.to(DType.FLOAT64);
    Map<String, Tensor> state = new LinkedHashMap<>();
    for (int i = 0; i < nameValue.length; i += 2)
      state.put((String) nameValue[i], (Tensor) nameValue[i + 1]);
    m.loadStateDict(state, false);
    return m;
  }

  private static int pair(JsonNode a, String key, int dflt) {
    JsonNode v = a.get(key);
    return v == null || v.isNull() ? dflt : (v.isArray() ? v.get(0).asInt() : v.asInt());
  }

  private static Setup build(String op, JsonNode a, Tensor[] in) {
    Reduction r = Reduction.of(a.path("reduction").asText("mean"));
    switch (op) {
      case "linear":
        {
          Linear l = load(new Linear(in[1].size(1), in[1].size(0)), "weight", in[1], "bias", in[2]);
          return new Setup(l.forward(in[0]), in[0], l.weight(), l.bias());
        }
      case "mse_loss":
        return new Setup(new MSELoss(r).forward(in[0], in[1]), in[0], in[1]);
      case "l1_loss":
        return new Setup(new L1Loss(r).forward(in[0], in[1]), in[0], in[1]);
      case "smooth_l1_loss":
        return new Setup(
            new SmoothL1Loss(r, a.path("beta").asDouble(1)).forward(in[0], in[1]), in[0], in[1]);
      case "cross_entropy":
        return new Setup(
            new CrossEntropyLoss(null, r, -100, a.path("label_smoothing").asDouble(0))
                .forward(in[0], in[1]),
            in[0]);
      case "nll_loss":
        return new Setup(new NLLLoss(null, r, -100).forward(in[0], in[1]), in[0]);
      case "binary_cross_entropy":
        return new Setup(new BCELoss(null, r).forward(in[0], in[1]), in[0], in[1]);
      case "binary_cross_entropy_with_logits":
        return new Setup(new BCEWithLogitsLoss(null, r, null).forward(in[0], in[1]), in[0], in[1]);
      case "layer_norm":
        {
          LayerNorm ln =
              load(
                  new LayerNorm(new int[] {in[1].size(0)}, a.path("eps").asDouble(1e-5), true),
                  "weight",
                  in[1],
                  "bias",
                  in[2]);
          return new Setup(ln.forward(in[0]), in[0], ln.parameter("weight"), ln.parameter("bias"));
        }
      case "batch_norm":
        {
          BatchNorm1d bn =
              load(
                  new BatchNorm1d(in[1].size(0), a.path("eps").asDouble(1e-5), 0.1, true, true),
                  "weight",
                  in[1],
                  "bias",
                  in[2]);
          bn.train(a.path("training").asBoolean());
          return new Setup(bn.forward(in[0]), in[0], bn.parameter("weight"), bn.parameter("bias"));
        }
      case "embedding":
        {
          Embedding e = load(new Embedding(in[1].size(0), in[1].size(1)), "weight", in[1]);
          return new Setup(e.forward(in[0]), e.weight());
        }
      case "conv2d":
        {
          int s = pair(a, "stride", 1), p = pair(a, "padding", 0);
          Conv2d c =
              new Conv2d(
                  in[1].size(1),
                  in[1].size(0),
                  new int[] {in[1].size(2), in[1].size(3)},
                  new int[] {s, s},
                  new int[] {p, p},
                  new int[] {1, 1},
                  1,
                  true,
                  null);
          load(c, "weight", in[1], "bias", in[2]);
          return new Setup(c.forward(in[0]), in[0], c.weight(), c.bias());
        }
      case "max_pool2d":
        {
          int k = pair(a, "kernel_size", 1);
          return new Setup(
              new MaxPool2d(k, pair(a, "stride", k), pair(a, "padding", 0)).forward(in[0]), in[0]);
        }
      case "avg_pool2d":
        {
          int k = pair(a, "kernel_size", 1);
          return new Setup(
              new AvgPool2d(k, pair(a, "stride", k), pair(a, "padding", 0)).forward(in[0]), in[0]);
        }
      default:
        throw new AssertionError("no module mapping for op " + op);
    }
  }

  private static void expect(String what, JsonNode want, Tensor got) {
    int[] shape = new int[want.get("shape").size()];
    for (int i = 0; i < shape.length; i++) shape[i] = want.get("shape").get(i).asInt();
    assertArrayEquals(shape, got.shape(), what + " shape");
    double[] g = got.toDoubleArray();
    for (int i = 0; i < g.length; i++) {
      double w = want.get("data").get(i).asDouble();
      assertTrue(
          Math.abs(w - g[i]) <= 1e-9 * Math.abs(w) + 1e-10,
          what + "[" + i + "]: got " + g[i] + ", expected " + w);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void moduleMatchesPyTorch(JsonNode c) {
    String name = c.get("name").asText();
    JsonNode ins = c.get("inputs");
    Tensor[] in = new Tensor[ins.size()];
    for (int i = 0; i < in.length; i++) {
      in[i] = tensor(ins.get(i));
      if (in[i].dtype() == DType.FLOAT64) in[i].requiresGrad_();
    }
    Setup s = build(c.get("op").asText(), c.get("args"), in);
    expect(name + " output", c.get("output"), s.out);
    Tensor[] g =
        Autograd.grad(
            new Tensor[] {s.out.mul(tensor(c.get("upstream"))).sum()},
            s.gradOf,
            null,
            false,
            false,
            false);
    for (int i = 0; i < g.length; i++) expect(name + " grad " + i, c.get("grads").get(i), g[i]);
  }
}
