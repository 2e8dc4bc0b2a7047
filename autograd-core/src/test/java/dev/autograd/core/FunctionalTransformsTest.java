package dev.autograd.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autograd.core.testing.Golden;
import dev.autograd.core.testing.GoldenRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link AutogradFunctional} against torch.autograd.functional (golden/functional.json, made by
 * scripts/golden/functional.py with PyTorch 1.13 in float64): vjp, jvp, jacobian on functions of
 * several inputs and outputs; hessian, vhp, hvp on scalar functions. Plus strict mode, createGraph
 * and argument checks.
 */
class FunctionalTransformsTest {
  private static final double[] TOL = GoldenRunner.tolerance(DType.FLOAT64);

  private static final Map<String, Function<Tensor[], Tensor[]>> FUNCTIONS =
      Map.of(
          "cube_rows", in -> new Tensor[] {in[0].pow(3).sum(1)},
          "two_in_two_out", in -> new Tensor[] {in[0].mul(in[1].exp()), in[0].sum().mul(in[1])},
          "matvec_tanh", in -> new Tensor[] {in[0].matmul(in[1]).tanh()});
  private static final Map<String, Function<Tensor[], Tensor>> SCALAR_FUNCTIONS =
      Map.of(
          "x2_sin_sum", in -> in[0].pow(2).mul(in[0].sin()).sum(),
          "matvec_tanh_sum", in -> in[0].matmul(in[1]).tanh().sum());

  static List<JsonNode> cases() {
    List<JsonNode> out = new ArrayList<>();
    Golden.read("functional.json").get("cases").forEach(out::add);
    return out;
  }

  private static Tensor[] tensors(JsonNode list) {
    return StreamSupport.stream(list.spliterator(), false)
        .map(n -> Golden.tensor(withDtype(n), DType.FLOAT64))
        .toArray(Tensor[]::new);
  }

  // the functional file stores float64 data without a dtype field
  private static JsonNode withDtype(JsonNode n) {
    return ((com.fasterxml.jackson.databind.node.ObjectNode) n.deepCopy()).put("dtype", "float64");
  }

  private static void assertAll(String what, JsonNode expected, Tensor[] actual) {
    assertEquals(expected.size(), actual.length, what);
    for (int i = 0; i < actual.length; i++)
      GoldenRunner.assertClose(what + " " + i, expected.get(i), actual[i], TOL);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesTorchAutogradFunctional(JsonNode c) {
    String name = c.get("name").asText();
    Tensor[] in = tensors(c.get("inputs"));
    if (c.get("kind").asText().equals("first")) {
      Function<Tensor[], Tensor[]> f = FUNCTIONS.get(name);
      AutogradFunctional.Product vjp =
          AutogradFunctional.vjp(f, in, tensors(c.get("v_out")), false, false);
      assertAll(name + " outputs", c.get("outputs"), vjp.outputs());
      assertAll(name + " vjp", c.get("vjp"), vjp.product());
      assertAll(
          name + " jvp",
          c.get("jvp"),
          AutogradFunctional.jvp(f, in, tensors(c.get("v_in")), false, false).product());
      Tensor[][] jac = AutogradFunctional.jacobian(f, in, false, false);
      for (int i = 0; i < jac.length; i++)
        assertAll(name + " jacobian row " + i, c.get("jacobian").get(i), jac[i]);
    } else {
      Function<Tensor[], Tensor> f = SCALAR_FUNCTIONS.get(name);
      Tensor[] v = tensors(c.get("v_in"));
      AutogradFunctional.Product vhp = AutogradFunctional.vhp(f, in, v, false, false);
      assertAll(name + " output", c.get("outputs"), vhp.outputs());
      assertAll(name + " vhp", c.get("vhp"), vhp.product());
      assertAll(
          name + " hvp", c.get("hvp"), AutogradFunctional.hvp(f, in, v, false, false).product());
      Tensor[][] h = AutogradFunctional.hessian(f, in, false, false);
      for (int i = 0; i < h.length; i++)
        assertAll(name + " hessian row " + i, c.get("hessian").get(i), h[i]);
    }
  }

  @Test
  void oneTensorFormsAgreeWithFiniteReasoning() {
    Tensor x = Tensor.of(new double[] {1, -2, 0.5});
    // f(x) = x^2: J = diag(2x), H of sum(x^3) = diag(6x)
    assertArrayEquals(
        new double[] {2, 0, 0, 0, -4, 0, 0, 0, 1},
        AutogradFunctional.jacobian(t -> t.square(), x).toDoubleArray(),
        1e-12);
    assertArrayEquals(
        new double[] {6, 0, 0, 0, -12, 0, 0, 0, 3},
        AutogradFunctional.hessian(t -> t.pow(3).sum(), x).toDoubleArray(),
        1e-12);
    Tensor v = Tensor.of(new double[] {1, 1, 2});
    assertArrayEquals(
        new double[] {2, -4, 2},
        AutogradFunctional.jvp(t -> t.square(), x, v).value().toDoubleArray(),
        1e-12);
    assertArrayEquals(
        new double[] {2, -4, 2},
        AutogradFunctional.vjp(t -> t.square(), x, v).value().toDoubleArray(),
        1e-12);
    assertArrayEquals(
        new double[] {6, -12, 6},
        AutogradFunctional.hvp(t -> t.pow(3).sum(), x, v).value().toDoubleArray(),
        1e-12);
    assertFalse(
        AutogradFunctional.vjp(t -> t.square(), x, v).output().requiresGrad(),
        "outputs are detached without createGraph");
    assertFalse(x.requiresGrad(), "the caller's input is untouched");
  }

  @Test
  void strictModeRejectsIndependentInputsAndOtherwiseGivesZeros() {
    Tensor[] in = {Tensor.of(new double[] {1, 2}), Tensor.of(new double[] {3, 4})};
    Function<Tensor[], Tensor[]> onlyFirst = t -> new Tensor[] {t[0].mul(2)};
    Tensor[][] jac = AutogradFunctional.jacobian(onlyFirst, in, false, false);
    assertArrayEquals(new double[] {0, 0, 0, 0}, jac[0][1].toDoubleArray());
    Exception e =
        assertThrows(
            IllegalStateException.class,
            () -> AutogradFunctional.jacobian(onlyFirst, in, false, true));
    assertTrue(e.getMessage().contains("independent of input 1"), e.getMessage());
    assertThrows(
        IllegalStateException.class,
        () ->
            AutogradFunctional.vjp(
                onlyFirst, in, new Tensor[] {Tensor.ones(DType.FLOAT64, 2)}, false, true));
  }

  @Test
  void createGraphKeepsResultsDifferentiable() {
    Tensor x = Tensor.of(new double[] {0.3, -0.7}).requiresGrad_();
    // d/dx of sum(vjp(sin, x, 1)) = d/dx sum(cos x) = -sin x
    Tensor g =
        AutogradFunctional.vjp(
                in -> new Tensor[] {in[0].sin()},
                new Tensor[] {x},
                new Tensor[] {Tensor.ones(DType.FLOAT64, 2)},
                true,
                false)
            .value();
    assertTrue(g.requiresGrad());
    g.sum().backward();
    assertArrayEquals(
        new double[] {-Math.sin(0.3), Math.sin(0.7)}, x.grad().toDoubleArray(), 1e-12);
  }

  @Test
  void argumentsAreChecked() {
    Tensor x = Tensor.of(new double[] {1, 2});
    Exception shape =
        assertThrows(
            IllegalArgumentException.class,
            () -> AutogradFunctional.vjp(t -> t.square(), x, Tensor.ones(DType.FLOAT64, 3)));
    assertTrue(shape.getMessage().contains("must match"), shape.getMessage());
    Exception omitted =
        assertThrows(
            IllegalArgumentException.class, () -> AutogradFunctional.vjp(t -> t.square(), x, null));
    assertTrue(omitted.getMessage().contains("one-element"), omitted.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> AutogradFunctional.hessian(t -> t.square(), x));
    assertThrows(
        IllegalArgumentException.class,
        () -> AutogradFunctional.jacobian(t -> t.square(), Tensor.of(new long[] {1, 2})));
    assertThrows(
        NullPointerException.class, () -> AutogradFunctional.jacobian(t -> t, (Tensor) null));
  }

  @Test
  void readmeExample() {
    Tensor x = Tensor.of(new double[] {1, -2, 0.5});
    Tensor j = AutogradFunctional.jacobian(t -> t.square(), x); // diag(2x), [3, 3]
    Tensor h = AutogradFunctional.hessian(t -> t.pow(3).sum(), x); // diag(6x)
    Tensor jv = AutogradFunctional.jvp(t -> t.sin(), x, Tensor.onesLike(x)).value(); // cos(x)
    assertArrayEquals(new int[] {3, 3}, j.shape());
    assertArrayEquals(new double[] {6, 0, 0, 0, -12, 0, 0, 0, 3}, h.toDoubleArray(), 1e-12);
    assertArrayEquals(
        new double[] {Math.cos(1), Math.cos(-2), Math.cos(0.5)}, jv.toDoubleArray(), 1e-12);
  }
}
