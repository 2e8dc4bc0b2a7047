package dev.autograd.core;

import dev.autograd.core.internal.Tensors;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks analytic gradients against central finite differences, as PyTorch's {@code gradcheck}
 * and {@code gradgradcheck} do. Use it on your own {@link Function}s and models: inputs must be
 * FLOAT64; those that require grad are checked.
 *
 * <pre>{@code
 * Tensor x = Tensor.randn(Generator(0), DType.FLOAT64, 3, 4).requiresGrad_();
 * Gradcheck.assertGradients(in -> new MyFn().apply(in[0]), x);
 * }</pre>
 */
public final class Gradcheck {
  private Gradcheck() {}

  /** A differentiable function of several tensors. */
  @FunctionalInterface
  public interface Fn {
    /** Evaluates the function on {@code inputs} (all of them, in the order given to the check). */
    Tensor apply(Tensor[] inputs);
  }

  /** PyTorch's defaults: eps 1e-6, atol 1e-5, rtol 1e-3. */
  public static final double EPS = 1e-6, ATOL = 1e-5, RTOL = 1e-3;

  /** Throws an {@link AssertionError} naming the input and element whose gradients disagree. */
  public static void assertGradients(Fn f, Tensor... inputs) {
    List<String> errors = check(f, inputs, EPS, ATOL, RTOL);
    if (!errors.isEmpty()) throw new AssertionError("gradcheck failed:\n" + String.join("\n", errors));
  }

  /** Second order: checks the gradient of (projected) gradients, like {@code gradgradcheck}. */
  public static void assertSecondOrder(Fn f, Tensor... inputs) {
    List<String> errors = check(gradientOf(f, inputs), inputs, EPS, ATOL, RTOL);
    if (!errors.isEmpty()) throw new AssertionError("gradgradcheck failed:\n" + String.join("\n", errors));
  }

  /** True when every analytic gradient matches finite differences within the tolerances. */
  public static boolean gradcheck(Fn f, Tensor[] inputs, double eps, double atol, double rtol) {
    return check(f, inputs, eps, atol, rtol).isEmpty();
  }

  /**
   * Compares d(sum(f(x) * v))/dx for a fixed random v against central differences; returns one
   * message per mismatching element (empty when all agree).
   */
  public static List<String> check(Fn f, Tensor[] inputs, double eps, double atol, double rtol) {
    for (Tensor t : inputs) {
      if (t.requiresGrad() && t.dtype() != DType.FLOAT64) {
        throw new IllegalArgumentException(
            "gradcheck: inputs that require grad must be FLOAT64 (finite differences need double precision), got " + t.dtype().torchName());
      }
    }
    Tensor probe;
    Tensor v;
    try (GradMode.Scope s = GradMode.scope(false)) {
      probe = f.apply(inputs);
      v = Tensor.randn(new Generator(1234), DType.FLOAT64, probe.shapeRef());
    }
    List<Tensor> diff = new ArrayList<>();
    for (Tensor t : inputs) if (t.requiresGrad()) diff.add(t);
    Tensor y = f.apply(inputs);
    Tensor[] analytic = y.requiresGrad()
        ? Autograd.grad(new Tensor[] {project(y, v)}, diff.toArray(new Tensor[0]), null, false, false, true)
        : new Tensor[diff.size()];
    List<String> errors = new ArrayList<>();
    for (int i = 0; i < diff.size(); i++) {
      Tensor x = diff.get(i);
      double[] a = analytic[i] == null ? new double[x.numel()] : analytic[i].toDoubleArray();
      double[] numeric = numericGradient(f, inputs, x, v, eps);
      for (int j = 0; j < numeric.length; j++) {
        if (!(Math.abs(a[j] - numeric[j]) <= atol + rtol * Math.abs(numeric[j]))) {
          errors.add("  input " + indexOf(inputs, x) + " element " + j + ": analytic " + a[j] + " vs numeric " + numeric[j]);
        }
      }
    }
    return errors;
  }

  private static int indexOf(Tensor[] inputs, Tensor x) {
    for (int i = 0; i < inputs.length; i++) if (inputs[i] == x) return i;
    return -1;
  }

  private static Tensor project(Tensor y, Tensor v) {
    return y.mul(v).sum();
  }

  // Perturbs the input's storage in place (with recording off) and restores it afterwards.
  private static double[] numericGradient(Fn f, Tensor[] inputs, Tensor x, Tensor v, double eps) {
    double[] out = new double[x.numel()];
    try (GradMode.Scope s = GradMode.scope(false)) {
      Tensor flat = x.detach();
      int[] shape = flat.shapeRef();
      int[] idx = new int[shape.length];
      for (int j = 0; j < out.length; j++) {
        int off = dev.autograd.core.ops.Creation.flatOffset(flat, idx);
        double orig = Tensors.storage(flat).get(off);
        Tensors.storage(flat).set(off, orig + eps);
        double plus = project(f.apply(inputs), v).item();
        Tensors.storage(flat).set(off, orig - eps);
        double minus = project(f.apply(inputs), v).item();
        Tensors.storage(flat).set(off, orig);
        out[j] = (plus - minus) / (2 * eps);
        for (int d = shape.length - 1; d >= 0; d--) {
          if (++idx[d] < shape[d]) break;
          idx[d] = 0;
        }
      }
    }
    return out;
  }

  /** x -> sum_i sum(grad_i(x) * u_i): its gradient is a Hessian-vector product. */
  private static Fn gradientOf(Fn f, Tensor[] inputs) {
    // NOTE: finite differences run with grad mode off, but this function needs it on inside.
    return in -> {
      // the finite differences call this with recording off; the inner gradient needs it on
      try (GradMode.Scope on = GradMode.scope(true)) {
        return projectedGradient(f, in);
      }
    };
  }

  private static Tensor projectedGradient(Fn f, Tensor[] in) {
    List<Tensor> diff = new ArrayList<>();
    for (Tensor t : in) if (t.requiresGrad()) diff.add(t);
    Tensor y = f.apply(in);
    Tensor v = Tensor.randn(new Generator(1234), DType.FLOAT64, y.shapeRef());
    if (!y.requiresGrad()) return Tensor.zeros(DType.FLOAT64);
    Tensor[] g = Autograd.grad(new Tensor[] {project(y, v)}, diff.toArray(new Tensor[0]), null, true, true, true);
    Tensor total = Tensor.zeros(DType.FLOAT64);
    Generator gen = new Generator(99);
    for (Tensor gi : g) {
      if (gi == null) continue;
      Tensor u = Tensor.randn(gen, DType.FLOAT64, gi.shapeRef());
      total = total.add(gi.mul(u).sum());
    }
    return total;
  }
}
