package dev.autograd.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autograd.core.Autograd;
import dev.autograd.core.DType;
import dev.autograd.core.Tensor;
import dev.autograd.core.testing.Golden.GoldenCase;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Runs one ops.json case against our implementation of its op: the output, the gradients of {@code
 * sum(output * upstream)} and, where given, the Hessian-vector products of {@code second_order}.
 * Shared by the golden tests of core ops and nn primitives.
 */
public final class GoldenRunner {
  private GoldenRunner() {}

  /** Relative and absolute tolerance for comparisons in {@code dtype}. */
  public static double[] tolerance(DType dtype) {
    return dtype == DType.FLOAT64 ? new double[] {1e-9, 1e-10} : new double[] {1e-4, 1e-5};
  }

  /**
   * Checks {@code op} (our implementation of {@code c.op}) on the case's inputs in {@code dtype}.
   */
  public static void run(GoldenCase c, DType dtype, Function<Tensor[], Tensor> op) {
    double[] tol = tolerance(dtype);
    Tensor[] inputs = c.inputs(dtype);
    Tensor out = op.apply(inputs);
    assertClose(c.name + " output", c.json.get("output"), out, tol);
    if (!c.json.has("grads")) return;
    List<Tensor> floats = new ArrayList<>();
    for (Tensor t : inputs) if (t.dtype().isFloatingPoint()) floats.add(t);
    Tensor[] diff = floats.toArray(new Tensor[0]);
    JsonNode expectedGrads = c.json.get("grads");
    if (expectedGrads.size() != diff.length) {
      throw new AssertionError(
          c.name
              + ": ops.json has "
              + expectedGrads.size()
              + " grads for "
              + diff.length
              + " float inputs");
    }
    if (!out.requiresGrad())
      throw new AssertionError(c.name + ": output does not require grad, expected gradients");
    Tensor upstream = Golden.tensor(c.json.get("upstream"), dtype);
    boolean second = c.hasSecondOrder();
    Tensor[] grads =
        Autograd.grad(new Tensor[] {out}, diff, new Tensor[] {upstream}, second, second, true);
    for (int i = 0; i < diff.length; i++) {
      assertClose(
          c.name + " grad of input " + i, expectedGrads.get(i), orZeros(grads[i], diff[i]), tol);
    }
    if (!second) return;
    JsonNode so = c.json.get("second_order");
    Tensor total = Tensor.zeros(dtype);
    boolean any = false;
    for (int i = 0; i < diff.length; i++) {
      if (grads[i] == null || !grads[i].requiresGrad()) continue;
      total = total.add(grads[i].mul(Golden.tensor(so.get("vectors").get(i), dtype)).sum());
      any = true;
    }
    Tensor[] hvp =
        any
            ? Autograd.grad(new Tensor[] {total}, diff, null, false, false, true)
            : new Tensor[diff.length];
    for (int i = 0; i < diff.length; i++) {
      assertClose(
          c.name + " second-order grad of input " + i,
          so.get("grads").get(i),
          orZeros(hvp[i], diff[i]),
          tol);
    }
  }

  private static Tensor orZeros(Tensor g, Tensor like) {
    return g != null ? g : Tensor.zerosLike(like.detach());
  }

  /**
   * Asserts that {@code actual} has the expected {shape, data} within {@code tol = {rtol, atol}}.
   */
  public static void assertClose(String what, JsonNode expected, Tensor actual, double[] tol) {
    int[] shape = Golden.shape(expected.get("shape"));
    if (!Arrays.equals(shape, actual.shape())) {
      throw new AssertionError(
          what
              + ": shape "
              + Arrays.toString(actual.shape())
              + ", expected "
              + Arrays.toString(shape));
    }
    double[] e = Golden.doubles(expected.get("data"));
    double[] a = actual.toDoubleArray();
    // float32 values carry relative rounding of about 1e-7 on each operand: scale atol by magnitude
    double scale = 0;
    for (double v : e)
      if (Double.isFinite(v)) scale = Math.max(scale, Math.abs(v)); // ±inf and NaN compare exactly
    double atol = tol[1] * Math.max(1, scale);
    for (int i = 0; i < e.length; i++) {
      boolean ok =
          Math.abs(a[i] - e[i]) <= atol + tol[0] * Math.abs(e[i])
              || (Double.isNaN(e[i]) && Double.isNaN(a[i]))
              || a[i] == e[i];
      if (!ok) {
        throw new AssertionError(
            what
                + ": element "
                + i
                + " is "
                + a[i]
                + ", expected "
                + e[i]
                + " (rtol "
                + tol[0]
                + ", atol "
                + atol
                + ")");
      }
    }
  }
}
