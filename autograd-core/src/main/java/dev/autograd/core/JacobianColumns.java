package dev.autograd.core;

import dev.autograd.core.engine.Forward;
import java.util.Arrays;
import java.util.function.Function;

/**
 * The Jacobian loops of {@link AutogradFunctional}'s forward-mode and functorch-style transforms:
 * one forward-mode pass per input element (a column), and a reverse-mode Jacobian that keeps the
 * tangents of dual inputs (so that {@code jacfwd(jacrev(f))} is a forward-over-reverse Hessian).
 */
final class JacobianColumns {
  private JacobianColumns() {}

  /**
   * {@code J[i][k]} = d out i / d input {@code argnums[k]}, shape {@code out.shape + in.shape}, by
   * forward mode: for each element of each chosen input, one pass with a one-hot tangent.
   */
  static Tensor[][] forward(String fn, Function<Tensor[], Tensor[]> f, Tensor[] in, int[] argnums) {
    Tensor[][] jac = null;
    for (int k = 0; k < argnums.length; k++) {
      Tensor x = in[argnums[k]];
      int n = x.numel();
      Tensor[][] columns = null; // [output][element]
      Tensor[] shapes = null;
      for (int e = 0; e < n; e++) {
        Tensor onehot = Tensor.zeros(x.dtype(), n);
        try (GradMode.Scope s = GradMode.scope(false)) {
          onehot.select(0, e).fill_(1);
        }
        Tensor[] outs;
        Tensor[] tangents;
        try (DualLevel level = Autograd.dualLevel()) {
          Tensor[] args = in.clone();
          args[argnums[k]] = Autograd.makeDual(x, onehot.reshape(x.shape()));
          outs = call(fn, f, args);
          tangents = new Tensor[outs.length];
          for (int i = 0; i < outs.length; i++)
            tangents[i] = Autograd.unpackDual(outs[i]).tangent();
        }
        if (columns == null) {
          columns = new Tensor[outs.length][n];
          shapes = outs;
          if (jac == null) jac = new Tensor[outs.length][argnums.length];
        }
        for (int i = 0; i < outs.length; i++) {
          Tensor t = tangents[i];
          columns[i][e] = t == null ? Tensor.zeros(outs[i].dtype(), outs[i].shape()) : t.detach();
        }
      }
      if (columns == null) { // an empty input: run once for the output shapes
        Tensor[] outs = call(fn, f, in);
        if (jac == null) jac = new Tensor[outs.length][argnums.length];
        for (int i = 0; i < outs.length; i++)
          jac[i][k] = Tensor.zeros(outs[i].dtype(), concat(outs[i].shape(), x.shape()));
        continue;
      }
      for (int i = 0; i < columns.length; i++) {
        int[] shape = concat(shapes[i].shape(), x.shape());
        jac[i][k] = Tensor.stack(-1, columns[i]).reshape(shape).detach();
      }
    }
    return jac;
  }

  /**
   * {@code J[i][k]} by reverse mode (one backward pass per output element). Inputs with tangents
   * (inside a forward-mode pass) keep them: the backward passes run on dual leaves, so the returned
   * Jacobians carry their own tangents.
   */
  static Tensor[][] reverse(String fn, Function<Tensor[], Tensor[]> f, Tensor[] in, int[] argnums) {
    boolean dual = Forward.anyTangent(in);
    try (GradMode.Scope s = GradMode.scope(true)) {
      Tensor[] args = in.clone();
      Tensor[] leaves = new Tensor[argnums.length];
      for (int k = 0; k < argnums.length; k++) {
        Tensor x = in[argnums[k]];
        Tensor tangent = Forward.tangent(x);
        leaves[k] = x.detach().requiresGrad_();
        args[argnums[k]] = tangent == null ? leaves[k] : Autograd.makeDual(leaves[k], tangent);
      }
      Tensor[] outs = call(fn, f, args);
      Tensor[][] jac = new Tensor[outs.length][argnums.length];
      for (int i = 0; i < outs.length; i++) {
        Tensor flat = outs[i].reshape(-1);
        int n = flat.numel();
        Tensor[][] rows = new Tensor[argnums.length][n];
        for (int e = 0; e < n; e++) {
          Tensor[] g =
              flat.requiresGrad()
                  ? Autograd.grad(new Tensor[] {flat.select(0, e)}, leaves, null, true, dual, true)
                  : new Tensor[argnums.length];
          for (int k = 0; k < argnums.length; k++)
            rows[k][e] = g[k] != null ? g[k] : Tensor.zerosLike(leaves[k].detach());
        }
        for (int k = 0; k < argnums.length; k++) {
          int[] shape = concat(outs[i].shape(), leaves[k].shape());
          Tensor stacked =
              n == 0
                  ? Tensor.zeros(leaves[k].dtype(), shape)
                  : Tensor.stack(0, rows[k]).reshape(shape);
          jac[i][k] = keepTangent(stacked);
        }
      }
      return jac;
    }
  }

  // detached from the reverse graph, but still dual when it has a tangent
  private static Tensor keepTangent(Tensor t) {
    Tensor tangent = Forward.tangent(t);
    return tangent == null ? t.detach() : Autograd.makeDual(t.detach(), tangent.detach());
  }

  /** The argument positions, checked ({@code argnums} of functorch; empty means input 0). */
  static int[] argnums(String fn, int[] argnums, int inputs) {
    int[] a = argnums == null || argnums.length == 0 ? new int[] {0} : argnums.clone();
    boolean[] seen = new boolean[inputs];
    for (int i = 0; i < a.length; i++) {
      if (a[i] < -inputs || a[i] >= inputs) {
        throw new IllegalArgumentException(
            fn
                + ": Got argnums="
                + Arrays.toString(argnums)
                + " but only "
                + inputs
                + " positional inputs");
      }
      if (a[i] < 0) a[i] += inputs;
      if (seen[a[i]])
        throw new IllegalArgumentException(
            fn + ": argnums " + Arrays.toString(argnums) + " contains duplicates");
      seen[a[i]] = true;
    }
    return a;
  }

  static Tensor[] call(String fn, Function<Tensor[], Tensor[]> f, Tensor[] in) {
    Tensor[] out = f.apply(in);
    if (out == null || out.length == 0)
      throw new IllegalArgumentException(fn + ": the function returned no tensor");
    for (int i = 0; i < out.length; i++) {
      if (out[i] == null)
        throw new IllegalArgumentException(fn + ": output " + i + " of the function is null");
    }
    return out;
  }

  static int[] concat(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
