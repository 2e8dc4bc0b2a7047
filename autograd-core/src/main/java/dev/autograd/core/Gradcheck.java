package dev.autograd.core;

import dev.autograd.core.internal.Tensors;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks analytic gradients against central finite differences, as PyTorch's {@code gradcheck} and
 * {@code gradgradcheck} do. Use it on your own {@link Function}s and models: the inputs that
 * require grad are checked (at least one must); FLOAT32 inputs are accepted with PyTorch's warning
 * (finite differences need FLOAT64 to be reliable); inputs with a stride-0 dimension (from {@code
 * expand}) are refused as in PyTorch; backward is run twice and must give the same gradients within
 * {@code nondetTol}.
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
    if (!errors.isEmpty())
      throw new AssertionError("gradcheck failed:\n" + String.join("\n", errors));
  }

  /** Second order: checks the gradient of (projected) gradients, like {@code gradgradcheck}. */
  public static void assertSecondOrder(Fn f, Tensor... inputs) {
    List<String> errors = check(gradientOf(f, inputs), inputs, EPS, ATOL, RTOL);
    if (!errors.isEmpty())
      throw new AssertionError("gradgradcheck failed:\n" + String.join("\n", errors));
  }

  /** True when every analytic gradient matches finite differences within the tolerances. */
  public static boolean gradcheck(Fn f, Tensor[] inputs, double eps, double atol, double rtol) {
    return check(f, inputs, eps, atol, rtol).isEmpty();
  }

  /**
   * {@link #gradcheck(Fn, Tensor[], double, double, double)} with a tolerance for a
   * nondeterministic backward.
   */
  public static boolean gradcheck(
      Fn f, Tensor[] inputs, double eps, double atol, double rtol, double nondetTol) {
    return check(f, inputs, eps, atol, rtol, nondetTol).isEmpty();
  }

  /**
   * PyTorch's {@code gradcheck(f, inputs)} with its defaults: returns true, or throws an {@link
   * AssertionError} saying which input and element disagree (PyTorch's {@code GradcheckError}).
   */
  public static boolean gradcheck(Fn f, Tensor... inputs) {
    assertGradients(f, inputs);
    return true;
  }

  /**
   * PyTorch's {@code gradgradcheck(f, inputs)}: second derivatives by finite differences; true or
   * an {@link AssertionError}.
   */
  public static boolean gradgradcheck(Fn f, Tensor... inputs) {
    assertSecondOrder(f, inputs);
    return true;
  }

  /**
   * Compares d(sum(f(x) * v))/dx for a fixed random v against central differences; returns one
   * message per mismatching element (empty when all agree).
   */
  public static List<String> check(Fn f, Tensor[] inputs, double eps, double atol, double rtol) {
    return check(f, inputs, eps, atol, rtol, 0.0);
  }

  /**
   * {@link #check(Fn, Tensor[], double, double, double)} where two backward runs may differ by
   * {@code nondetTol}.
   */
  public static List<String> check(
      Fn f, Tensor[] inputs, double eps, double atol, double rtol, double nondetTol) {
    checkInputs(inputs);
    Tensor probe;
    Tensor v;
    try (GradMode.Scope s = GradMode.scope(false)) {
      probe = f.apply(inputs);
      v = Tensor.randn(new Generator(1234), DType.FLOAT64, probe.shapeRef());
    }
    List<Tensor> diff = new ArrayList<>();
    for (Tensor t : inputs) if (t.requiresGrad()) diff.add(t);
    Tensor y = f.apply(inputs);
    Tensor[] analytic =
        y.requiresGrad()
            ? Autograd.grad(
                new Tensor[] {project(y, v)}, diff.toArray(new Tensor[0]), null, false, false, true)
            : new Tensor[diff.size()];
    List<String> errors = new ArrayList<>();
    if (y.requiresGrad()) {
      Tensor again = f.apply(inputs);
      Tensor[] second =
          Autograd.grad(
              new Tensor[] {project(again, v)},
              diff.toArray(new Tensor[0]),
              null,
              false,
              false,
              true);
      if (maxDifference(analytic, second) > nondetTol)
        errors.add(NONDETERMINISTIC + nondetTol + ".");
    }
    for (int i = 0; i < diff.size(); i++) {
      Tensor x = diff.get(i);
      double[] a = analytic[i] == null ? new double[x.numel()] : analytic[i].toDoubleArray();
      double[] numeric = numericGradient(f, inputs, x, v, eps);
      for (int j = 0; j < numeric.length; j++) {
        if (!(Math.abs(a[j] - numeric[j]) <= atol + rtol * Math.abs(numeric[j]))) {
          errors.add(
              "  input "
                  + indexOf(inputs, x)
                  + " element "
                  + j
                  + ": analytic "
                  + a[j]
                  + " vs numeric "
                  + numeric[j]);
        }
      }
    }
    return errors;
  }

  private static final String NONDETERMINISTIC =
      "Backward is not reentrant, i.e., running backward with same input and grad_output multiple"
          + " times gives different values, although analytical gradient matches numerical gradient.The tolerance for nondeterminism was ";

  // PyTorch's _check_inputs: something to check, double precision advised, no overlapping
  // (expanded) memory
  private static void checkInputs(Tensor[] inputs) {
    if (inputs == null) throw new IllegalArgumentException("gradcheck: inputs is null");
    boolean any = false;
    for (int i = 0; i < inputs.length; i++) {
      Tensor t = inputs[i];
      if (t == null || !t.requiresGrad()) continue;
      any = true;
      if (t.dtype() != DType.FLOAT64) {
        System.err.println(
            "UserWarning: Input #"
                + i
                + " requires gradient and is not a double precision floating point or complex. This check"
                + " will likely fail if all the inputs are not of double precision floating point or complex. ");
      }
      int[] shape = t.shape();
      int[] strides = t.stride();
      for (int d = 0; d < shape.length; d++) {
        if (strides[d] == 0 && shape[d] > 1) {
          throw new IllegalArgumentException(
              "The "
                  + i
                  + "th input has a dimension with stride 0. gradcheck only supports inputs that are"
                  + " non-overlapping to be able to compute the numerical gradients correctly. You should call .contiguous on the input before"
                  + " passing it to gradcheck.");
        }
      }
    }
    if (!any) {
      throw new IllegalArgumentException(
          "gradcheck expects at least one input tensor to require gradient, but none of the them have requires_grad=True.");
    }
  }

  private static double maxDifference(Tensor[] a, Tensor[] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      if (a[i] == null || b[i] == null) continue;
      double[] x = a[i].toDoubleArray();
      double[] y = b[i].toDoubleArray();
      for (int j = 0; j < x.length; j++) max = Math.max(max, Math.abs(x[j] - y[j]));
    }
    return max;
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
    Tensor[] g =
        Autograd.grad(
            new Tensor[] {project(y, v)}, diff.toArray(new Tensor[0]), null, true, true, true);
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
