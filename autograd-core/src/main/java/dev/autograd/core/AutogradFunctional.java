package dev.autograd.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * PyTorch's {@code torch.autograd.functional}: vector-Jacobian and Jacobian-vector products,
 * Jacobians and Hessians of a function, by reverse mode or forward mode (dual tensors), plus
 * functorch's {@code jacfwd} and {@code jacrev}.
 *
 * <p>Functions take and return arrays of tensors; the {@code Function<Tensor, Tensor>} overloads
 * are the one-input, one-output case. As in PyTorch: inputs are differentiated as fresh leaves
 * (with {@code createGraph}, inputs that require grad stay connected to their graph, so the results
 * can be differentiated again); outputs are returned detached unless {@code createGraph}; an output
 * or input the result does not depend on gives zeros, or an error with {@code strict}.
 */
public final class AutogradFunctional {
  private AutogradFunctional() {}

  /** A function's outputs and one product per input (vjp, jvp, vhp, hvp). */
  public record Product(Tensor[] outputs, Tensor[] product) {
    /** The single output of a one-output function. */
    public Tensor output() {
      return outputs[0];
    }

    /** The single product of a one-input function (or the first). */
    public Tensor value() {
      return product[0];
    }
  }

  // ---------------------------------------------------------------------------------------------
  // vjp and jvp

  /**
   * {@code vᵀ·J} for a one-input, one-output function; {@code v} may be null for a one-element
   * output.
   */
  public static Product vjp(Function<Tensor, Tensor> f, Tensor input, Tensor v) {
    return vjp(
        in -> new Tensor[] {f.apply(in[0])},
        new Tensor[] {input},
        v == null ? null : new Tensor[] {v},
        false,
        false);
  }

  /**
   * {@code torch.autograd.functional.vjp}: the products of the vectors {@code v} (one per output,
   * its shape; null for one-element outputs) with the Jacobian of {@code f} at {@code inputs}.
   */
  public static Product vjp(
      Function<Tensor[], Tensor[]> f,
      Tensor[] inputs,
      Tensor[] v,
      boolean createGraph,
      boolean strict) {
    try (GradMode.Scope s = GradMode.scope(true)) {
      Tensor[] in = prepareInputs("vjp", inputs, createGraph);
      Tensor[] out = call("vjp", f, in);
      Tensor[] vs = vectors("vjp", "v", out, v, true);
      Tensor[] grads = gradOrNull(out, in, vs, createGraph);
      return new Product(finish(out, createGraph), fill("vjp", grads, in, strict, createGraph));
    }
  }

  /**
   * {@code J·v} for a one-input, one-output function; {@code v} may be null for a one-element
   * input.
   */
  public static Product jvp(Function<Tensor, Tensor> f, Tensor input, Tensor v) {
    return jvp(
        in -> new Tensor[] {f.apply(in[0])},
        new Tensor[] {input},
        v == null ? null : new Tensor[] {v},
        false,
        false);
  }

  /**
   * {@code torch.autograd.functional.jvp}: the product of the Jacobian of {@code f} at {@code
   * inputs} with the vectors {@code v} (one per input), by forward mode: one pass on dual inputs
   * whose tangents are {@code v}. Inside a dual level the caller opened (levels do not nest), or
   * when {@code f} calls a custom {@link dev.autograd.core.Function} (which has no forward-mode
   * rule; {@code f} then runs a second time), it uses double backward, as PyTorch's jvp always
   * does.
   */
  public static Product jvp(
      Function<Tensor[], Tensor[]> f,
      Tensor[] inputs,
      Tensor[] v,
      boolean createGraph,
      boolean strict) {
    if (dev.autograd.core.engine.Forward.level() != null)
      return jvpByDoubleBackward(f, inputs, v, createGraph, strict);
    try {
      return jvpByForwardMode(f, inputs, v, createGraph, strict);
    } catch (dev.autograd.core.engine.NoTangentRule e) {
      return jvpByDoubleBackward(f, inputs, v, createGraph, strict);
    }
  }

  // J·v in one forward-mode pass
  private static Product jvpByForwardMode(
      Function<Tensor[], Tensor[]> f,
      Tensor[] inputs,
      Tensor[] v,
      boolean createGraph,
      boolean strict) {
    try (GradMode.Scope s = GradMode.scope(true)) {
      Tensor[] in = prepareForward("jvp", inputs, createGraph);
      Tensor[] vs = vectors("jvp", "v", in, v, false);
      Tensor[] out;
      Tensor[] tangents;
      try (DualLevel level = Autograd.dualLevel()) {
        Tensor[] duals = new Tensor[in.length];
        for (int i = 0; i < in.length; i++)
          duals[i] = Autograd.makeDual(in[i], vs[i].to(in[i].dtype()));
        Tensor[] raw = call("jvp", f, duals);
        out = new Tensor[raw.length];
        tangents = new Tensor[raw.length];
        for (int i = 0; i < raw.length; i++) {
          UnpackedDual u = Autograd.unpackDual(raw[i]);
          out[i] = u.primal();
          tangents[i] = u.tangent();
        }
      }
      return new Product(finish(out, createGraph), fill("jvp", tangents, out, strict, createGraph));
    }
  }

  // J·v as the derivative of the vjp with a dummy vector u (linear in u) along v
  private static Product jvpByDoubleBackward(
      Function<Tensor[], Tensor[]> f,
      Tensor[] inputs,
      Tensor[] v,
      boolean createGraph,
      boolean strict) {
    try (GradMode.Scope s = GradMode.scope(true)) {
      Tensor[] in = prepareInputs("jvp", inputs, createGraph);
      Tensor[] vs = vectors("jvp", "v", in, v, false);
      Tensor[] out = call("jvp", f, in);
      Tensor[] dummies = new Tensor[out.length];
      for (int i = 0; i < out.length; i++)
        dummies[i] = Tensor.zerosLike(out[i].detach()).requiresGrad_();
      Tensor[] gradInputs = gradOrNull(out, in, dummies, true);
      List<Tensor> linear = new ArrayList<>();
      List<Tensor> along = new ArrayList<>();
      for (int i = 0; i < in.length; i++) {
        if (gradInputs[i] == null || !gradInputs[i].requiresGrad()) continue;
        linear.add(gradInputs[i]);
        along.add(vs[i]);
      }
      Tensor[] jv =
          linear.isEmpty()
              ? new Tensor[out.length]
              : Autograd.grad(
                  linear.toArray(new Tensor[0]),
                  dummies,
                  along.toArray(new Tensor[0]),
                  createGraph,
                  createGraph,
                  true);
      return new Product(finish(out, createGraph), fill("jvp", jv, out, strict, createGraph));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Jacobian and Hessian

  /** The Jacobian of a one-input, one-output function: shape {@code out.shape + in.shape}. */
  public static Tensor jacobian(Function<Tensor, Tensor> f, Tensor input) {
    return jacobian(in -> new Tensor[] {f.apply(in[0])}, new Tensor[] {input}, false, false)[0][0];
  }

  /**
   * {@code torch.autograd.functional.jacobian}: {@code J[i][j]} is d output i / d input j, of shape
   * {@code outputs[i].shape + inputs[j].shape}; one reverse pass per output element.
   */
  public static Tensor[][] jacobian(
      Function<Tensor[], Tensor[]> f, Tensor[] inputs, boolean createGraph, boolean strict) {
    try (GradMode.Scope s = GradMode.scope(true)) {
      Tensor[] in = prepareInputs("jacobian", inputs, createGraph);
      Tensor[] out = call("jacobian", f, in);
      return jacobianOf(out, in, createGraph, strict);
    }
  }

  /**
   * How a Jacobian is computed: PyTorch's {@code strategy="reverse-mode"} or {@code
   * "forward-mode"}.
   */
  public enum Strategy {
    /** One backward pass per output element (PyTorch's default). */
    REVERSE_MODE,
    /**
     * One forward-mode pass per input element: cheaper when the function has more outputs than
     * inputs.
     */
    FORWARD_MODE
  }

  /**
   * The Jacobian of a one-input, one-output function by {@code strategy} (forward mode is
   * vectorized, as PyTorch requires).
   */
  public static Tensor jacobian(Function<Tensor, Tensor> f, Tensor input, Strategy strategy) {
    return jacobian(
        in -> new Tensor[] {f.apply(in[0])}, new Tensor[] {input}, false, false, true, strategy)[0][
        0];
  }

  /**
   * {@code torch.autograd.functional.jacobian(func, inputs, create_graph, strict, vectorize,
   * strategy)}. With {@link Strategy#FORWARD_MODE}, as in PyTorch: {@code vectorize} must be true
   * and {@code createGraph} and {@code strict} false (each is an error otherwise). {@code
   * vectorize} gives the same values as the loop (this library has no vmap: the passes run one
   * after another either way).
   */
  public static Tensor[][] jacobian(
      Function<Tensor[], Tensor[]> f,
      Tensor[] inputs,
      boolean createGraph,
      boolean strict,
      boolean vectorize,
      Strategy strategy) {
    Objects.requireNonNull(
        strategy, "jacobian: strategy is null (use Strategy.REVERSE_MODE or FORWARD_MODE)");
    if (strategy == Strategy.REVERSE_MODE) return jacobian(f, inputs, createGraph, strict);
    checkForwardMode("jacobian", createGraph, strict, vectorize);
    Tensor[] in = prepareForward("jacobian", inputs, false);
    Objects.requireNonNull(f, "jacobian: the function is null");
    return JacobianColumns.forward("jacobian", f, in, allArgs(in.length));
  }

  // PyTorch's refusals for strategy="forward-mode"
  private static void checkForwardMode(
      String fn, boolean createGraph, boolean strict, boolean vectorize) {
    if (createGraph) {
      throw new UnsupportedOperationException(
          "torch.autograd.functional."
              + fn
              + ": `create_graph=True` and `strategy=\"forward-mode\"` are not supported"
              + " together (yet). Please either set `create_graph=False` or `strategy=\"reverse-mode\"`.");
    }
    if (strict) {
      throw new IllegalArgumentException(
          "torch.autograd.functional."
              + fn
              + ": `strict=True` and `strategy=\"forward-mode\"` are not supported together (yet)."
              + " Please either set `strict=False` or `strategy=\"reverse-mode\"`.");
    }
    if (!vectorize) {
      throw new UnsupportedOperationException(
          "Computing Jacobian using forward-AD or forward-over-reverse Hessian is only implemented for `vectorize=True`.");
    }
  }

  private static int[] allArgs(int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) a[i] = i;
    return a;
  }

  /**
   * The Hessian of a one-input function with a one-element output: shape {@code in.shape +
   * in.shape}.
   */
  public static Tensor hessian(Function<Tensor, Tensor> f, Tensor input) {
    return hessian(in -> f.apply(in[0]), new Tensor[] {input}, false, false)[0][0];
  }

  /**
   * {@code torch.autograd.functional.hessian}: {@code H[i][j]} is d² f / d input i d input j for a
   * function with a one-element output, the Jacobian of its gradient.
   */
  public static Tensor[][] hessian(
      Function<Tensor[], Tensor> f, Tensor[] inputs, boolean createGraph, boolean strict) {
    try (GradMode.Scope s = GradMode.scope(true)) {
      Tensor[] in = prepareInputs("hessian", inputs, createGraph);
      Tensor out = requireScalar("hessian", call("hessian", x -> new Tensor[] {f.apply(x)}, in)[0]);
      Tensor[] grads =
          fill("hessian", gradOrNull(new Tensor[] {out}, in, null, true), in, strict, true);
      return jacobianOf(grads, in, createGraph, strict);
    }
  }

  /**
   * {@code torch.autograd.functional.hessian(func, inputs, create_graph, strict, vectorize,
   * outer_jacobian_strategy)}: with {@link Strategy#FORWARD_MODE} the Hessian is
   * forward-over-reverse (one forward-mode pass per input element through a backward pass), which
   * needs {@code vectorize} and neither {@code createGraph} nor {@code strict}, as in PyTorch.
   */
  public static Tensor[][] hessian(
      Function<Tensor[], Tensor> f,
      Tensor[] inputs,
      boolean createGraph,
      boolean strict,
      boolean vectorize,
      Strategy outerJacobianStrategy) {
    Objects.requireNonNull(
        outerJacobianStrategy,
        "hessian: outerJacobianStrategy is null (use Strategy.REVERSE_MODE or FORWARD_MODE)");
    if (outerJacobianStrategy == Strategy.REVERSE_MODE)
      return hessian(f, inputs, createGraph, strict);
    checkForwardMode("hessian", createGraph, strict, vectorize);
    Objects.requireNonNull(f, "hessian: the function is null");
    Tensor[] in = prepareForward("hessian", inputs, false);
    int[] all = allArgs(in.length);
    Function<Tensor[], Tensor[]> gradient =
        x -> {
          Tensor[][] j =
              JacobianColumns.reverse(
                  "hessian",
                  y -> new Tensor[] {requireScalar("hessian", f.apply(y)).reshape()},
                  x,
                  all);
          return j[0];
        };
    return JacobianColumns.forward("hessian", gradient, in, all);
  }

  // ---------------------------------------------------------------------------------------------
  // functorch-style jacfwd and jacrev: functions that return Jacobians

  /**
   * functorch's {@code jacfwd(f)}: a function returning the Jacobian of {@code f} by forward mode,
   * shape {@code out.shape + in.shape}.
   */
  public static Function<Tensor, Tensor> jacfwd(Function<Tensor, Tensor> f) {
    Objects.requireNonNull(f, "jacfwd: the function is null");
    Function<Tensor[], Tensor[]> j = jacfwd(in -> f.apply(in[0]), 0);
    return x -> j.apply(new Tensor[] {x})[0];
  }

  /**
   * functorch's {@code jacfwd(f, argnums)}: a function of all of {@code f}'s inputs returning the
   * Jacobians of its output with respect to the inputs at {@code argnums} (input 0 when none;
   * negative positions count from the end), by one forward-mode pass per input element.
   */
  public static Function<Tensor[], Tensor[]> jacfwd(Function<Tensor[], Tensor> f, int... argnums) {
    Objects.requireNonNull(f, "jacfwd: the function is null");
    return in -> {
      Tensor[] x = checkedInputs("jacfwd", in);
      return JacobianColumns.forward(
          "jacfwd",
          y -> new Tensor[] {f.apply(y)},
          x,
          JacobianColumns.argnums("jacfwd", argnums, x.length))[0];
    };
  }

  /**
   * functorch's {@code jacrev(f)}: a function returning the Jacobian of {@code f} by reverse mode.
   */
  public static Function<Tensor, Tensor> jacrev(Function<Tensor, Tensor> f) {
    Objects.requireNonNull(f, "jacrev: the function is null");
    Function<Tensor[], Tensor[]> j = jacrev(in -> f.apply(in[0]), 0);
    return x -> j.apply(new Tensor[] {x})[0];
  }

  /**
   * functorch's {@code jacrev(f, argnums)}: the Jacobians of {@code f}'s output with respect to the
   * inputs at {@code argnums}, one backward pass per output element. Called on dual inputs (inside
   * {@link #jacfwd}), the Jacobians carry tangents: {@code jacfwd(jacrev(f))} is the Hessian,
   * forward-over-reverse.
   */
  public static Function<Tensor[], Tensor[]> jacrev(Function<Tensor[], Tensor> f, int... argnums) {
    Objects.requireNonNull(f, "jacrev: the function is null");
    return in -> {
      Tensor[] x = checkedInputs("jacrev", in);
      return JacobianColumns.reverse(
          "jacrev",
          y -> new Tensor[] {f.apply(y)},
          x,
          JacobianColumns.argnums("jacrev", argnums, x.length))[0];
    };
  }

  private static Tensor[] checkedInputs(String fn, Tensor[] in) {
    Objects.requireNonNull(in, fn + ": inputs is null");
    for (int i = 0; i < in.length; i++) {
      Tensor t = Objects.requireNonNull(in[i], fn + ": input " + i + " is null");
      if (!t.dtype().isFloatingPoint()) {
        throw new IllegalArgumentException(
            fn
                + ": input "
                + i
                + " has dtype "
                + t.dtype().torchName()
                + "; only floating-point inputs can be differentiated");
      }
    }
    return in;
  }

  /** {@code vᵀ·H} for a one-input function with a one-element output. */
  public static Product vhp(Function<Tensor, Tensor> f, Tensor input, Tensor v) {
    return vhp(in -> f.apply(in[0]), new Tensor[] {input}, new Tensor[] {v}, false, false);
  }

  /**
   * {@code torch.autograd.functional.vhp}: the vector-Hessian product {@code vᵀ·H} and the
   * function's value.
   */
  public static Product vhp(
      Function<Tensor[], Tensor> f,
      Tensor[] inputs,
      Tensor[] v,
      boolean createGraph,
      boolean strict) {
    try (GradMode.Scope s = GradMode.scope(true)) {
      Tensor[] in = prepareInputs("vhp", inputs, createGraph);
      Tensor[] vs = vectors("vhp", "v", in, v, false);
      Tensor out = requireScalar("vhp", call("vhp", x -> new Tensor[] {f.apply(x)}, in)[0]);
      Tensor[] grads = gradOrNull(new Tensor[] {out}, in, null, true);
      Tensor[] used = nonNull(grads);
      Tensor[] vhp =
          used.length == 0
              ? new Tensor[in.length]
              : gradOrNull(used, in, pick(vs, grads), createGraph);
      return new Product(
          finish(new Tensor[] {out}, createGraph), fill("vhp", vhp, in, strict, createGraph));
    }
  }

  /** {@code H·v} for a one-input function with a one-element output. */
  public static Product hvp(Function<Tensor, Tensor> f, Tensor input, Tensor v) {
    return hvp(in -> f.apply(in[0]), new Tensor[] {input}, new Tensor[] {v}, false, false);
  }

  /**
   * {@code torch.autograd.functional.hvp}: the Hessian-vector product {@code H·v}, by double
   * backward through the vhp with a dummy vector (so it is exact also where H is not symmetric).
   */
  public static Product hvp(
      Function<Tensor[], Tensor> f,
      Tensor[] inputs,
      Tensor[] v,
      boolean createGraph,
      boolean strict) {
    try (GradMode.Scope s = GradMode.scope(true)) {
      Tensor[] in = prepareInputs("hvp", inputs, createGraph);
      Tensor[] vs = vectors("hvp", "v", in, v, false);
      Tensor out = requireScalar("hvp", call("hvp", x -> new Tensor[] {f.apply(x)}, in)[0]);
      Tensor[] grads = gradOrNull(new Tensor[] {out}, in, null, true);
      Tensor[] dummies = new Tensor[in.length];
      for (int i = 0; i < in.length; i++)
        dummies[i] = Tensor.zerosLike(in[i].detach()).requiresGrad_();
      Tensor[] used = nonNull(grads);
      Tensor[] vhpDummy =
          used.length == 0
              ? new Tensor[in.length]
              : gradOrNull(used, in, pick(dummies, grads), true);
      List<Tensor> linear = new ArrayList<>(), along = new ArrayList<>();
      for (int i = 0; i < in.length; i++) {
        if (vhpDummy[i] == null || !vhpDummy[i].requiresGrad()) continue;
        linear.add(vhpDummy[i]);
        along.add(vs[i]);
      }
      Tensor[] hvp =
          linear.isEmpty()
              ? new Tensor[in.length]
              : Autograd.grad(
                  linear.toArray(new Tensor[0]),
                  pick(dummies, grads),
                  along.toArray(new Tensor[0]),
                  createGraph,
                  createGraph,
                  true);
      Tensor[] full = new Tensor[in.length];
      for (int i = 0, k = 0; i < in.length; i++) if (grads[i] != null) full[i] = hvp[k++];
      return new Product(
          finish(new Tensor[] {out}, createGraph), fill("hvp", full, in, strict, createGraph));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The shared steps

  // every element of every output, one reverse pass each, rows stacked into out.shape + in.shape
  private static Tensor[][] jacobianOf(
      Tensor[] out, Tensor[] in, boolean createGraph, boolean strict) {
    Tensor[][] jac = new Tensor[out.length][in.length];
    for (int i = 0; i < out.length; i++) {
      Tensor flat = out[i].reshape(-1);
      int n = flat.numel();
      Tensor[][] rows = new Tensor[in.length][n];
      for (int e = 0; e < n; e++) {
        Tensor[] g =
            flat.requiresGrad()
                ? Autograd.grad(new Tensor[] {flat.select(0, e)}, in, null, true, createGraph, true)
                : new Tensor[in.length];
        for (int j = 0; j < in.length; j++) {
          if (g[j] == null && strict) throw independent("jacobian", "output " + i, j);
          rows[j][e] = g[j] != null ? g[j] : Tensor.zerosLike(in[j].detach());
        }
      }
      for (int j = 0; j < in.length; j++) {
        int[] shape = concat(out[i].shape(), in[j].shape());
        Tensor stacked =
            n == 0 ? Tensor.zeros(in[j].dtype(), shape) : Tensor.stack(0, rows[j]).reshape(shape);
        jac[i][j] = createGraph ? stacked : stacked.detach();
      }
    }
    return jac;
  }

  // fresh leaves to differentiate; with createGraph, inputs that require grad stay in their graph
  private static Tensor[] prepareInputs(String fn, Tensor[] inputs, boolean createGraph) {
    Objects.requireNonNull(inputs, fn + ": inputs is null");
    Tensor[] out = new Tensor[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      Tensor t = Objects.requireNonNull(inputs[i], fn + ": input " + i + " is null");
      if (!t.dtype().isFloatingPoint()) {
        throw new IllegalArgumentException(
            fn
                + ": input "
                + i
                + " has dtype "
                + t.dtype().torchName()
                + "; only floating-point inputs can be differentiated");
      }
      out[i] = createGraph && t.requiresGrad() ? t.reshape(t.shape()) : t.detach().requiresGrad_();
    }
    return out;
  }

  // inputs of a forward-mode pass: detached (no history to record), or with createGraph still in
  // their graph
  private static Tensor[] prepareForward(String fn, Tensor[] inputs, boolean createGraph) {
    Objects.requireNonNull(inputs, fn + ": inputs is null");
    Tensor[] out = new Tensor[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      Tensor t = Objects.requireNonNull(inputs[i], fn + ": input " + i + " is null");
      if (!t.dtype().isFloatingPoint()) {
        throw new IllegalArgumentException(
            fn
                + ": input "
                + i
                + " has dtype "
                + t.dtype().torchName()
                + "; only floating-point inputs can be differentiated");
      }
      out[i] = createGraph && t.requiresGrad() ? t.reshape(t.shape()) : t.detach();
    }
    return out;
  }

  private static Tensor[] call(String fn, Function<Tensor[], Tensor[]> f, Tensor[] in) {
    Tensor[] out = Objects.requireNonNull(f, fn + ": the function is null").apply(in);
    if (out == null || out.length == 0)
      throw new IllegalArgumentException(fn + ": the function returned no tensor");
    for (int i = 0; i < out.length; i++) {
      if (out[i] == null)
        throw new IllegalArgumentException(fn + ": output " + i + " of the function is null");
    }
    return out;
  }

  // one vector per tensor of `like` with its shape; null allowed only where `like` has one element
  private static Tensor[] vectors(
      String fn, String name, Tensor[] like, Tensor[] v, boolean forOutputs) {
    String what = forOutputs ? "output" : "input";
    if (v != null && v.length != like.length) {
      throw new IllegalArgumentException(
          fn
              + ": "
              + name
              + " has "
              + v.length
              + " tensors but the function has "
              + like.length
              + " "
              + what
              + "s");
    }
    Tensor[] out = new Tensor[like.length];
    for (int i = 0; i < like.length; i++) {
      Tensor vi = v == null ? null : v[i];
      if (vi == null) {
        if (like[i].numel() != 1) {
          throw new IllegalArgumentException(
              fn
                  + ": "
                  + name
                  + " can be omitted only for one-element "
                  + what
                  + "s; "
                  + what
                  + " "
                  + i
                  + " has shape "
                  + Arrays.toString(like[i].shape()));
        }
        vi = Tensor.onesLike(like[i].detach());
      } else if (!Arrays.equals(vi.shape(), like[i].shape())) {
        throw new IllegalArgumentException(
            fn
                + ": "
                + name
                + " "
                + i
                + " has shape "
                + Arrays.toString(vi.shape())
                + " but "
                + what
                + " "
                + i
                + " has shape "
                + Arrays.toString(like[i].shape())
                + "; they must match");
      }
      out[i] = vi;
    }
    return out;
  }

  // gradients of the outputs that require grad (an output that does not gives no gradient)
  private static Tensor[] gradOrNull(
      Tensor[] out, Tensor[] in, Tensor[] gradOutputs, boolean createGraph) {
    List<Tensor> outs = new ArrayList<>(), gs = new ArrayList<>();
    for (int i = 0; i < out.length; i++) {
      if (!out[i].requiresGrad()) continue;
      outs.add(out[i]);
      gs.add(gradOutputs == null ? null : gradOutputs[i]);
    }
    if (outs.isEmpty()) return new Tensor[in.length];
    Tensor[] g = gradOutputs == null ? null : gs.toArray(new Tensor[0]);
    return Autograd.grad(outs.toArray(new Tensor[0]), in, g, true, createGraph, true);
  }

  private static Tensor[] fill(
      String fn, Tensor[] results, Tensor[] like, boolean strict, boolean createGraph) {
    Tensor[] out = new Tensor[like.length];
    for (int i = 0; i < like.length; i++) {
      if (results[i] == null) {
        if (strict) throw independent(fn, "output", i);
        out[i] = Tensor.zerosLike(like[i].detach());
      } else {
        out[i] = createGraph ? results[i] : results[i].detach();
      }
    }
    return out;
  }

  private static Tensor[] finish(Tensor[] out, boolean createGraph) {
    if (createGraph) return out;
    Tensor[] d = new Tensor[out.length];
    for (int i = 0; i < out.length; i++) d[i] = out[i].detach();
    return d;
  }

  private static Tensor requireScalar(String fn, Tensor out) {
    if (out.numel() != 1) {
      throw new IllegalArgumentException(
          fn
              + ": the function must return a one-element tensor, got shape "
              + Arrays.toString(out.shape()));
    }
    return out;
  }

  private static IllegalStateException independent(String fn, String what, int input) {
    return new IllegalStateException(
        fn
            + ": the "
            + what
            + " of the user-provided function is independent of input "
            + input
            + ". This is not allowed in strict mode.");
  }

  private static Tensor[] nonNull(Tensor[] ts) {
    return Arrays.stream(ts).filter(Objects::nonNull).toArray(Tensor[]::new);
  }

  // the entries of `values` where `mask` has a tensor
  private static Tensor[] pick(Tensor[] values, Tensor[] mask) {
    List<Tensor> out = new ArrayList<>();
    for (int i = 0; i < mask.length; i++) if (mask[i] != null) out.add(values[i]);
    return out.toArray(new Tensor[0]);
  }

  private static int[] concat(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
