package dev.autograd.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * PyTorch's {@code torch.autograd.functional}: vector-Jacobian and Jacobian-vector products,
 * Jacobians and Hessians of a function, computed by reverse mode (and double backward for the
 * forward products, as PyTorch does when no forward-mode rule is used).
 *
 * <p>Functions take and return arrays of tensors; the {@code Function<Tensor, Tensor>} overloads
 * are the one-input, one-output case. As in PyTorch: inputs are differentiated as fresh leaves
 * (with {@code createGraph}, inputs that require grad stay connected to their graph, so the
 * results can be differentiated again); outputs are returned detached unless {@code createGraph};
 * an output or input the result does not depend on gives zeros, or an error with {@code strict}.
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

  /** {@code vᵀ·J} for a one-input, one-output function; {@code v} may be null for a one-element output. */
  public static Product vjp(Function<Tensor, Tensor> f, Tensor input, Tensor v) {
    return vjp(in -> new Tensor[] {f.apply(in[0])}, new Tensor[] {input}, v == null ? null : new Tensor[] {v}, false, false);
  }

  /**
   * {@code torch.autograd.functional.vjp}: the products of the vectors {@code v} (one per output,
   * its shape; null for one-element outputs) with the Jacobian of {@code f} at {@code inputs}.
   */
  public static Product vjp(Function<Tensor[], Tensor[]> f, Tensor[] inputs, Tensor[] v, boolean createGraph, boolean strict) {
    try (GradMode.Scope s = GradMode.scope(true)) {
      Tensor[] in = prepareInputs("vjp", inputs, createGraph);
      Tensor[] out = call("vjp", f, in);
      Tensor[] vs = vectors("vjp", "v", out, v, true);
      Tensor[] grads = gradOrNull(out, in, vs, createGraph);
      return new Product(finish(out, createGraph), fill("vjp", grads, in, strict, createGraph));
    }
  }

  /** {@code J·v} for a one-input, one-output function; {@code v} may be null for a one-element input. */
  public static Product jvp(Function<Tensor, Tensor> f, Tensor input, Tensor v) {
    return jvp(in -> new Tensor[] {f.apply(in[0])}, new Tensor[] {input}, v == null ? null : new Tensor[] {v}, false, false);
  }

  /**
   * {@code torch.autograd.functional.jvp}: the product of the Jacobian of {@code f} at {@code
   * inputs} with the vectors {@code v} (one per input), by double backward: the vjp with a dummy
   * vector u is linear in u, and differentiating it with respect to u at v gives J·v.
   */
  public static Product jvp(Function<Tensor[], Tensor[]> f, Tensor[] inputs, Tensor[] v, boolean createGraph, boolean strict) {
    try (GradMode.Scope s = GradMode.scope(true)) {
      Tensor[] in = prepareInputs("jvp", inputs, createGraph);
      Tensor[] vs = vectors("jvp", "v", in, v, false);
      Tensor[] out = call("jvp", f, in);
      Tensor[] dummies = new Tensor[out.length];
      for (int i = 0; i < out.length; i++) dummies[i] = Tensor.zerosLike(out[i].detach()).requiresGrad_();
      Tensor[] gradInputs = gradOrNull(out, in, dummies, true);
      List<Tensor> linear = new ArrayList<>();
      List<Tensor> along = new ArrayList<>();
      for (int i = 0; i < in.length; i++) {
        if (gradInputs[i] == null || !gradInputs[i].requiresGrad()) continue;
        linear.add(gradInputs[i]);
        along.add(vs[i]);
      }
      Tensor[] jv = linear.isEmpty()
          ? new Tensor[out.length]
          : Autograd.grad(linear.toArray(new Tensor[0]), dummies, along.toArray(new Tensor[0]), createGraph, createGraph, true);
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
   * {@code torch.autograd.functional.jacobian}: {@code J[i][j]} is d output i / d input j, of
   * shape {@code outputs[i].shape + inputs[j].shape}; one reverse pass per output element.
   */
  public static Tensor[][] jacobian(Function<Tensor[], Tensor[]> f, Tensor[] inputs, boolean createGraph, boolean strict) {
    try (GradMode.Scope s = GradMode.scope(true)) {
      Tensor[] in = prepareInputs("jacobian", inputs, createGraph);
      Tensor[] out = call("jacobian", f, in);
      return jacobianOf(out, in, createGraph, strict);
    }
  }

  /** The Hessian of a one-input function with a one-element output: shape {@code in.shape + in.shape}. */
  public static Tensor hessian(Function<Tensor, Tensor> f, Tensor input) {
    return hessian(in -> f.apply(in[0]), new Tensor[] {input}, false, false)[0][0];
  }

  /**
   * {@code torch.autograd.functional.hessian}: {@code H[i][j]} is d² f / d input i d input j for a
   * function with a one-element output, the Jacobian of its gradient.
   */
  public static Tensor[][] hessian(Function<Tensor[], Tensor> f, Tensor[] inputs, boolean createGraph, boolean strict) {
    try (GradMode.Scope s = GradMode.scope(true)) {
      Tensor[] in = prepareInputs("hessian", inputs, createGraph);
      Tensor out = requireScalar("hessian", call("hessian", x -> new Tensor[] {f.apply(x)}, in)[0]);
      Tensor[] grads = fill("hessian", gradOrNull(new Tensor[] {out}, in, null, true), in, strict, true);
      return jacobianOf(grads, in, createGraph, strict);
    }
  }

  /** {@code vᵀ·H} for a one-input function with a one-element output. */
  public static Product vhp(Function<Tensor, Tensor> f, Tensor input, Tensor v) {
    return vhp(in -> f.apply(in[0]), new Tensor[] {input}, new Tensor[] {v}, false, false);
  }

  /** {@code torch.autograd.functional.vhp}: the vector-Hessian product {@code vᵀ·H} and the function's value. */
  public static Product vhp(Function<Tensor[], Tensor> f, Tensor[] inputs, Tensor[] v, boolean createGraph, boolean strict) {
    try (GradMode.Scope s = GradMode.scope(true)) {
      Tensor[] in = prepareInputs("vhp", inputs, createGraph);
      Tensor[] vs = vectors("vhp", "v", in, v, false);
      Tensor out = requireScalar("vhp", call("vhp", x -> new Tensor[] {f.apply(x)}, in)[0]);
      Tensor[] grads = gradOrNull(new Tensor[] {out}, in, null, true);
      Tensor[] used = nonNull(grads);
      Tensor[] vhp = used.length == 0 ? new Tensor[in.length] : gradOrNull(used, in, pick(vs, grads), createGraph);
      return new Product(finish(new Tensor[] {out}, createGraph), fill("vhp", vhp, in, strict, createGraph));
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
  public static Product hvp(Function<Tensor[], Tensor> f, Tensor[] inputs, Tensor[] v, boolean createGraph, boolean strict) {
    try (GradMode.Scope s = GradMode.scope(true)) {
      Tensor[] in = prepareInputs("hvp", inputs, createGraph);
      Tensor[] vs = vectors("hvp", "v", in, v, false);
      Tensor out = requireScalar("hvp", call("hvp", x -> new Tensor[] {f.apply(x)}, in)[0]);
      Tensor[] grads = gradOrNull(new Tensor[] {out}, in, null, true);
      Tensor[] dummies = new Tensor[in.length];
      for (int i = 0; i < in.length; i++) dummies[i] = Tensor.zerosLike(in[i].detach()).requiresGrad_();
      Tensor[] used = nonNull(grads);
      Tensor[] vhpDummy = used.length == 0 ? new Tensor[in.length] : gradOrNull(used, in, pick(dummies, grads), true);
      List<Tensor> linear = new ArrayList<>(), along = new ArrayList<>();
      for (int i = 0; i < in.length; i++) {
        if (vhpDummy[i] == null || !vhpDummy[i].requiresGrad()) continue;
        linear.add(vhpDummy[i]);
        along.add(vs[i]);
      }
      Tensor[] hvp = linear.isEmpty()
          ? new Tensor[in.length]
          : Autograd.grad(linear.toArray(new Tensor[0]), pick(dummies, grads), along.toArray(new Tensor[0]), createGraph, createGraph, true);
      Tensor[] full = new Tensor[in.length];
      for (int i = 0, k = 0; i < in.length; i++) if (grads[i] != null) full[i] = hvp[k++];
      return new Product(finish(new Tensor[] {out}, createGraph), fill("hvp", full, in, strict, createGraph));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The shared steps

  // every element of every output, one reverse pass each, rows stacked into out.shape + in.shape
  private static Tensor[][] jacobianOf(Tensor[] out, Tensor[] in, boolean createGraph, boolean strict) {
    Tensor[][] jac = new Tensor[out.length][in.length];
    for (int i = 0; i < out.length; i++) {
      Tensor flat = out[i].reshape(-1);
      int n = flat.numel();
      Tensor[][] rows = new Tensor[in.length][n];
      for (int e = 0; e < n; e++) {
        Tensor[] g = flat.requiresGrad()
            ? Autograd.grad(new Tensor[] {flat.select(0, e)}, in, null, true, createGraph, true)
            : new Tensor[in.length];
        for (int j = 0; j < in.length; j++) {
          if (g[j] == null && strict) throw independent("jacobian", "output " + i, j);
          rows[j][e] = g[j] != null ? g[j] : Tensor.zerosLike(in[j].detach());
        }
      }
      for (int j = 0; j < in.length; j++) {
        int[] shape = concat(out[i].shape(), in[j].shape());
        Tensor stacked = n == 0 ? Tensor.zeros(in[j].dtype(), shape) : Tensor.stack(0, rows[j]).reshape(shape);
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
        throw new IllegalArgumentException(fn + ": input " + i + " has dtype " + t.dtype().torchName() + "; only floating-point inputs can be differentiated");
      }
      out[i] = createGraph && t.requiresGrad() ? t.reshape(t.shape()) : t.detach().requiresGrad_();
    }
    return out;
  }

  private static Tensor[] call(String fn, Function<Tensor[], Tensor[]> f, Tensor[] in) {
    Tensor[] out = Objects.requireNonNull(f, fn + ": the function is null").apply(in);
    if (out == null || out.length == 0) throw new IllegalArgumentException(fn + ": the function returned no tensor");
    for (int i = 0; i < out.length; i++) {
      if (out[i] == null) throw new IllegalArgumentException(fn + ": output " + i + " of the function is null");
    }
    return out;
  }

  // one vector per tensor of `like` with its shape; null allowed only where `like` has one element
  private static Tensor[] vectors(String fn, String name, Tensor[] like, Tensor[] v, boolean forOutputs) {
    String what = forOutputs ? "output" : "input";
    if (v != null && v.length != like.length) {
      throw new IllegalArgumentException(fn + ": " + name + " has " + v.length + " tensors but the function has " + like.length + " " + what + "s");
    }
    Tensor[] out = new Tensor[like.length];
    for (int i = 0; i < like.length; i++) {
      Tensor vi = v == null ? null : v[i];
      if (vi == null) {
        if (like[i].numel() != 1) {
          throw new IllegalArgumentException(fn + ": " + name + " can be omitted only for one-element " + what + "s; " + what + " " + i + " has shape "
              + Arrays.toString(like[i].shape()));
        }
        vi = Tensor.onesLike(like[i].detach());
      } else if (!Arrays.equals(vi.shape(), like[i].shape())) {
        throw new IllegalArgumentException(fn + ": " + name + " " + i + " has shape " + Arrays.toString(vi.shape()) + " but " + what + " " + i
            + " has shape " + Arrays.toString(like[i].shape()) + "; they must match");
      }
      out[i] = vi;
    }
    return out;
  }

  // gradients of the outputs that require grad (an output that does not gives no gradient)
  private static Tensor[] gradOrNull(Tensor[] out, Tensor[] in, Tensor[] gradOutputs, boolean createGraph) {
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

  private static Tensor[] fill(String fn, Tensor[] results, Tensor[] like, boolean strict, boolean createGraph) {
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
      throw new IllegalArgumentException(fn + ": the function must return a one-element tensor, got shape " + Arrays.toString(out.shape()));
    }
    return out;
  }

  private static IllegalStateException independent(String fn, String what, int input) {
    return new IllegalStateException(fn + ": the " + what + " of the user-provided function is independent of input " + input
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
