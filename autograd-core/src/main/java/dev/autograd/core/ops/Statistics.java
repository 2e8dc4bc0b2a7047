package dev.autograd.core.ops;

import dev.autograd.core.DType;
import dev.autograd.core.GradMode;
import dev.autograd.core.Tensor;
import dev.autograd.core.engine.Graph;
import dev.autograd.core.tensor.Shapes;
import dev.autograd.core.tensor.Storage;

/**
 * Reductions beyond sum and mean: max/min (with indices), amax/amin, argmax/argmin, logsumexp,
 * var/std, norm, prod and cumsum. Each forward runs without history; each derivative is a
 * differentiable tensor expression, so second derivatives work.
 */
public final class Statistics {
  private Statistics() {}

  /** One reduced row per output element: values of the row are {@code get(off + j)}. */
  private interface RowReducer {
    double reduce(Storage s, int off, int n);
  }

  /** Applies {@code r} to every row of reduced elements; the result has x's float dtype. */
  private static Tensor reduceRows(Tensor x, boolean[] reduced, boolean keepDim, DType dt, RowReducer r) {
    Tensor y = Tensor.empty(dt, Reductions.reducedShape(x.shapeRef(), reduced, keepDim));
    int outer = y.numel();
    if (outer == 0) return y;
    int inner = Reductions.reducedCount(x.shapeRef(), reduced);
    Tensor rows = Reductions.rowsForReduction(x, reduced);
    Storage s = rows.storage(), out = y.storage();
    int off = rows.storageOffset();
    for (int i = 0; i < outer; i++) out.set(i, r.reduce(s, off + i * inner, inner));
    return y;
  }

  private static void requireNonEmpty(Tensor x, boolean[] reduced, String op) {
    if (Reductions.reducedCount(x.shapeRef(), reduced) == 0) {
      throw new IllegalArgumentException(
          op + "(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.");
    }
  }

  private static boolean[] oneDim(Tensor x, int dim) {
    boolean[] r = new boolean[x.dim()];
    if (x.dim() > 0) r[Shapes.normalizeDim(dim, x.dim())] = true;
    else Shapes.normalizeDim(dim, 0);
    return r;
  }

  // index of the largest (or smallest) element of a row; NaN wins, the first of ties wins
  private static int argExtreme(Storage s, int off, int n, boolean largest) {
    int best = 0;
    double bv = s.get(off);
    for (int j = 1; j < n && !Double.isNaN(bv); j++) {
      double v = s.get(off + j);
      if (Double.isNaN(v) || (largest ? v > bv : v < bv)) {
        best = j;
        bv = v;
      }
    }
    return best;
  }

  /** Indices (INT64) of the extreme element along {@code dim}; no gradient. */
  public static Tensor argExtreme(Tensor x, Integer dim, boolean keepDim, boolean largest) {
    Tensor src = dim == null ? x.detach().reshape(-1) : x.detach();
    boolean[] reduced = dim == null ? new boolean[] {true} : oneDim(x, dim);
    requireNonEmpty(src, reduced, largest ? "argmax" : "argmin");
    Tensor idx = reduceRows(src, reduced, keepDim && dim != null, DType.INT64, (s, o, n) -> argExtreme(s, o, n, largest));
    return dim == null && keepDim ? idx.reshape(ones(x.dim())) : idx;
  }

  private static int[] ones(int rank) {
    int[] s = new int[rank];
    java.util.Arrays.fill(s, 1);
    return s;
  }

  /** {@code max(dim)} / {@code min(dim)}: values and INT64 indices; gradient g scattered to the index. */
  public static Tensor[] extremeDim(Tensor x, int dim, boolean keepDim, boolean largest) {
    boolean[] reduced = oneDim(x, dim);
    requireNonEmpty(x, reduced, largest ? "max" : "min");
    Tensor idx = reduceRows(x, reduced, keepDim, DType.INT64, (s, o, n) -> argExtreme(s, o, n, largest));
    Tensor idxKeep = keepDim ? idx : idx.reshape(Reductions.reducedShape(x.shapeRef(), reduced, true));
    int d = x.dim() == 0 ? 0 : Shapes.normalizeDim(dim, x.dim());
    Tensor values;
    try (GradMode.Scope s = GradMode.scope(false)) {
      values = x.dim() == 0 ? x.clone() : x.gather(d, idxKeep);
      if (!keepDim && x.dim() > 0) values = values.squeeze(d);
    }
    int[] in = x.shapeRef();
    int[] kept = Reductions.reducedShape(in, reduced, true);
    boolean scalar = x.dim() == 0;
    // d max_d(x) = g at the arg index, 0 elsewhere
    values = Graph.record(largest ? "MaxBackward0" : "MinBackward0", values, new Tensor[] {x}, new Tensor[] {idxKeep},
        (g, n) -> new Tensor[] {scalar ? g : Tensor.zeros(g.dtype(), in).scatterAdd(d, n.saved(0), g.reshape(kept))});
    return new Tensor[] {values, idx};
  }

  private static double extremeOfRow(Storage s, int off, int n, boolean largest) {
    return s.get(off + argExtreme(s, off, n, largest));
  }

  /** amax/amin over {@code dims} (all when null); gradient split evenly among tied extremes. */
  public static Tensor amax(Tensor x, int[] dims, boolean keepDim, boolean largest, String name) {
    boolean[] reduced = Reductions.reducedDims(x, dims);
    requireNonEmpty(x, reduced, largest ? "amax" : "amin");
    Tensor y = reduceRows(x, reduced, keepDim, x.dtype(), (s, o, n) -> extremeOfRow(s, o, n, largest));
    int[] kept = Reductions.reducedShape(x.shapeRef(), reduced, true);
    int[] keptDims = reducedIndices(reduced);
    // d amax = g * [x == y] / #ties
    return Graph.record(name, y, new Tensor[] {x}, new Tensor[] {x, y}, (g, n) -> {
      Tensor mask = n.saved(0).eq(n.saved(1).reshape(kept)).to(g.dtype());
      Tensor count = mask.sum(keptDims, true);
      return new Tensor[] {g.reshape(kept).mul(mask.div(count))};
    });
  }

  private static int[] reducedIndices(boolean[] reduced) {
    int k = 0;
    for (boolean b : reduced) if (b) k++;
    int[] out = new int[k];
    k = 0;
    for (int d = 0; d < reduced.length; d++) if (reduced[d]) out[k++] = d;
    return out;
  }

  /** log(sum(exp(x))) over {@code dims}, computed stably; gradient g * exp(x - y). */
  public static Tensor logsumexp(Tensor x, int[] dims, boolean keepDim) {
    Creation.requireFloating(x.dtype(), "logsumexp");
    boolean[] reduced = Reductions.reducedDims(x, dims);
    int[] rd = reducedIndices(reduced);
    int[] kept = Reductions.reducedShape(x.shapeRef(), reduced, true);
    Tensor y;
    try (GradMode.Scope s = GradMode.scope(false)) {
      // NOTE: subtract the row max (0 where it is infinite) so exp never overflows
      Tensor m = x.numel() == 0 ? Tensor.zeros(x.dtype(), kept) : x.amax(rd, true);
      m = m.maskedFill(m.abs().eq(Double.POSITIVE_INFINITY), 0);
      y = x.sub(m).exp().sum(rd, true).log().add(m);
      if (!keepDim) y = y.reshape(Reductions.reducedShape(x.shapeRef(), reduced, false));
      y = y.contiguous();
    }
    return Graph.record("LogsumexpBackward0", y, new Tensor[] {x}, new Tensor[] {x, y},
        (g, n) -> new Tensor[] {g.reshape(kept).mul(n.saved(0).sub(n.saved(1).reshape(kept)).exp())});
  }

  /** What var and std share: the reduced dims, the keep-dim shape and Bessel's divisor N - c. */
  private static final class Spread {
    final int[] dims;
    final int[] kept;
    final double denom;

    Spread(Tensor x, int[] dims, boolean unbiased, String op) {
      Creation.requireFloating(x.dtype(), op);
      boolean[] reduced = Reductions.reducedDims(x, dims);
      this.dims = reducedIndices(reduced);
      this.kept = Reductions.reducedShape(x.shapeRef(), reduced, true);
      this.denom = Math.max(0, Reductions.reducedCount(x.shapeRef(), reduced) - (unbiased ? 1 : 0));
    }

    /** sum((x - mean)^2) / (N - c), without history. */
    Tensor variance(Tensor x, boolean keepDim) {
      try (GradMode.Scope s = GradMode.scope(false)) {
        return x.sub(x.mean(dims, true)).square().sum(dims, keepDim).div(denom);
      }
    }

    /** x - mean over the reduced dims (differentiable: derivatives use it). */
    Tensor centered(Tensor x) {
      return x.sub(x.mean(dims, true));
    }
  }

  /** Variance over {@code dims} with Bessel's correction when {@code unbiased}; gradient g * 2(x - mean)/(N - c). */
  public static Tensor var(Tensor x, int[] dims, boolean unbiased, boolean keepDim) {
    Spread sp = new Spread(x, dims, unbiased, "var");
    Tensor y = sp.variance(x, keepDim);
    return Graph.record("VarBackward0", y, new Tensor[] {x}, new Tensor[] {x},
        (g, n) -> new Tensor[] {g.reshape(sp.kept).mul(sp.centered(n.saved(0))).mul(2 / sp.denom)});
  }

  /** Standard deviation, sqrt(var); gradient g * (x - mean) / ((N - c) * y). */
  public static Tensor std(Tensor x, int[] dims, boolean unbiased, boolean keepDim) {
    Spread sp = new Spread(x, dims, unbiased, "std");
    Tensor y;
    try (GradMode.Scope s = GradMode.scope(false)) {
      y = sp.variance(x, keepDim).sqrt();
    }
    return Graph.record("StdBackward0", y, new Tensor[] {x}, new Tensor[] {x, y},
        (g, n) -> new Tensor[] {g.reshape(sp.kept).mul(sp.centered(n.saved(0))).div(n.saved(1).reshape(sp.kept).mul(sp.denom))});
  }

  /**
   * The vector p-norm over {@code dims} (all when null): (sum |x|^p)^(1/p), or max |x| for p = inf.
   * Gradient g * sign(x) |x|^(p-1) / y^(p-1), and 0 where y = 0 (as PyTorch masks it).
   */
  public static Tensor norm(Tensor x, double p, int[] dims, boolean keepDim) {
    Creation.requireFloating(x.dtype(), "norm");
    if (!(p >= 1)) throw new IllegalArgumentException("norm: only p >= 1 (or inf) is supported, got p = " + p);
    boolean[] reduced = Reductions.reducedDims(x, dims);
    int[] rd = reducedIndices(reduced);
    int[] kept = Reductions.reducedShape(x.shapeRef(), reduced, true);
    Tensor y;
    try (GradMode.Scope s = GradMode.scope(false)) {
      Tensor a = x.abs();
      if (Double.isInfinite(p)) y = x.numel() == 0 ? a.sum(rd, keepDim) : a.amax(rd, keepDim);
      else if (p == 2) y = a.square().sum(rd, keepDim).sqrt();
      else if (p == 1) y = a.sum(rd, keepDim);
      else y = a.pow(p).sum(rd, keepDim).pow(1 / p);
      y = y.contiguous();
    }
    return Graph.record("LinalgVectorNormBackward0", y, new Tensor[] {x}, new Tensor[] {x, y}, (g, n) -> {
      Tensor xs = n.saved(0), yk = n.saved(1).reshape(kept);
      Tensor gk = g.reshape(kept);
      Tensor scale;
      if (Double.isInfinite(p)) { // split evenly among the elements reaching the max
        Tensor mask = xs.abs().eq(yk).to(g.dtype());
        scale = xs.sign().mul(mask).div(mask.sum(rd, true));
      } else if (p == 2) {
        scale = xs.div(yk); // d ||x|| = x / ||x||
      } else if (p == 1) {
        scale = xs.sign();
      } else {
        scale = xs.sign().mul(xs.abs().pow(p - 1)).div(yk.pow(p - 1));
      }
      return new Tensor[] {gk.mul(scale).maskedFill(yk.eq(0), 0)};
    });
  }

  /** Product over all elements (dim null) or along {@code dim}; exact gradient also with zeros. */
  public static Tensor prod(Tensor x, Integer dim, boolean keepDim) {
    boolean[] reduced = dim == null ? Reductions.reducedDims(x, null) : oneDim(x, dim);
    DType dt = x.dtype().isFloatingPoint() ? x.dtype() : DType.INT64;
    Tensor y = reduceRows(x, reduced, keepDim, dt, (s, o, n) -> {
      double p = 1;
      for (int j = 0; j < n; j++) p *= s.get(o + j);
      return p;
    });
    int[] in = x.shapeRef();
    int[] kept = Reductions.reducedShape(in, reduced, true);
    return Graph.record(dim == null ? "ProdBackward0" : "ProdBackward1", y, new Tensor[] {x}, new Tensor[] {x, y}, (g, n) -> {
      Tensor xs = n.saved(0);
      Tensor gk = g.reshape(kept);
      boolean hasZero;
      try (GradMode.Scope s = GradMode.scope(false)) {
        hasZero = xs.eq(0).sum().item() > 0;
      }
      // d prod = prod / x_i when nothing is zero; otherwise the product of the other elements
      if (!hasZero) return new Tensor[] {gk.mul(n.saved(1).reshape(kept)).div(xs)};
      if (dim == null || x.dim() == 0) return new Tensor[] {gk.mul(productOfOthers(xs.reshape(-1), 0).reshape(in))};
      return new Tensor[] {gk.mul(productOfOthers(xs, Shapes.normalizeDim(dim, x.dim())))};
    });
  }

  // out_i = prod_{j != i} x_j along d, built as prod over j of where(i == j, 1, x_j) (O(n^2), exact)
  private static Tensor productOfOthers(Tensor x, int d) {
    int n = x.shapeRef()[d];
    int[] big = new int[x.dim() + 1];
    for (int k = 0, s = 0; k < big.length; k++) big[k] = k == d ? n : x.shapeRef()[s++];
    Tensor xe = x.unsqueeze(d).expand(big);
    int[] eyeShape = new int[big.length];
    java.util.Arrays.fill(eyeShape, 1);
    eyeShape[d] = n;
    eyeShape[d + 1] = n;
    Tensor diag = Tensor.eye(n, n, DType.BOOL).reshape(eyeShape);
    return Tensor.where(diag, Tensor.scalar(1, x.dtype()), xe).prod(d + 1, false);
  }

  /** Running sum along {@code dim}; gradient: the reversed running sum of g. */
  public static Tensor cumsum(Tensor x, int dim) {
    if (x.dim() == 0) return Movement.clone(x);
    int d = Shapes.normalizeDim(dim, x.dim());
    DType dt = x.dtype().isFloatingPoint() ? x.dtype() : DType.INT64;
    Tensor y = Tensor.empty(dt, x.shapeRef());
    int size = x.shapeRef()[d];
    Storage s = x.storage(), out = y.storage();
    int xs = x.strideRef()[d], ys = y.strideRef()[d];
    // walk every line along d: its start offsets in x and y
    int[] lineShape = x.shape();
    lineShape[d] = 1;
    int[][] strides = {x.strideRef(), y.strideRef()};
    dev.autograd.core.tensor.StridedLoop.forEachRow(lineShape, strides, new int[] {x.storageOffset(), 0}, (o, inner, len) -> {
      for (int i = 0; i < len; i++) {
        int xo = o[0] + i * inner[0], yo = o[1] + i * inner[1];
        double acc = 0;
        for (int j = 0; j < size; j++) {
          acc += s.get(xo + j * xs);
          out.set(yo + j * ys, acc);
        }
      }
    });
    return Graph.record("CumsumBackward0", y, new Tensor[] {x}, null,
        (g, n) -> new Tensor[] {g.flip(d).cumsum(d).flip(d)});
  }
}
