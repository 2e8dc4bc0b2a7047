package dev.autograd.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autograd.core.AutogradFunctional.Strategy;
import dev.autograd.core.internal.nn.NnOps;
import dev.autograd.core.testing.Golden;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Forward mode against real PyTorch 1.13 ({@code golden/forward_ad.json}, made by {@code
 * scripts/golden/forward_ad.py}): tangents of dual inputs through a set of ops, the Jacobians of
 * {@code functional.jacobian(strategy="forward-mode", vectorize=True)}, the Hessians of {@code
 * functional.hessian(outer_jacobian_strategy="forward-mode", vectorize=True)}, and the error texts.
 */
class ForwardGoldenTest {
  private static final JsonNode GOLDEN = Golden.read("forward_ad.json");
  private static final DType F64 = DType.FLOAT64;
  private static final Map<String, Function<Tensor[], Tensor>> OPS = new HashMap<>();

  private static Tensor idx(long... v) {
    return Tensor.of(v);
  }

  private static Tensor idx2(long[][] rows) {
    long[] flat = new long[rows.length * rows[0].length];
    for (int i = 0; i < rows.length; i++)
      System.arraycopy(rows[i], 0, flat, i * rows[0].length, rows[0].length);
    return Tensor.of(flat, rows.length, rows[0].length);
  }

  private static Tensor viewWrite(Tensor x, Tensor y) {
    Tensor b = x.clone();
    b.select(0, 1).copy_(y.mul(2));
    b.select(1, 0).mul_(y.select(0, 0));
    return b;
  }

  static {
    int[] one = {1, 1};
    OPS.put("sin", a -> a[0].sin());
    OPS.put("exp_log", a -> a[0].exp().add(a[1].log()));
    OPS.put("tanh_sigmoid", a -> a[0].tanh().mul(a[0].sigmoid()));
    OPS.put("relu_gelu", a -> a[0].relu().add(a[0].gelu()));
    OPS.put("softplus_silu_erf", a -> a[0].softplus().add(a[0].silu()).add(a[0].erf()));
    OPS.put("pow_scalar_rsqrt", a -> a[0].pow(3).add(a[0].rsqrt()));
    OPS.put("mul_div_broadcast", a -> a[0].mul(a[1]).div(a[1].add(2)));
    OPS.put("sub_neg", a -> a[0].sub(a[1].neg().mul(3)));
    OPS.put("pow_tensor", a -> a[0].pow(a[1]));
    OPS.put("atan2", a -> a[0].atan2(a[1]));
    OPS.put("maximum_minimum", a -> a[0].maximum(a[1]).add(a[0].minimum(a[1]).mul(2)));
    OPS.put("clamp", a -> a[0].clamp(-0.5, 0.5));
    OPS.put("where", a -> Tensor.where(a[0].gt(0), a[0], a[1]));
    OPS.put("sum_mean_dims", a -> a[0].sum(1).add(a[0].mean(1)));
    OPS.put("var_std", a -> a[0].var(1, true, false).add(a[0].std(0, true, false).sum()));
    OPS.put("norm", a -> a[0].norm(3.0, 1, false));
    OPS.put("prod", a -> a[0].prod(1, false));
    OPS.put("logsumexp", a -> a[0].logsumexp(1, false));
    OPS.put(
        "amax_max_dim",
        a -> a[0].amax(new int[] {1}, false).add(a[0].max(0, false).values().sum()));
    OPS.put(
        "sort_topk",
        a -> a[0].sort(1, false).values().mul(2).add(a[0].topk(4, 1, true, true).values()));
    OPS.put("softmax_log_softmax", a -> a[0].softmax(1).add(a[0].logSoftmax(0)));
    OPS.put("cumsum", a -> a[0].cumsum(1).mul(a[0]));
    OPS.put("mm_matmul", a -> a[0].mm(a[1]).add(a[0].matmul(a[1]).t().t()));
    OPS.put("bmm", a -> a[0].bmm(a[1]));
    OPS.put("linear", a -> NnOps.linear(a[0], a[1], a[2]));
    OPS.put(
        "views",
        a ->
            a[0].t()
                .reshape(12)
                .slice(0, 2, 10, 3)
                .add(a[0].permute(1, 0).select(0, 1).sum())
                .add(a[0].unsqueeze(0).expand(2, 3, 4).sum(0).select(0, 0).select(0, 1)));
    OPS.put(
        "cat_stack_flip_repeat",
        a ->
            Tensor.cat(0, a[0], a[1])
                .flip(0)
                .repeat(2, 1)
                .add(Tensor.stack(0, a[0], a[1]).sum(0).repeat(4, 1)));
    OPS.put(
        "gather_index_select",
        a ->
            a[0].gather(1, idx2(new long[][] {{0, 2}, {1, 1}, {2, 0}}))
                .sum(1)
                .add(a[0].indexSelect(1, idx(2, 0, 1, 2)).sum(1)));
    OPS.put(
        "index_add_scatter_add",
        a ->
            a[0].indexAdd(0, idx(1, 0), a[1])
                .add(
                    a[0].scatterAdd(
                        1,
                        idx2(new long[][] {{0, 1}, {2, 2}, {1, 0}}),
                        a[1].repeat(2, 1).slice(0, 0, 3, 1).slice(1, 0, 2, 1))));
    OPS.put("conv2d", a -> NnOps.conv2d(a[0], a[1], a[2], one, one, one, 1));
    OPS.put(
        "pools",
        a ->
            NnOps.maxPool2d(a[0], new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0}, one)
                .add(NnOps.avgPool2d(a[0], new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0})));
    OPS.put("embedding", a -> NnOps.embedding(a[0], idx2(new long[][] {{1, 3}, {0, 1}})));
    OPS.put("in_place_on_views", a -> viewWrite(a[0], a[1]));
  }

  private static Tensor[] tensors(JsonNode list) {
    Tensor[] out = new Tensor[list.size()];
    for (int i = 0; i < out.length; i++) out[i] = Golden.tensor(list.get(i), F64);
    return out;
  }

  private static void close(String what, JsonNode expected, Tensor actual) {
    Tensor e = Golden.tensor(expected, F64);
    assertArrayEquals(e.shape(), actual.shape(), what + ": shape");
    double[] x = e.toDoubleArray(), y = actual.toDoubleArray();
    for (int i = 0; i < x.length; i++) {
      assertTrue(
          Math.abs(x[i] - y[i]) <= 1e-9 + 1e-7 * Math.abs(x[i]),
          what + ": element " + i + " is " + y[i] + ", PyTorch " + x[i]);
    }
  }

  @Test
  void tangentsMatchPyTorch() {
    assertEquals(OPS.size(), GOLDEN.get("ops").size(), "every golden op has its Java function");
    for (JsonNode c : GOLDEN.get("ops")) {
      String name = c.get("name").asText();
      Function<Tensor[], Tensor> f = OPS.get(name);
      Tensor[] in = tensors(c.get("inputs")), t = tensors(c.get("tangents"));
      try (DualLevel level = Autograd.dualLevel()) {
        Tensor[] duals = new Tensor[in.length];
        for (int i = 0; i < in.length; i++) duals[i] = Autograd.makeDual(in[i], t[i]);
        UnpackedDual out = Autograd.unpackDual(f.apply(duals));
        close(name + " output", c.get("output"), out.primal());
        close(name + " tangent", c.get("tangent"), out.tangent());
      }
    }
  }

  private static final Map<String, java.util.function.Function<Tensor[], Tensor[]>> JACOBIANS =
      Map.of(
          "rows_cubed", a -> new Tensor[] {a[0].pow(3).sum(1)},
          "two_in_two_out", a -> new Tensor[] {a[0].mul(a[1].exp()), a[0].sum().mul(a[1])},
          "matvec_tanh", a -> new Tensor[] {a[0].matmul(a[1]).tanh()});

  private static final Map<String, java.util.function.Function<Tensor[], Tensor>> HESSIANS =
      Map.of(
          "x2_sin_sum", a -> a[0].pow(2).mul(a[0].sin()).sum(),
          "matvec_tanh_sum", a -> a[0].matmul(a[1]).tanh().sum());

  @Test
  void forwardModeJacobiansAndHessiansMatchPyTorch() {
    for (JsonNode c : GOLDEN.get("jacobians")) {
      String name = c.get("name").asText();
      Tensor[][] j =
          AutogradFunctional.jacobian(
              JACOBIANS.get(name),
              tensors(c.get("inputs")),
              false,
              false,
              true,
              Strategy.FORWARD_MODE);
      JsonNode rows = c.get("jacobian");
      for (int i = 0; i < rows.size(); i++)
        for (int k = 0; k < rows.get(i).size(); k++)
          close(name + " J" + i + k, rows.get(i).get(k), j[i][k]);
    }
    for (JsonNode c : GOLDEN.get("hessians")) {
      String name = c.get("name").asText();
      Tensor[][] h =
          AutogradFunctional.hessian(
              HESSIANS.get(name),
              tensors(c.get("inputs")),
              false,
              false,
              true,
              Strategy.FORWARD_MODE);
      JsonNode rows = c.get("hessian");
      for (int i = 0; i < rows.size(); i++)
        for (int k = 0; k < rows.get(i).size(); k++)
          close(name + " H" + i + k, rows.get(i).get(k), h[i][k]);
    }
  }

  private static void quotes(String key, Executable call) {
    // PyTorch's text, with the space its vectorize message lacks ("isonly")
    String torch = GOLDEN.get("errors").get(key).asText().replace("isonly", "is only");
    Throwable e = assertThrows(RuntimeException.class, call);
    assertTrue(
        e.getMessage().contains(torch), key + ": " + e.getMessage() + "\n  PyTorch: " + torch);
  }

  @Test
  void errorsQuotePyTorch() {
    Tensor x = Tensor.of(new double[] {1, 1});
    quotes("outside_level", () -> Autograd.makeDual(x, x).sin());
    try (DualLevel level = Autograd.dualLevel()) {
      quotes("nested", Autograd::dualLevel);
      quotes("size", () -> Autograd.makeDual(Tensor.ones(F64, 3), x));
      quotes("int_tangent", () -> Autograd.makeDual(x, Tensor.of(new long[] {1, 1})));
      quotes("int_primal", () -> Autograd.makeDual(Tensor.of(new long[] {1, 1}), x));
    }
    java.util.function.Function<Tensor[], Tensor[]> sin = a -> new Tensor[] {a[0].sin()};
    quotes(
        "jacobian_forward_create_graph",
        () ->
            AutogradFunctional.jacobian(
                sin, new Tensor[] {x}, true, false, true, Strategy.FORWARD_MODE));
    quotes(
        "jacobian_forward_strict",
        () ->
            AutogradFunctional.jacobian(
                sin, new Tensor[] {x}, false, true, true, Strategy.FORWARD_MODE));
    quotes(
        "jacobian_forward_loop",
        () ->
            AutogradFunctional.jacobian(
                sin, new Tensor[] {x}, false, false, false, Strategy.FORWARD_MODE));
    assertTrue(
        GOLDEN
            .get("errors")
            .get("logcumsumexp")
            .asText()
            .contains("Trying to use forward AD with logcumsumexp that does not support it"),
        "PyTorch 1.13 has no forward-mode logcumsumexp; ours is checked by ForwardModeTableTest");
  }
}
