package dev.autograd.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autograd.core.Autograd;
import dev.autograd.core.DType;
import dev.autograd.core.GradMode;
import dev.autograd.core.Tensor;
import dev.autograd.nn.optim.Adagrad;
import dev.autograd.nn.optim.Adam;
import dev.autograd.nn.optim.AdamW;
import dev.autograd.nn.optim.Optimizer;
import dev.autograd.nn.optim.RMSprop;
import dev.autograd.nn.optim.SGD;
import dev.autograd.nn.optim.StepLR;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whole PyTorch training runs (training.json) reproduced in FLOAT64: every loss and the final
 * weights.
 */
class TrainingGoldenTest {
  static final double RTOL = 1e-9;

  static JsonNode runs() throws IOException {
    try (InputStream in = TrainingGoldenTest.class.getResourceAsStream("/golden/training.json")) {
      return new ObjectMapper().readTree(in).get("runs");
    }
  }

  static Tensor tensor(JsonNode n) {
    JsonNode data = n.get("data"), shape = n.get("shape");
    double[] v = new double[data.size()];
    for (int i = 0; i < v.length; i++) v[i] = data.get(i).asDouble();
    int[] s = new int[shape.size()];
    for (int i = 0; i < s.length; i++) s[i] = shape.get(i).asInt();
    return Tensor.of(v, s);
  }

  static Map<String, Tensor> state(JsonNode n) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : n.properties()) out.put(e.getKey(), tensor(e.getValue()));
    return out;
  }

  static void assertClose(String what, double want, double got) {
    assertTrue(
        Math.abs(want - got) <= RTOL * Math.abs(want) + 1e-12,
        what + ": got " + got + ", expected " + want);
  }

  static void assertState(String run, Map<String, Tensor> want, Map<String, Tensor> got) {
    assertEquals(want.keySet(), got.keySet(), run + ": state keys");
    for (String k : want.keySet()) {
      double[] w = want.get(k).toDoubleArray(), g = got.get(k).toDoubleArray();
      for (int i = 0; i < w.length; i++) assertClose(run + " " + k + "[" + i + "]", w[i], g[i]);
    }
  }

  static Stream<String> sequentialRuns() throws IOException {
    List<String> names = new ArrayList<>();
    for (JsonNode r : runs()) if (r.has("model")) names.add(r.get("name").asText());
    return names.stream();
  }

  @Test
  void seedTwoLayerNetWithManualSgd() throws IOException {
    JsonNode run = runs().get(0);
    assertEquals("seed_two_layer_manual_sgd", run.get("name").asText());
    Tensor x = tensor(run.get("x")), y = tensor(run.get("y"));
    Map<String, Tensor> init = state(run.get("initial_state"));
    Tensor w1 = init.get("w1").requiresGrad_(), w2 = init.get("w2").requiresGrad_();
    double lr = run.get("lr").asDouble();
    JsonNode losses = run.get("losses");
    for (int t = 0; t < losses.size(); t++) {
      Tensor loss = x.mm(w1).clampMin(0).mm(w2).sub(y).pow(2).sum();
      assertClose("loss " + t, losses.get(t).asDouble(), loss.item());
      loss.backward();
      try (GradMode.Scope s = Autograd.noGrad()) {
        w1.sub_(w1.grad().mul(lr));
        w2.sub_(w2.grad().mul(lr));
        w1.grad().zero_();
        w2.grad().zero_();
      }
    }
    Map<String, Tensor> got = new LinkedHashMap<>();
    got.put("w1", w1);
    got.put("w2", w2);
    assertState("seed", state(run.get("final_state")), got);
  }

  @ParameterizedTest
  @MethodSource("sequentialRuns")
  void sequentialNetworkReproducesPyTorch(String name) throws IOException {
    JsonNode run = null;
    for (JsonNode r : runs()) if (r.get("name").asText().equals(name)) run = r;
    Sequential model = new Sequential(new Linear(4, 8), new Tanh(), new Linear(8, 3));
    model.to(DType.FLOAT64);
    assertEquals(
        "Sequential(\n  (0): Linear(in_features=4, out_features=8, bias=True)\n  (1): Tanh()\n  (2): Linear(in_features=8, out_features=3, bias=True)\n)",
        model.toString());
    model.loadStateDict(state(run.get("initial_state")));
    Tensor x = tensor(run.get("x"));
    JsonNode yNode = run.get("y");
    boolean ce = run.get("loss").asText().equals("cross_entropy");
    Tensor y = ce ? tensor(yNode).to(DType.INT64) : tensor(yNode);
    Loss lossFn = ce ? new CrossEntropyLoss() : new MSELoss();
    List<Tensor> ps = model.parameters();
    StepLR sched = null;
    Optimizer opt;
    switch (name) {
      case "sgd_mse":
        opt = new SGD(ps, 0.1);
        break;
      case "sgd_momentum_nesterov_wd_ce":
        opt = new SGD(ps, 0.05, 0.9, 0, 1e-3, true);
        break;
      case "adam_ce":
        opt = new Adam(ps, 0.01);
        break;
      case "adamw_ce":
        opt = new AdamW(ps, 0.01, 0.9, 0.999, 1e-8, 0.05, false);
        break;
      case "rmsprop_mse":
        opt = new RMSprop(ps, 0.01);
        break;
      case "adagrad_mse":
        opt = new Adagrad(ps, 0.05);
        break;
      case "sgd_steplr_mse":
        opt = new SGD(ps, 0.1, 0.5, 0, 0, false);
        sched = new StepLR(opt, 5, 0.5);
        break;
      default:
        throw new AssertionError(
            "no optimizer mapping for run " + name + " (" + run.get("optimizer").asText() + ")");
    }
    JsonNode losses = run.get("losses");
    for (int t = 0; t < losses.size(); t++) {
      opt.zeroGrad();
      Tensor loss = lossFn.forward(model.forward(x), y);
      assertClose(name + " loss " + t, losses.get(t).asDouble(), loss.item());
      loss.backward();
      opt.step();
      if (sched != null) sched.step();
    }
    assertState(name, state(run.get("final_state")), model.stateDict());
  }
}
