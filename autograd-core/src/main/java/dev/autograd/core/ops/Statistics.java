package dev.autograd.core.ops;

import dev.autograd.core.DType;
import dev.autograd.core.GradMode;
import dev.autograd.core.Tensor;
import dev.autograd.core.internal.Tensors;
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
  private static Tensor reduceRows(
      Tensor x, boolean[] reduced, boolean keepDim, DType dt, RowReducer r) {
    Tensor y = Creation.zeros(dt, Reductions.reducedShape(x.shapeRef(), reduced, keepDim));
    int outer = y.numel();
    if (outer == 0) return y;
    int inner = Reductions.reducedCount(x.shapeRef(), reduced);
    Tensor rows = Reductions.rowsForReduction(x, reduced);
    Storage s = Tensors.storage(rows), out = Tensors.storage(y);
    int off = rows.storageOffset();
    for (int i = 0; i < outer; i++) out.set(i, r.reduce(s, off + i * inner, inner));
    return y;
  }

  private static void requireNonEmpty(Tensor x, boolean[] reduced, String op) {
    if (Reductions.reducedCount(x.shapeRef(), reduced) == 0) {
      throw new IllegalArgumentException(
          op
              + "(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.");
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

  /**
   * argmax/argmin's attributes: the dim (null: over all elements, flattened), keepDim, which
   * extreme.
   */
  public record Arg(Integer dim, boolean keepDim, boolean largest) {}

  // INT64 indices of the extreme element (NaN wins, the first of ties wins); no derivative
  public static final OpDef<Arg> ARG_EXTREME =
      OpDef.<Arg>op("argmax")
          .nondifferentiable()
          .compute(
              (in, a) -> {
                Tensor x = in[0];
                Tensor src = a.dim() == null ? x.reshape(-1) : x;
                boolean[] reduced = a.dim() == null ? new boolean[] {true} : oneDim(x, a.dim());
                Tensor idx =
                    reduceRows(
                        src,
                        reduced,
                        a.keepDim() && a.dim() != null,
                        DType.INT64,
                        (s, o, n) -> argExtreme(s, o, n, a.largest()));
                return a.dim() == null && a.keepDim() ? idx.reshape(ones(x.dim())) : idx;
              })
          .build();

  /** Indices (INT64) of the extreme element along {@code dim}; no gradient. */
  public static Tensor argExtreme(Tensor x, Integer dim, boolean keepDim, boolean largest) {
    boolean[] reduced = dim == null ? new boolean[] {true} : oneDim(x, dim);
    requireNonEmpty(dim == null ? x.reshape(-1) : x, reduced, largest ? "argmax" : "argmin");
    return ARG_EXTREME.call(new Arg(dim, keepDim, largest), x.detach());
  }

  private static int[] ones(int rank) {
    int[] s = new int[rank];
    java.util.Arrays.fill(s, 1);
    return s;
  }

  // ===============================================================================================
  // Entries. max/min along a dim: the values at indices computed first (input 1, kept dims);
  // d max_d(x) = g at the arg index, 0 elsewhere
  // ===============================================================================================

  /** The reduced dim (normalized) and whether it stays as size 1. */
  public record Dim(int dim, boolean keepDim) {}

  public static final OpDef<Dim> MAX_DIM = extremeDimEntry("MaxBackward0");
  public static final OpDef<Dim> MIN_DIM = extremeDimEntry("MinBackward0");

  private static OpDef<Dim> extremeDimEntry(String nodeName) {
    return OpDef.<Dim>op(nodeName)
        .constantInputs(1)
        .compute(
            (in, a) -> {
              if (in[0].dim() == 0) return in[0].clone();
              Tensor values = in[0].gather(a.dim(), in[1]);
              return a.keepDim() ? values : values.squeeze(a.dim());
            })
        .saves((in, y, a) -> new Tensor[] {in[1]})
        .derivative(
            (g, n, a) -> {
              int[] in = n.inputShape(0);
              if (in.length == 0) return new Tensor[] {g, null};
              int[] kept = in.clone();
              kept[a.dim()] = 1;
              Tensor gk = g.reshape(kept);
              return new Tensor[] {
                Tensor.zeros(g.dtype(), in).scatterAdd(a.dim(), n.saved(0), gk), null
              };
            })
        .linearTangent() // the tangent gathered at the arg indices
        .build();
  }

  /** {@code max(dim)} / {@code min(dim)}: values and INT64 indices. */
  public static Tensor[] extremeDim(Tensor x, int dim, boolean keepDim, boolean largest) {
    boolean[] reduced = oneDim(x, dim);
    requireNonEmpty(x, reduced, largest ? "max" : "min");
    Tensor idx = ARG_EXTREME.call(new Arg(dim, keepDim, largest), x.detach());
    Tensor idxKeep =
        keepDim ? idx : idx.reshape(Reductions.reducedShape(x.shapeRef(), reduced, true));
    int d = x.dim() == 0 ? 0 : Shapes.normalizeDim(dim, x.dim());
    return new Tensor[] {(largest ? MAX_DIM : MIN_DIM).call(new Dim(d, keepDim), x, idxKeep), idx};
  }

  private static double extremeOfRow(Storage s, int off, int n, boolean largest) {
    return s.get(off + argExtreme(s, off, n, largest));
  }

  /**
   * The extreme of every row of reduced elements into the contiguous {@code y} (a kernel, so a
   * compiled function replays it into a planned buffer).
   */
  private static void extremesInto(Tensor x, boolean[] reduced, boolean largest, Tensor y) {
    int outer = y.numel();
    if (outer == 0) return;
    int inner = Reductions.reducedCount(x.shapeRef(), reduced);
    Tensor rows = Reductions.rowsForReduction(x, reduced);
    Storage s = Tensors.storage(rows), out = Tensors.storage(y);
    int off = rows.storageOffset(), yOff = y.storageOffset();
    for (int i = 0; i < outer; i++)
      out.set(yOff + i, extremeOfRow(s, off + i * inner, inner, largest));
  }

  // amax/amin over dims (all when null); d amax = g * [x == y] / #ties (split evenly among tied
  // extremes; a NaN extreme matches nothing, so every element gets NaN, as PyTorch's amax does)
  public static final OpDef<Reductions.Dims> AMAX = amaxEntry("AmaxBackward0", true, false);
  public static final OpDef<Reductions.Dims> AMIN = amaxEntry("AminBackward0", false, false);

  /**
   * {@code max()} / {@code min()} of all elements: as amax, but a NaN result sends g to the NaN
   * elements (PyTorch).
   */
  public static final OpDef<Reductions.Dims> MAX_ALL = amaxEntry("MaxBackward1", true, true);

  public static final OpDef<Reductions.Dims> MIN_ALL = amaxEntry("MinBackward1", false, true);

  private static OpDef<Reductions.Dims> amaxEntry(
      String nodeName, boolean largest, boolean nanTies) {
    return OpDef.<Reductions.Dims>op(nodeName)
        .shape(
            (in, a) ->
                OpDef.OutSpec.of(
                    in[0].dtype(),
                    Reductions.reducedShape(
                        in[0].shapeRef(), Reductions.reducedDims(in[0], a.dims()), a.keepDim())))
        .kernel(
            (in, a, out) ->
                extremesInto(in[0], Reductions.reducedDims(in[0], a.dims()), largest, out))
        .saves((in, y, a) -> new Tensor[] {in[0], y})
        .derivative(
            (g, n, a) -> {
              boolean[] reduced = Reductions.reducedDims(n.inputShape(0), a.dims());
              int[] kept = Reductions.reducedShape(n.inputShape(0), reduced, true);
              Tensor x = n.saved(0), y = n.saved(1).reshape(kept);
              Tensor ties = x.eq(y);
              if (nanTies) ties = ties.logicalOr(x.ne(x).logicalAnd(y.ne(y)));
              Tensor mask = ties.to(g.dtype());
              Tensor count = mask.sum(reducedIndices(reduced), true);
              return new Tensor[] {g.reshape(kept).mul(mask.div(count))};
            })
        .tangent(
            (t, in, y, a) -> { // the mean of the tangent over the tied extremes
              boolean[] reduced = Reductions.reducedDims(in[0], a.dims());
              int[] kept = Reductions.reducedShape(in[0].shapeRef(), reduced, true);
              Tensor x = in[0], yk = y.reshape(kept);
              Tensor ties = x.eq(yk);
              if (nanTies) ties = ties.logicalOr(x.ne(x).logicalAnd(yk.ne(yk)));
              Tensor mask = ties.to(t[0].dtype());
              int[] rd = reducedIndices(reduced);
              return t[0].mul(mask).sum(rd, a.keepDim()).div(mask.sum(rd, a.keepDim()));
            })
        .build();
  }

  /** amax/amin (or max()/min() of all elements) through {@code entry}. */
  public static Tensor amax(Tensor x, int[] dims, boolean keepDim, OpDef<Reductions.Dims> entry) {
    boolean largest = entry == AMAX || entry == MAX_ALL;
    requireNonEmpty(x, Reductions.reducedDims(x, dims), largest ? "amax" : "amin");
    return entry.call(new Reductions.Dims(dims, keepDim), x);
  }

  private static int[] reducedIndices(boolean[] reduced) {
    int k = 0;
    for (boolean b : reduced) if (b) k++;
    int[] out = new int[k];
    k = 0;
    for (int d = 0; d < reduced.length; d++) if (reduced[d]) out[k++] = d;
    return out;
  }

  // log(sum(exp(x))) over dims, computed stably; d logsumexp = g * exp(x - y)
  public static final OpDef<Reductions.Dims> LOGSUMEXP =
      OpDef.<Reductions.Dims>op("LogsumexpBackward0")
          .compute(
              (in, a) -> {
                Tensor x = in[0];
                boolean[] reduced = Reductions.reducedDims(x, a.dims());
                int[] rd = reducedIndices(reduced);
                // NOTE: subtract the row max (0 where it is infinite) so exp never overflows
                Tensor m =
                    x.numel() == 0
                        ? Tensor.zeros(
                            x.dtype(), Reductions.reducedShape(x.shapeRef(), reduced, true))
                        : x.amax(rd, true);
                m = m.maskedFill(m.abs().eq(Double.POSITIVE_INFINITY), 0);
                Tensor y = x.sub(m).exp().sum(rd, true).log().add(m);
                if (!a.keepDim())
                  y = y.reshape(Reductions.reducedShape(x.shapeRef(), reduced, false));
                return y.contiguous();
              })
          .saves((in, y, a) -> new Tensor[] {in[0], y})
          .derivative(
              (g, n, a) -> {
                int[] kept =
                    Reductions.reducedShape(
                        n.inputShape(0), Reductions.reducedDims(n.inputShape(0), a.dims()), true);
                return new Tensor[] {
                  g.reshape(kept).mul(n.saved(0).sub(n.saved(1).reshape(kept)).exp())
                };
              })
          .tangent(
              (t, in, y, a) -> { // sum(t exp(x - y))
                boolean[] reduced = Reductions.reducedDims(in[0], a.dims());
                int[] kept = Reductions.reducedShape(in[0].shapeRef(), reduced, true);
                return t[0].mul(in[0].sub(y.reshape(kept)).exp())
                    .sum(reducedIndices(reduced), a.keepDim());
              })
          .build();

  public static Tensor logsumexp(Tensor x, int[] dims, boolean keepDim) {
    Creation.requireFloating(x.dtype(), "logsumexp");
    Reductions.reducedDims(x, dims);
    return LOGSUMEXP.call(new Reductions.Dims(dims, keepDim), x);
  }

  /** What var and std share: the reduced dims, the keep-dim shape and Bessel's divisor N - c. */
  private static final class Spread {
    final int[] dims;
    final int[] kept;
    final double denom;

    Spread(int[] shape, int[] dims, boolean unbiased) {
      boolean[] reduced = Reductions.reducedDims(shape, dims);
      this.dims = reducedIndices(reduced);
      this.kept = Reductions.reducedShape(shape, reduced, true);
      this.denom = Math.max(0, Reductions.reducedCount(shape, reduced) - (unbiased ? 1 : 0));
    }

    /** sum((x - mean)^2) / (N - c) (run without history by the entries' compute). */
    Tensor variance(Tensor x, boolean keepDim) {
      return x.sub(x.mean(dims, true)).square().sum(dims, keepDim).div(denom);
    }

    /** x - mean over the reduced dims (differentiable: derivatives use it). */
    Tensor centered(Tensor x) {
      return x.sub(x.mean(dims, true));
    }
  }

  /** var/std's attributes: dims (null: all), Bessel's correction, keepDim. */
  public record Spreading(int[] dims, boolean unbiased, boolean keepDim) {
    Spread spread(int[] shape) {
      return new Spread(shape, dims, unbiased);
    }
  }

  // d var = g * 2(x - mean)/(N - c)
  public static final OpDef<Spreading> VAR =
      OpDef.<Spreading>op("VarBackward0")
          .compute((in, a) -> a.spread(in[0].shapeRef()).variance(in[0], a.keepDim()))
          .saves((in, y, a) -> new Tensor[] {in[0]})
          .derivative(
              (g, n, a) -> {
                Spread sp = a.spread(n.inputShape(0));
                return new Tensor[] {
                  g.reshape(sp.kept).mul(sp.centered(n.saved(0))).mul(2 / sp.denom)
                };
              })
          .tangent(
              (t, in, y, a) -> { // sum(2 (x - mean) t) / (N - c)
                Spread sp = a.spread(in[0].shapeRef());
                return t[0].mul(sp.centered(in[0])).sum(sp.dims, a.keepDim()).mul(2 / sp.denom);
              })
          .build();

  // d std = g * (x - mean) / ((N - c) * y)
  public static final OpDef<Spreading> STD =
      OpDef.<Spreading>op("StdBackward0")
          .compute((in, a) -> a.spread(in[0].shapeRef()).variance(in[0], a.keepDim()).sqrt())
          .saves((in, y, a) -> new Tensor[] {in[0], y})
          .derivative(
              (g, n, a) -> {
                Spread sp = a.spread(n.inputShape(0));
                Tensor y = n.saved(1).reshape(sp.kept);
                // 0 where the std is 0 (constant values), as PyTorch's std_backward masks it, not
                // 0/0
                return new Tensor[] {
                  g.reshape(sp.kept)
                      .maskedFill(y.eq(0), 0)
                      .mul(sp.centered(n.saved(0)))
                      .div(y.mul(sp.denom).maskedFill(y.eq(0), 1))
                };
              })
          .tangent(
              (t, in, y, a) -> { // sum((x - mean) t) / ((N - c) y)
                Spread sp = a.spread(in[0].shapeRef());
                return t[0].mul(sp.centered(in[0])).sum(sp.dims, a.keepDim()).div(y.mul(sp.denom));
              })
          .build();

  /** Variance over {@code dims} with Bessel's correction when {@code unbiased}. */
  public static Tensor var(Tensor x, int[] dims, boolean unbiased, boolean keepDim) {
    Creation.requireFloating(x.dtype(), "var");
    Reductions.reducedDims(x, dims);
    return VAR.call(new Spreading(dims, unbiased, keepDim), x);
  }

  /** Standard deviation, sqrt(var). */
  public static Tensor std(Tensor x, int[] dims, boolean unbiased, boolean keepDim) {
    Creation.requireFloating(x.dtype(), "std");
    Reductions.reducedDims(x, dims);
    return STD.call(new Spreading(dims, unbiased, keepDim), x);
  }

  /** norm's attributes: p, dims (null: all), keepDim. */
  public record PNorm(double p, int[] dims, boolean keepDim) {}

  /**
   * The vector p-norm: (sum |x|^p)^(1/p), or max |x| for p = inf. d norm = g * sign(x) |x|^(p-1) /
   * y^(p-1), and 0 where y = 0 (as PyTorch masks it).
   */
  public static final OpDef<PNorm> NORM =
      OpDef.<PNorm>op("LinalgVectorNormBackward0")
          .compute(
              (in, a) -> {
                Tensor x = in[0], abs = x.abs();
                double p = a.p();
                int[] rd = reducedIndices(Reductions.reducedDims(x, a.dims()));
                Tensor y;
                if (Double.isInfinite(p))
                  y = x.numel() == 0 ? abs.sum(rd, a.keepDim()) : abs.amax(rd, a.keepDim());
                else if (p == 2) y = abs.square().sum(rd, a.keepDim()).sqrt();
                else if (p == 1) y = abs.sum(rd, a.keepDim());
                else y = abs.pow(p).sum(rd, a.keepDim()).pow(1 / p);
                return y.contiguous();
              })
          .saves((in, y, a) -> new Tensor[] {in[0], y})
          .derivative(
              (g, n, a) -> {
                double p = a.p();
                boolean[] reduced = Reductions.reducedDims(n.inputShape(0), a.dims());
                int[] kept = Reductions.reducedShape(n.inputShape(0), reduced, true);
                Tensor xs = n.saved(0), yk = n.saved(1).reshape(kept);
                return new Tensor[] {
                  g.reshape(kept).mul(normScale(xs, yk, p, reduced)).maskedFill(yk.eq(0), 0)
                };
              })
          .tangent(
              (t, in, y, a) -> { // sum(t dnorm/dx), 0 where the norm is 0
                boolean[] reduced = Reductions.reducedDims(in[0], a.dims());
                Tensor yk = y.reshape(Reductions.reducedShape(in[0].shapeRef(), reduced, true));
                Tensor scale = normScale(in[0], yk, a.p(), reduced).maskedFill(yk.eq(0), 0);
                return t[0].mul(scale).sum(reducedIndices(reduced), a.keepDim());
              })
          .build();

  // d norm / dx: sign(x) |x|^(p-1) / y^(p-1), x / y for p = 2, split among the maxima for p = inf
  private static Tensor normScale(Tensor xs, Tensor yk, double p, boolean[] reduced) {
    if (Double.isInfinite(p)) { // split evenly among the elements reaching the max
      Tensor mask = xs.abs().eq(yk).to(xs.dtype());
      return xs.sign().mul(mask).div(mask.sum(reducedIndices(reduced), true));
    }
    if (p == 2) return xs.div(yk); // d ||x|| = x / ||x||
    if (p == 1) return xs.sign();
    return xs.sign().mul(xs.abs().pow(p - 1)).div(yk.pow(p - 1));
  }

  public static Tensor norm(Tensor x, double p, int[] dims, boolean keepDim) {
    Creation.requireFloating(x.dtype(), "norm");
    if (!(p >= 1))
      throw new IllegalArgumentException("norm: only p >= 1 (or inf) is supported, got p = " + p);
    Reductions.reducedDims(x, dims);
    return NORM.call(new PNorm(p, dims, keepDim), x);
  }

  // product over all elements (dim null) or along dim; d prod = prod / x_i when nothing is zero,
  // otherwise the product of the other elements (exact with zeros)
  public static final OpDef<Reductions.Dims> PROD = prodEntry("ProdBackward0");
  public static final OpDef<Reductions.Dims> PROD_DIM = prodEntry("ProdBackward1");

  private static OpDef<Reductions.Dims> prodEntry(String nodeName) {
    return OpDef.<Reductions.Dims>op(nodeName)
        .compute(
            (in, a) -> {
              Tensor x = in[0];
              boolean[] reduced =
                  a.dims() == null ? Reductions.reducedDims(x, null) : oneDim(x, a.dims()[0]);
              return reduceRows(
                  x,
                  reduced,
                  a.keepDim(),
                  x.dtype().isFloatingPoint() ? x.dtype() : DType.INT64,
                  (s, o, n) -> {
                    double p = 1;
                    for (int j = 0; j < n; j++) p *= s.get(o + j);
                    return p;
                  });
            })
        .saves((in, y, a) -> new Tensor[] {in[0], y})
        .derivative(
            (g, n, a) -> {
              int[] in = n.inputShape(0);
              boolean[] reduced =
                  a.dims() == null || in.length == 0
                      ? Reductions.reducedDims(in, null)
                      : Reductions.reducedDims(in, a.dims());
              Tensor gk = g.reshape(Reductions.reducedShape(in, reduced, true));
              return new Tensor[] {gk.mul(prodFactor(n.saved(0), n.saved(1), a, reduced))};
            })
        .tangent(
            (t, in, y, a) -> { // sum(t dprod/dx) over the reduced elements
              int[] shape = in[0].shapeRef();
              boolean[] reduced =
                  a.dims() == null || shape.length == 0
                      ? Reductions.reducedDims(shape, null)
                      : Reductions.reducedDims(shape, a.dims());
              Tensor dt = t[0].mul(prodFactor(in[0], y, a, reduced));
              if (shape.length == 0) return dt;
              return a.dims() == null ? dt.sum() : dt.sum(reducedIndices(reduced), a.keepDim());
            })
        .build();
  }

  // d prod / dx_i: prod / x_i when nothing is zero, else the product of the other elements (exact)
  private static Tensor prodFactor(Tensor xs, Tensor y, Reductions.Dims a, boolean[] reduced) {
    int[] in = xs.shapeRef();
    boolean hasZero;
    try (GradMode.Scope s = GradMode.scope(false)) {
      hasZero = xs.eq(0).sum().item() > 0;
    }
    if (!hasZero) return y.reshape(Reductions.reducedShape(in, reduced, true)).div(xs);
    if (a.dims() == null || in.length == 0) return productOfOthers(xs.reshape(-1), 0).reshape(in);
    return productOfOthers(xs, Shapes.normalizeDim(a.dims()[0], in.length));
  }

  /** Product over all elements (dim null) or along {@code dim}. */
  public static Tensor prod(Tensor x, Integer dim, boolean keepDim) {
    if (dim != null) oneDim(x, dim); // checks the dim
    return dim == null
        ? PROD.call(new Reductions.Dims(null, keepDim), x)
        : PROD_DIM.call(new Reductions.Dims(new int[] {dim}, keepDim), x);
  }

  // out_i = prod_{j != i} x_j along d, built as prod over j of where(i == j, 1, x_j) (O(n^2),
  // exact)
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
}
