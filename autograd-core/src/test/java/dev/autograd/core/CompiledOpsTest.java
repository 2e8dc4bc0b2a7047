package dev.autograd.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.autograd.core.testing.Golden;
import dev.autograd.core.testing.Golden.GoldenCase;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compiled == eager, bit for bit, on every case of the golden op list (ops.json through {@link
 * OpCases#GOLDEN_API}) in FLOAT64 and FLOAT32, and on every gradcheck row of {@link OpCases}:
 * outputs and gradients of the replayed calls (fused element-wise groups run the same kernels over
 * blocks, and a fused sum adds the same 4096-element partials in order, so these cases stay bit for
 * bit). Every case replays except dropout, whose fallback to eager is checked; in-place rows that
 * write the caller's tensors replay after a second, equal recording.
 */
class CompiledOpsTest {
  static List<GoldenCase> golden() {
    return Golden.opCases();
  }

  static List<OpCases.Case> rows() {
    return OpCases.gradcheck();
  }

  @ParameterizedTest(name = "{0} float64")
  @MethodSource("golden")
  void goldenCaseFloat64(GoldenCase c) {
    check(
        c.name,
        () -> c.inputs(DType.FLOAT64),
        in -> OpCases.GOLDEN_API.get(c.op).apply(c.args, in));
  }

  @ParameterizedTest(name = "{0} float32")
  @MethodSource("golden")
  void goldenCaseFloat32(GoldenCase c) {
    check(
        c.name,
        () -> c.inputs(DType.FLOAT32),
        in -> OpCases.GOLDEN_API.get(c.op).apply(c.args, in));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void gradcheckRow(OpCases.Case c) {
    check(c.name(), c.inputs()::get, c.f()::apply);
  }

  /**
   * Eager once, then the compiled function three times (a trace and two replays) on the same
   * inputs.
   */
  static void check(
      String name, java.util.function.Supplier<Tensor[]> inputs, Function<Tensor[], Tensor> f) {
    Tensor[] in = inputs.get();
    Tensor expected = f.apply(in);
    Tensor[] expectedGrads = grads(expected, in);
    CompiledFunction cf = Autograd.compile(f);
    for (int call = 0; call < 3; call++) {
      Tensor out = cf.call(in);
      same(name + " output (call " + call + ")", expected, out);
      assertEquals(expected.requiresGrad(), out.requiresGrad(), name + " requiresGrad");
      Tensor[] g = grads(out, in);
      for (int i = 0; i < g.length; i++)
        same(name + " gradient of input " + i + " (call " + call + ")", expectedGrads[i], g[i]);
    }
    String explain = cf.explain();
    if (name.startsWith(
        "in-place")) { // in-place writes replay too (into the caller's tensors once a second
      // recording agreed)
      if (cf.replayCount() < 1)
        fail(name + ": expected a replay, got none\n" + explain + "\n" + cf);
    } else if (name.contains("mask")
        && cf.replayCount()
            == 0) { // x[mask]: a data-dependent shape, run eagerly (as torch.compile breaks the
      // graph)
      assertTrue(
          explain.contains("BOOL mask index"), name + ": expected the mask fallback\n" + explain);
    } else if (name.equals("dropout")) { // random masks are not replayed
      assertTrue(
          explain.contains("is not traced"),
          name + ": expected the untraced-producer fallback\n" + explain);
    } else if (cf.replayCount() != 2) {
      fail(name + ": expected 2 replays, got " + cf.replayCount() + "\n" + explain + "\n" + cf);
    }
  }

  private static Tensor[] grads(Tensor out, Tensor[] in) {
    List<Tensor> diff = new ArrayList<>();
    for (Tensor t : in) if (t.requiresGrad()) diff.add(t);
    if (!out.requiresGrad() || diff.isEmpty()) return new Tensor[0];
    Tensor upstream = Tensor.randn(new Generator(7), out.dtype(), out.shape());
    return Autograd.grad(
        new Tensor[] {out},
        diff.toArray(new Tensor[0]),
        new Tensor[] {upstream},
        false,
        false,
        true);
  }

  private static void same(String what, Tensor expected, Tensor actual) {
    if (expected == null || actual == null) {
      assertEquals(expected == null, actual == null, what + ": null on one side");
      return;
    }
    assertEquals(expected.dtype(), actual.dtype(), what + " dtype");
    assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
    assertArrayEquals(expected.toDoubleArray(), actual.toDoubleArray(), what);
  }
}
