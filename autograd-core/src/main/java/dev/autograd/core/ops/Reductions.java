package dev.autograd.core.ops;

import dev.autograd.core.DType;
import dev.autograd.core.Tensor;
import dev.autograd.core.engine.Graph;
import dev.autograd.core.kernels.KernelProvider;
import dev.autograd.core.kernels.Kernels;
import dev.autograd.core.tensor.Shapes;
import dev.autograd.core.tensor.Storage;

/** Reductions over dims ({@code sum}, {@code mean}, ...) and the sum back to a broadcast shape. */
public final class Reductions {
  private Reductions() {}

  /** Which dims a reduction removes; null dims means all of them. */
  static boolean[] reducedDims(Tensor x, int[] dims) {
    boolean[] r = new boolean[x.dim()];
    if (dims == null) {
      java.util.Arrays.fill(r, true);
      return r;
    }
    for (int d : dims) {
      int n = Shapes.normalizeDim(d, x.dim());
      if (x.dim() == 0) continue;
      if (r[n]) throw new IllegalArgumentException("dim " + n + " appears multiple times in the list of dims");
      r[n] = true;
    }
    return r;
  }

  /** The output shape: reduced dims removed, or kept as 1 with {@code keepDim}. */
  static int[] reducedShape(int[] shape, boolean[] reduced, boolean keepDim) {
    int k = 0;
    for (int d = 0; d < shape.length; d++) if (!reduced[d] || keepDim) k++;
    int[] out = new int[k];
    k = 0;
    for (int d = 0; d < shape.length; d++) {
      if (!reduced[d]) out[k++] = shape[d];
      else if (keepDim) out[k++] = 1;
    }
    return out;
  }

  /**
   * {@code x} laid out as a contiguous [outer, inner] matrix whose rows hold the reduced
   * elements: kept dims first, reduced dims last (a copy only when the layout needs it).
   */
  static Tensor rowsForReduction(Tensor x, boolean[] reduced) {
    int r = x.dim();
    int[] perm = new int[r];
    int k = 0;
    for (int d = 0; d < r; d++) if (!reduced[d]) perm[k++] = d;
    for (int d = 0; d < r; d++) if (reduced[d]) perm[k++] = d;
    Tensor p = x;
    boolean identity = true;
    for (int d = 0; d < r; d++) identity &= perm[d] == d;
    if (!identity) p = Tensor.viewOf(x, x.storageOffset(), pick(x.shapeRef(), perm), pick(x.strideRef(), perm));
    return p.isContiguous() ? p : Creation.copyOf(p, p.dtype());
  }

  static int[] pick(int[] a, int[] idx) {
    int[] out = new int[idx.length];
    for (int i = 0; i < idx.length; i++) out[i] = a[idx[i]];
    return out;
  }

  /** The number of elements each output element reduces. */
  static int reducedCount(int[] shape, boolean[] reduced) {
    int n = 1;
    for (int d = 0; d < shape.length; d++) if (reduced[d]) n *= shape[d];
    return n;
  }

  /** Sum without history: each output element is the sum of one row of reduced elements. */
  static Tensor sumForward(Tensor x, boolean[] reduced, boolean keepDim, double scale) {
    int[] outShape = reducedShape(x.shapeRef(), reduced, keepDim);
    int inner = reducedCount(x.shapeRef(), reduced);
    DType dt = x.dtype().isFloatingPoint() ? x.dtype() : DType.INT64;
    Tensor y = Creation.uninitialized(dt, outShape);
    int outer = y.numel();
    if (outer == 0) return y;
    if (dt.isFloatingPoint() && leadingOnly(x, reduced) && outer >= 16) return columnSums(x, y, inner, outer, scale);
    Tensor rows = rowsForReduction(x, reduced);
    Kernels k = KernelProvider.get();
    int off = rows.storageOffset();
    Storage src = rows.storage(), out = y.storage();
    if (dt == DType.FLOAT32) {
      float[] a = src.floats(), o = out.floats();
      for (int i = 0; i < outer; i++) o[i] = (float) (k.sum(a, off + i * inner, inner) * scale);
    } else if (dt == DType.FLOAT64) {
      double[] a = src.doubles(), o = out.doubles();
      for (int i = 0; i < outer; i++) o[i] = k.sum(a, off + i * inner, inner) * scale;
    } else {
      for (int i = 0; i < outer; i++) {
        long s = 0;
        for (int j = 0; j < inner; j++) s += (long) src.get(off + i * inner + j);
        out.set(i, s);
      }
    }
    return y;
  }

  // a contiguous tensor reduced over its leading dims only (a bias gradient: sum over the batch)
  private static boolean leadingOnly(Tensor x, boolean[] reduced) {
    if (!x.isContiguous()) return false;
    int d = 0;
    while (d < reduced.length && reduced[d]) d++;
    for (int e = d; e < reduced.length; e++) if (reduced[e]) return false;
    return d > 0 && d < reduced.length;
  }

  // column sums straight from the rows, accumulated in double and rounded once: no transposed copy
  private static Tensor columnSums(Tensor x, Tensor y, int rows, int cols, double scale) {
    double[] acc = new double[cols];
    int off = x.storageOffset();
    if (x.dtype() == DType.FLOAT32) {
      float[] a = x.storage().floats(), o = y.storage().floats();
      for (int r = 0; r < rows; r++) {
        int base = off + r * cols;
        for (int j = 0; j < cols; j++) acc[j] += a[base + j];
      }
      for (int j = 0; j < cols; j++) o[j] = (float) (acc[j] * scale);
    } else {
      double[] a = x.storage().doubles(), o = y.storage().doubles();
      for (int r = 0; r < rows; r++) {
        int base = off + r * cols;
        for (int j = 0; j < cols; j++) acc[j] += a[base + j];
      }
      for (int j = 0; j < cols; j++) o[j] = acc[j] * scale;
    }
    return y;
  }

  /** Sum over {@code dims} (all when null); gradient: g broadcast back over the reduced dims. */
  public static Tensor sum(Tensor x, int[] dims, boolean keepDim) {
    boolean[] reduced = reducedDims(x, dims);
    Tensor y = sumForward(x, reduced, keepDim, 1);
    int[] in = x.shapeRef();
    int[] kept = reducedShape(in, reduced, true);
    return Graph.record(dims == null ? "SumBackward0" : "SumBackward1", y, new Tensor[] {x}, null,
        (g, n) -> new Tensor[] {g.reshape(kept).expand(in)});
  }

  /** {@link #sum} written into {@code out} (the {@code out=} form: no history; see {@link Out}). */
  public static Tensor sumOut(Tensor x, int[] dims, boolean keepDim, Tensor out) {
    boolean[] reduced = reducedDims(x, dims);
    DType dt = x.dtype().isFloatingPoint() ? x.dtype() : DType.INT64;
    Out.check("sum", out, reducedShape(x.shapeRef(), reduced, keepDim), dt, x);
    Creation.copyValues(sumForward(x, reduced, keepDim, 1), out); // a reduction's result is small
    return Out.written(out);
  }

  /** Mean over {@code dims} (all when null); gradient: g / n broadcast back. */
  public static Tensor mean(Tensor x, int[] dims, boolean keepDim) {
    if (!x.dtype().isFloatingPoint()) {
      throw new IllegalArgumentException(
          "mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: "
              + x.dtype().torchName());
    }
    boolean[] reduced = reducedDims(x, dims);
    int count = reducedCount(x.shapeRef(), reduced);
    Tensor y = sumForward(x, reduced, keepDim, 1.0 / count);
    int[] in = x.shapeRef();
    int[] kept = reducedShape(in, reduced, true);
    return Graph.record(dims == null ? "MeanBackward0" : "MeanBackward1", y, new Tensor[] {x}, null,
        (g, n) -> new Tensor[] {g.reshape(kept).expand(in).div(count)});
  }

  /** Sums a broadcast tensor back to {@code target} (leading dims and size-1 dims). */
  public static Tensor sumTo(Tensor x, int[] target) {
    int[] shape = x.shapeRef();
    if (java.util.Arrays.equals(shape, target)) return x;
    int lead = shape.length - target.length;
    if (lead < 0) {
      throw new IllegalArgumentException("sumTo: shape " + Shapes.str(shape) + " is not expandable to size " + Shapes.str(target));
    }
    int k = 0;
    int[] dims = new int[shape.length];
    for (int d = 0; d < shape.length; d++) {
      if (d < lead) dims[k++] = d;
      else if (target[d - lead] == 1 && shape[d] != 1) dims[k++] = d;
      else if (target[d - lead] != shape[d]) {
        throw new IllegalArgumentException("sumTo: shape " + Shapes.str(shape) + " is not expandable to size " + Shapes.str(target));
      }
    }
    Tensor s = k == 0 ? x : sum(x, java.util.Arrays.copyOf(dims, k), true);
    return s.reshape(target);
  }
}
