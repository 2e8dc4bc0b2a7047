package dev.autograd.core;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autograd.core.engine.OpNode;
import dev.autograd.core.ops.OpDef;
import dev.autograd.core.ops.OpTable;
import dev.autograd.core.testing.Golden;
import dev.autograd.core.testing.Golden.GoldenCase;
import dev.autograd.core.testing.GoldenRunner;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Edge values against PyTorch 1.13 (edge-values.json, made by scripts/golden/edge_values.py): zeros
 * of both signs, negative values, ±inf, NaN, ties and empty tensors, outputs and gradients, each
 * case in the dtype PyTorch computed it in. Surefire runs this class on both kernel paths (Vector
 * API, and plain Java with -Dautograd.simd=false). A second test checks that every differentiable
 * entry of the op table is reached by some edge case.
 */
class EdgeValuesGoldenTest {
  /** Entries no edge case reaches, and why. Keep it short: add a case to edge_values.py instead. */
  private static final Map<String, String> EXEMPT =
      Map.ofEntries(
          Map.entry(
              "ElementwiseOps.TO_COPY", "a cast: rounding only, checked by AutogradSemanticsTest"),
          Map.entry(
              "ViewGrads.AS_STRIDED",
              "in-place on views: no edge value of its own (InPlaceOnViewsTest)"),
          Map.entry(
              "ViewGrads.COPY_SLICES",
              "in-place on views: no edge value of its own (InPlaceOnViewsTest)"),
          Map.entry("Movement.ALIAS", "copy_ of a leaf: no arithmetic"));

  static List<GoldenCase> cases() {
    return Golden.cases("edge-values.json");
  }

  private static DType dtypeOf(GoldenCase c) {
    return "float32".equals(c.json.path("dtype").asText()) ? DType.FLOAT32 : DType.FLOAT64;
  }

  private static BiFunction<JsonNode, Tensor[], Tensor> api(GoldenCase c) {
    BiFunction<JsonNode, Tensor[], Tensor> f = OpCases.GOLDEN_API.get(c.op);
    if (f == null)
      fail(
          "edge-values.json case '"
              + c.name
              + "': op '"
              + c.op
              + "' has no mapping in OpCases.GOLDEN_API");
    return f;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesPyTorch(GoldenCase c) {
    BiFunction<JsonNode, Tensor[], Tensor> f = api(c);
    GoldenRunner.run(c, dtypeOf(c), in -> f.apply(c.args, in));
  }

  @Test
  void everyDifferentiableEntryMeetsEdgeValues() {
    Set<OpDef<?>> covered = Collections.newSetFromMap(new IdentityHashMap<>());
    for (GoldenCase c : cases()) {
      Tensor[] in = c.inputs(dtypeOf(c));
      Tensor out = api(c).apply(c.args, in);
      walk(out, covered);
      List<Tensor> diff = new ArrayList<>();
      for (Tensor t : in) if (t.requiresGrad()) diff.add(t);
      if (!out.requiresGrad() || diff.isEmpty()) continue;
      // an upstream gradient that requires grad: the derivative graphs record the backward entries
      // too
      Tensor upstream = Tensor.onesLike(out.detach()).requiresGrad_();
      Tensor[] grads =
          Autograd.grad(
              new Tensor[] {out},
              diff.toArray(new Tensor[0]),
              new Tensor[] {upstream},
              true,
              true,
              true);
      for (Tensor g : grads) if (g != null) walk(g, covered);
    }
    Set<String> missing = new TreeSet<>();
    for (OpDef<?> def : OpTable.all()) {
      String name = OpTable.constantName(def);
      if (def.isDifferentiable() && !covered.contains(def) && !EXEMPT.containsKey(name))
        missing.add(name);
    }
    assertTrue(
        missing.isEmpty(),
        "op table entries without an edge-value case in edge_values.py: " + missing);
    for (OpDef<?> def : OpTable.all()) {
      String name = OpTable.constantName(def);
      if (EXEMPT.containsKey(name))
        assertTrue(!covered.contains(def), name + " meets edge values now: remove its exemption");
    }
  }

  private static void walk(Tensor t, Set<OpDef<?>> covered) {
    ArrayDeque<Node> todo = new ArrayDeque<>();
    Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    if (t.gradFn() != null) todo.add(t.gradFn());
    while (!todo.isEmpty()) {
      Node n = todo.pop();
      if (!seen.add(n)) continue;
      if (n instanceof OpNode) covered.add(((OpNode) n).def());
      for (Node m : n.nextFunctions()) if (m != null) todo.add(m);
    }
  }
}
