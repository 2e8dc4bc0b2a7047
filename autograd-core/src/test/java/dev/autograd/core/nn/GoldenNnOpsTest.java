package dev.autograd.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autograd.core.Autograd;
import dev.autograd.core.DType;
import dev.autograd.core.NN;
import dev.autograd.core.Reduction;
import dev.autograd.core.Tensor;
import dev.autograd.core.testing.Golden;
import dev.autograd.core.testing.Golden.GoldenCase;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The nn primitives against PyTorch's values, gradients and Hessian-vector products (ops.json). */
class GoldenNnOpsTest {
  /** ops.json op name -> our call, given the case's inputs and keyword arguments. */
  static final Map<String, BiFunction<Tensor[], JsonNode, Tensor>> OPS = Map.ofEntries(
      Map.entry("linear", (in, a) -> NN.linear(in[0], in[1], in.length > 2 ? in[2] : null)),
      Map.entry("mse_loss", (in, a) -> NN.mseLoss(in[0], in[1], red(a))),
      Map.entry("l1_loss", (in, a) -> NN.l1Loss(in[0], in[1], red(a))),
      Map.entry("smooth_l1_loss", (in, a) -> NN.smoothL1Loss(in[0], in[1], red(a), a.path("beta").asDouble(1.0))),
      Map.entry("cross_entropy", (in, a) -> NN.crossEntropy(in[0], in[1], null, red(a), a.path("ignore_index").asLong(-100), a.path("label_smoothing").asDouble(0))),
      Map.entry("nll_loss", (in, a) -> NN.nllLoss(in[0], in[1], null, red(a), a.path("ignore_index").asLong(-100))),
      Map.entry("binary_cross_entropy", (in, a) -> NN.binaryCrossEntropy(in[0], in[1], null, red(a))),
      Map.entry("binary_cross_entropy_with_logits", (in, a) -> NN.binaryCrossEntropyWithLogits(in[0], in[1], null, null, red(a))),
      Map.entry("layer_norm", (in, a) -> NN.layerNorm(in[0], Golden.shape(a.get("normalized_shape")), in[1], in[2], a.path("eps").asDouble(1e-5))),
      Map.entry("batch_norm", (in, a) -> NN.batchNorm(in[0], null, null, in[1], in[2], a.path("training").asBoolean(), 0.1, a.path("eps").asDouble(1e-5))),
      Map.entry("embedding", (in, a) -> NN.embedding(in[1], in[0])),
      Map.entry("conv2d", (in, a) -> NN.conv2d(in[0], in[1], in[2], pair(a, "stride", 1), pair(a, "padding", 0), pair(a, "dilation", 1), a.path("groups").asInt(1))),
      Map.entry("max_pool2d", (in, a) -> NN.maxPool2d(in[0], pair(a, "kernel_size", 1), stride(a), pair(a, "padding", 0), pair(a, "dilation", 1))),
      Map.entry("avg_pool2d", (in, a) -> NN.avgPool2d(in[0], pair(a, "kernel_size", 1), stride(a), pair(a, "padding", 0))));

  static Reduction red(JsonNode a) {
    return Reduction.of(a.path("reduction").asText("mean"));
  }

  static int[] pair(JsonNode a, String key, int dflt) {
    JsonNode v = a.get(key);
    if (v == null) return new int[] {dflt, dflt};
    return v.isArray() ? new int[] {v.get(0).asInt(), v.get(1).asInt()} : new int[] {v.asInt(), v.asInt()};
  }

  static int[] stride(JsonNode a) {
    return a.has("stride") && !a.get("stride").isNull() ? pair(a, "stride", 1) : pair(a, "kernel_size", 1);
  }

  static Stream<GoldenCase> cases() {
    return Golden.opCases().stream().filter(c -> OPS.containsKey(c.op));
  }

  @ParameterizedTest(name = "{0} float64")
  @MethodSource("cases")
  void matchesPyTorchInFloat64(GoldenCase c) {
    Runner.check(c, DType.FLOAT64, 1e-9, 1e-10);
  }

  @ParameterizedTest(name = "{0} float32")
  @MethodSource("cases")
  void matchesPyTorchInFloat32(GoldenCase c) {
    Runner.check(c, DType.FLOAT32, 1e-4, 1e-4);
  }

  @org.junit.jupiter.api.Test
  void everyNnOpHasAGoldenCase() {
    List<String> seen = new ArrayList<>();
    cases().forEach(c -> seen.add(c.op));
    for (String op : OPS.keySet()) assertTrue(seen.contains(op), "no ops.json case for " + op);
  }

  /** Runs one case: forward values, first-order grads, and the second-order product when given. */
  static final class Runner {
    static void check(GoldenCase c, DType dt, double rtol, double atol) {
      Tensor[] in = c.inputs(dt);
      Tensor out = OPS.get(c.op).apply(in, c.args);
      assertEquals(dt, out.dtype(), c.name + ": output dtype");
      expect(c.name + " output", c.json.get("output"), out, rtol, atol);
      List<Tensor> floats = new ArrayList<>();
      for (Tensor t : in) if (t.dtype().isFloatingPoint()) floats.add(t);
      Tensor[] xs = floats.toArray(new Tensor[0]);
      Tensor up = Golden.tensor(c.json.get("upstream"), dt);
      boolean second = c.hasSecondOrder();
      Tensor[] g = Autograd.grad(new Tensor[] {out.mul(up).sum()}, xs, null, second, second, true);
      JsonNode grads = c.json.get("grads");
      for (int i = 0; i < xs.length; i++) expect(c.name + " grad " + i, grads.get(i), orZeros(g[i], xs[i]), rtol, atol);
      if (!second) return;
      JsonNode so = c.json.get("second_order");
      Tensor h = null;
      for (int i = 0; i < xs.length; i++) {
        JsonNode v = so.get("vectors").get(i);
        if (v == null || v.isNull() || g[i] == null) continue;
        Tensor term = g[i].mul(Golden.tensor(v, dt)).sum();
        h = h == null ? term : h.add(term);
      }
      Tensor[] hv = Autograd.grad(new Tensor[] {h}, xs, null, false, false, true);
      for (int i = 0; i < xs.length; i++) expect(c.name + " second-order grad " + i, so.get("grads").get(i), orZeros(hv[i], xs[i]), rtol, atol);
    }

    static Tensor orZeros(Tensor g, Tensor like) {
      return g != null ? g : Tensor.zeros(like.dtype(), like.shapeRef());
    }

    static void expect(String what, JsonNode want, Tensor got, double rtol, double atol) {
      assertFalse(want == null || want.isNull(), what + ": no expected value");
      int[] shape = Golden.shape(want.get("shape"));
      assertTrue(Arrays.equals(shape, got.shapeRef()), what + ": shape " + Arrays.toString(got.shapeRef()) + ", expected " + Arrays.toString(shape));
      double[] w = Golden.doubles(want.get("data"));
      double[] v = got.toDoubleArray();
      for (int i = 0; i < w.length; i++) {
        double tol = atol + rtol * Math.abs(w[i]);
        assertTrue(Math.abs(w[i] - v[i]) <= tol, what + "[" + i + "]: got " + v[i] + ", expected " + w[i]);
      }
    }
  }
}
