package dev.autograd.core;

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
 * Forward mode over the whole op table, like {@link OpsTableTest}: every OpCases row (and golden
 * case) runs on dual inputs with random tangents v, in FLOAT64, and the output's tangent is checked
 * against central finite differences along v and against reverse mode ({@code jvp(v)·u == v·vjp(u)}
 * for a random u); and forward-over-reverse: the tangent of the gradient (computed by backward on
 * the dual inputs) against finite differences of the gradient. The entries met in the graphs of
 * those runs are collected, and every entry with a derivative must have a tangent rule and be met.
 */
class ForwardModeTableTest {
  /** Entries without a forward-mode check here, and why. Keep it short. */
  private static final Map<String, String> EXEMPT =
      Map.of(
          // rounds between float dtypes: no FLOAT64 finite difference checks it (ForwardADTest
          // does, exactly)
          "ElementwiseOps.TO_COPY", "rounds: checked by ForwardADTest.castCarriesTheTangent");

  private static final double EPS = 1e-6, ATOL = 1e-5, RTOL = 1e-4;
  private static final Set<OpDef<?>> MET = Collections.newSetFromMap(new IdentityHashMap<>());
  private static final List<String> FAILURES = new ArrayList<>();
  private static int rows;

  @BeforeAll
  static void runAllCases() {
    for (OpCases.Case c : OpCases.gradcheck()) check(c.name(), c.f()::apply, c.inputs().get());
    for (GoldenCase c : Golden.opCases()) {
      BiFunction<JsonNode, Tensor[], Tensor> f = OpCases.GOLDEN_API.get(c.op);
      if (f != null) check("golden " + c.op, in -> f.apply(c.args, in), c.inputs(DType.FLOAT64));
    }
  }

  private static void check(String name, Function<Tensor[], Tensor> f, Tensor[] inputs) {
    rows++;
    Generator gen = new Generator(4242 + rows);
    Tensor[] v = new Tensor[inputs.length];
    List<Integer> diff = new ArrayList<>();
    for (int i = 0; i < inputs.length; i++) {
      if (inputs[i].requiresGrad() && inputs[i].dtype() == DType.FLOAT64) {
        diff.add(i);
        v[i] = Tensor.randn(gen, DType.FLOAT64, inputs[i].shape());
      }
    }
    if (diff.isEmpty()) return;
    try {
      Tensor jv, y, u;
      Tensor[] vjp, gradTangent;
      Tensor[] leaves = diff.stream().map(i -> inputs[i]).toArray(Tensor[]::new);
      try (DualLevel level = Autograd.dualLevel()) {
        Tensor[] duals = inputs.clone();
        for (int i : diff) duals[i] = Autograd.makeDual(inputs[i], v[i]);
        y = f.apply(duals);
        walk(y);
        jv = orZeros(Autograd.unpackDual(y).tangent(), y);
        u = Tensor.randn(gen, DType.FLOAT64, y.shape());
        Tensor[] grads =
            Autograd.grad(new Tensor[] {y}, leaves, new Tensor[] {u}, true, true, true);
        vjp = new Tensor[grads.length];
        gradTangent = new Tensor[grads.length];
        for (int k = 0; k < grads.length; k++) {
          Tensor g = grads[k] == null ? Tensor.zerosLike(leaves[k]) : grads[k];
          walk(g);
          vjp[k] = g;
          gradTangent[k] = orZeros(Autograd.unpackDual(g).tangent(), g);
        }
      }
      // 1. against finite differences along v
      Tensor fd = directional(inputs, v, diff, EPS, f);
      compare(name + ": tangent vs finite differences", jv, fd);
      // 2. against reverse mode: u·(J v) == (uᵀ J)·v
      double lhs = jv.mul(u).sum().item(), rhs = 0;
      for (int k = 0; k < diff.size(); k++) rhs += vjp[k].detach().mul(v[diff.get(k)]).sum().item();
      if (!(Math.abs(lhs - rhs) <= ATOL + RTOL * Math.abs(rhs)))
        FAILURES.add(name + ": u·jvp(v) = " + lhs + " but vjp(u)·v = " + rhs);
      // 3. forward-over-reverse: the gradient's tangent is the derivative of the gradient along v
      for (int k = 0; k < diff.size(); k++) {
        final int at = k;
        Tensor fdGrad =
            directional(
                inputs,
                v,
                diff,
                EPS,
                in -> {
                  Tensor[] leavesAt = diff.stream().map(i -> in[i]).toArray(Tensor[]::new);
                  Tensor[] g =
                      Autograd.grad(
                          new Tensor[] {f.apply(in)},
                          leavesAt,
                          new Tensor[] {u},
                          false,
                          false,
                          true);
                  return g[at] == null ? Tensor.zerosLike(leavesAt[at]) : g[at];
                });
        compare(
            name + ": tangent of the gradient of input " + diff.get(k) + " vs finite differences",
            gradTangent[k],
            fdGrad);
      }
    } catch (RuntimeException e) {
      FAILURES.add(name + ": " + e);
    }
  }

  private static Tensor orZeros(Tensor t, Tensor like) {
    return t == null ? Tensor.zerosLike(like.detach()) : t.detach();
  }

  // (g(x + eps v) - g(x - eps v)) / 2 eps, on fresh leaves that require grad
  private static Tensor directional(
      Tensor[] inputs, Tensor[] v, List<Integer> diff, double eps, Function<Tensor[], Tensor> g) {
    Tensor plus = g.apply(shifted(inputs, v, diff, eps)).detach();
    Tensor minus = g.apply(shifted(inputs, v, diff, -eps)).detach();
    return plus.sub(minus).div(2 * eps);
  }

  private static Tensor[] shifted(Tensor[] inputs, Tensor[] v, List<Integer> diff, double eps) {
    Tensor[] out = inputs.clone();
    try (GradMode.Scope s = GradMode.scope(false)) {
      for (int i : diff) out[i] = inputs[i].add(v[i].mul(eps)).requiresGrad_();
    }
    return out;
  }

  private static void compare(String what, Tensor actual, Tensor expected) {
    double[] a = actual.toDoubleArray(), e = expected.toDoubleArray();
    if (a.length != e.length) {
      FAILURES.add(what + ": " + a.length + " elements, expected " + e.length);
      return;
    }
    for (int j = 0; j < a.length; j++) {
      if (!(Math.abs(a[j] - e[j]) <= ATOL + RTOL * Math.abs(e[j]))
          && !(Double.isNaN(a[j]) && Double.isNaN(e[j]))) {
        FAILURES.add(what + ": element " + j + " is " + a[j] + ", expected " + e[j]);
        return;
      }
    }
  }

  private static void walk(Tensor t) {
    ArrayDeque<Node> todo = new ArrayDeque<>();
    Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    if (t.gradFn() != null) todo.add(t.gradFn());
    while (!todo.isEmpty()) {
      Node n = todo.pop();
      if (!seen.add(n)) continue;
      if (n instanceof OpNode) MET.add(((OpNode) n).def());
      for (Node m : n.nextFunctions()) if (m != null) todo.add(m);
    }
  }

  @Test
  void tangentsMatchFiniteDifferencesAndReverseMode() {
    assertTrue(rows > 100, "only " + rows + " rows ran");
    assertTrue(
        FAILURES.isEmpty(),
        FAILURES.size() + " forward-mode mismatches:\n" + String.join("\n", FAILURES));
  }

  @Test
  void everyEntryWithADerivativeHasATangentRuleAndIsChecked() {
    Set<String> noRule = new TreeSet<>(), unchecked = new TreeSet<>();
    for (OpDef<?> def : OpTable.all()) {
      if (!def.isDifferentiable()) continue;
      String name = OpTable.constantName(def);
      if (def.tangent() == null) noRule.add(name);
      if (!MET.contains(def) && !EXEMPT.containsKey(name))
        unchecked.add(name + " (" + def.nodeName() + ")");
    }
    assertTrue(noRule.isEmpty(), "entries with a derivative but no tangent rule: " + noRule);
    assertTrue(unchecked.isEmpty(), "entries no forward-mode row reaches: " + unchecked);
  }

  @Test
  void exemptionsAreStillNeeded() {
    for (OpDef<?> def : OpTable.all()) {
      String name = OpTable.constantName(def);
      if (EXEMPT.containsKey(name))
        assertTrue(!MET.contains(def), name + " is checked now: remove its exemption");
    }
  }
}
