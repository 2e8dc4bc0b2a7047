package dev.autograd.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autograd.core.engine.OpNode;
import dev.autograd.core.ops.OpDef;
import dev.autograd.core.ops.OpTable;
import dev.autograd.core.testing.Golden;
import dev.autograd.core.testing.Golden.GoldenCase;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every entry of the op table is exercised by a gradcheck row or a golden case of {@link OpCases}:
 * the cases are run with second-order graphs, and the entries met in their graphs (nodes keep their
 * entry) are collected. An entry that no case reaches fails this test unless it is exempt below,
 * with the reason. Non-differentiable entries (comparisons, arg-max indices) record no node; their
 * values are checked by the op tests that use them.
 */
class OpsTableTest {
  /** Entries no case reaches, and why that is fine. Keep it short: add a case instead. */
  private static final Map<String, String> EXEMPT =
      Map.of(
          // a cast between float dtypes rounds, so neither FLOAT64 finite differences nor a golden
          // case at 1e-9 can check it; AutogradSemanticsTest.castBetweenFloatDtypesIsDifferentiable
          // does
          "ElementwiseOps.TO_COPY", "rounds: checked by AutogradSemanticsTest instead");

  private static final Set<OpDef<?>> COVERED = Collections.newSetFromMap(new IdentityHashMap<>());

  @BeforeAll
  static void runAllCases() {
    for (OpCases.Case c : OpCases.gradcheck()) record(c.f()::apply, c.inputs().get());
    for (GoldenCase c : Golden.opCases()) {
      BiFunction<JsonNode, Tensor[], Tensor> f = OpCases.GOLDEN_API.get(c.op);
      if (f != null) record(in -> f.apply(c.args, in), c.inputs(DType.FLOAT64));
    }
  }

  // runs f, then its first derivative with a graph (so backward entries show up), and walks both
  private static void record(Function<Tensor[], Tensor> f, Tensor[] inputs) {
    Tensor out = f.apply(inputs);
    walk(out);
    List<Tensor> diff = new ArrayList<>();
    for (Tensor t : inputs) if (t.requiresGrad()) diff.add(t);
    if (!out.requiresGrad() || diff.isEmpty()) return;
    Tensor[] grads =
        Autograd.grad(
            new Tensor[] {out},
            diff.toArray(new Tensor[0]),
            new Tensor[] {Tensor.onesLike(out)},
            true,
            true,
            true);
    for (Tensor g : grads) if (g != null) walk(g);
  }

  private static void walk(Tensor t) {
    ArrayDeque<Node> todo = new ArrayDeque<>();
    Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    if (t.gradFn() != null) todo.add(t.gradFn());
    while (!todo.isEmpty()) {
      Node n = todo.pop();
      if (!seen.add(n)) continue;
      if (n instanceof OpNode) COVERED.add(((OpNode) n).def());
      for (Node m : n.nextFunctions()) if (m != null) todo.add(m);
    }
  }

  @Test
  void everyEntryHasAGradcheckOrGoldenCase() {
    Set<String> missing = new TreeSet<>();
    for (OpDef<?> def : OpTable.all()) {
      if (!def.isDifferentiable()) continue; // comparisons, arg-max indices: no derivative to check
      String name = OpTable.constantName(def);
      if (!COVERED.contains(def) && !EXEMPT.containsKey(name))
        missing.add(name + " (" + def.nodeName() + ")");
    }
    assertTrue(
        missing.isEmpty(),
        "op table entries without a gradcheck row or golden case in OpCases: " + missing);
  }

  @Test
  void exemptionsAreStillNeeded() {
    for (OpDef<?> def : OpTable.all()) {
      String name = OpTable.constantName(def);
      if (EXEMPT.containsKey(name))
        assertTrue(!COVERED.contains(def), name + " is covered now: remove its exemption");
    }
  }

  @Test
  void theTableListsEveryFamily() {
    // entries are public static final OpDef fields: every family file is in OpTable's list
    assertTrue(OpTable.all().size() > 80, "op table has " + OpTable.all().size() + " entries");
    Set<String> names = new TreeSet<>();
    for (OpDef<?> def : OpTable.all()) names.add(OpTable.constantName(def));
    assertEquals(OpTable.all().size(), names.size(), "every entry is one constant");
  }
}
