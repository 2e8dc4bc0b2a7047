package dev.autograd.core.ops;

import dev.autograd.core.DType;
import dev.autograd.core.Tensor;
import dev.autograd.core.internal.Tensors;
import dev.autograd.core.kernels.KernelProvider;
import dev.autograd.core.kernels.Kernels;
import dev.autograd.core.tensor.Shapes;
import dev.autograd.core.tensor.Storage;

/** Reductions over dims ({@code sum}, {@code mean}, ...) and the sum back to a broadcast shape. */
public final class Reductions {
  private Reductions() {}

  /**
   * Which dims a reduction removes; null dims means all of them. The array is shared (a replayed
   * step asks on every call): callers must not modify it.
   */
  static boolean[] reducedDims(Tensor x, int[] dims) {
    return reducedDims(x.shapeRef(), dims);
  }

  static boolean[] reducedDims(int[] shape, int[] dims) {
    int rank = shape.length;
    if (rank >= SHARED_DIMS.length) return reducedDimsArray(rank, dims);
    int bits = (1 << rank) - 1;
    if (dims != null) {
      bits = 0;
      for (int d : dims) {
        int n = Shapes.normalizeDim(d, rank);
        if (rank == 0) continue;
        if ((bits & (1 << n)) != 0) return reducedDimsArray(rank, dims); // throws on the repeat
        bits |= 1 << n;
      }
    }
    return SHARED_DIMS[rank][bits];
  }

  /** SHARED_DIMS[rank][bits]: dim d reduced when bit d is set, for ranks up to 8. */
  private static final boolean[][][] SHARED_DIMS = new boolean[9][][];

  static {
    for (int r = 0; r < SHARED_DIMS.length; r++) {
      SHARED_DIMS[r] = new boolean[1 << r][r];
      for (int bits = 0; bits < 1 << r; bits++)
        for (int d = 0; d < r; d++) SHARED_DIMS[r][bits][d] = (bits & (1 << d)) != 0;
    }
  }

  private static boolean[] reducedDimsArray(int rank, int[] dims) {
    boolean[] r = new boolean[rank];
    if (dims == null) {
      java.util.Arrays.fill(r, true);
      return r;
    }
    for (int d : dims) {
      int n = Shapes.normalizeDim(d, rank);
      if (rank == 0) continue;
      if (r[n])
        throw new IllegalArgumentException(
            "dim " + n + " appears multiple times in the list of dims");
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
   * {@code x} laid out as a contiguous [outer, inner] matrix whose rows hold the reduced elements:
   * kept dims first, reduced dims last (a copy only when the layout needs it).
   */
  static Tensor rowsForReduction(Tensor x, boolean[] reduced) {
    int r = x.dim();
    int firstReduced = 0;
    while (firstReduced < r && !reduced[firstReduced]) firstReduced++;
    boolean trailing = true; // reduced dims already last: no permutation to build
    for (int d = firstReduced; d < r; d++) trailing &= reduced[d];
    if (trailing && x.isContiguous()) return x;
    int[] perm = new int[r];
    int k = 0;
    for (int d = 0; d < r; d++) if (!reduced[d]) perm[k++] = d;
    for (int d = 0; d < r; d++) if (reduced[d]) perm[k++] = d;
    Tensor p = x;
    boolean identity = true;
    for (int d = 0; d < r; d++) identity &= perm[d] == d;
    if (!identity)
      p = Tensors.viewOf(x, x.storageOffset(), pick(x.shapeRef(), perm), pick(x.strideRef(), perm));
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

  /** The dtype of a sum: floats keep theirs, integers and booleans sum in INT64. */
  static DType sumType(Tensor x) {
    return x.dtype().isFloatingPoint() ? x.dtype() : DType.INT64;
  }

  /**
   * Sum times {@code scale} into a contiguous {@code y}: each output element sums one row of
   * reduced elements.
   */
  static void sumInto(Tensor x, boolean[] reduced, double scale, Tensor y) {
    int inner = reducedCount(x.shapeRef(), reduced);
    DType dt = y.dtype();
    int outer = y.numel();
    if (outer == 0) return;
    // small ones too: the row path would copy the transposed rows first (a fresh tensor per call)
    if (dt.isFloatingPoint() && leadingOnly(x, reduced) && (outer >= 16 || x.numel() <= 65536)) {
      columnSums(x, y, inner, outer, scale);
      return;
    }
    Tensor rows = rowsForReduction(x, reduced);
    Kernels k = KernelProvider.get();
    int off = rows.storageOffset(), yo = y.storageOffset();
    Storage src = Tensors.storage(rows), out = Tensors.storage(y);
    if (dt == DType.FLOAT32) {
      float[] a = src.floats(), o = out.floats();
      for (int i = 0; i < outer; i++)
        o[yo + i] = (float) (k.sum(a, off + i * inner, inner) * scale);
    } else if (dt == DType.FLOAT64) {
      double[] a = src.doubles(), o = out.doubles();
      for (int i = 0; i < outer; i++) o[yo + i] = k.sum(a, off + i * inner, inner) * scale;
    } else {
      for (int i = 0; i < outer; i++) {
        long s = 0;
        for (int j = 0; j < inner; j++) s += (long) src.get(off + i * inner + j);
        out.set(yo + i, s);
      }
    }
  }

  // a contiguous tensor reduced over its leading dims only (a bias gradient: sum over the batch)
  private static boolean leadingOnly(Tensor x, boolean[] reduced) {
    if (!x.isContiguous()) return false;
    int d = 0;
    while (d < reduced.length && reduced[d]) d++;
    for (int e = d; e < reduced.length; e++) if (reduced[e]) return false;
    return d > 0 && d < reduced.length;
  }

  // the accumulators of columnSums, per thread, up to 64K columns (a bias gradient's sum then
  // allocates nothing)
  private static final ThreadLocal<double[]> COLUMN_SCRATCH =
      ThreadLocal.withInitial(() -> new double[64]);

  private static double[] columnScratch(int cols) {
    if (cols > 1 << 16) return new double[cols]; // not kept: a thread would hold it for good
    double[] acc = COLUMN_SCRATCH.get();
    if (acc.length < cols) {
      acc = new double[Math.max(cols, 2 * acc.length)];
      COLUMN_SCRATCH.set(acc);
    }
    java.util.Arrays.fill(acc, 0, cols, 0.0);
    return acc;
  }

  // column sums straight from the rows, accumulated in double and rounded once: no transposed copy
  private static void columnSums(Tensor x, Tensor y, int rows, int cols, double scale) {
    double[] acc = columnScratch(cols);
    int off = x.storageOffset(), yo = y.storageOffset();
    if (x.dtype() == DType.FLOAT32) {
      float[] a = Tensors.storage(x).floats(), o = Tensors.storage(y).floats();
      for (int r = 0; r < rows; r++) {
        int base = off + r * cols;
        for (int j = 0; j < cols; j++) acc[j] += a[base + j];
      }
      for (int j = 0; j < cols; j++) o[yo + j] = (float) (acc[j] * scale);
    } else {
      double[] a = Tensors.storage(x).doubles(), o = Tensors.storage(y).doubles();
      for (int r = 0; r < rows; r++) {
        int base = off + r * cols;
        for (int j = 0; j < cols; j++) acc[j] += a[base + j];
      }
      for (int j = 0; j < cols; j++) o[yo + j] = acc[j] * scale;
    }
  }

  // ===============================================================================================
  // Entries: sum and mean over dims (all when null). Attributes: the dims and keepDim.
  // ===============================================================================================

  /** Which dims a reduction removes (null: all) and whether they stay as size 1. */
  public record Dims(int[] dims, boolean keepDim) {}

  // d sum = g broadcast back over the reduced dims
  public static final OpDef<Dims> SUM = sumEntry("SumBackward0", false);
  public static final OpDef<Dims> SUM_DIMS = sumEntry("SumBackward1", false);
  // d mean = g / n broadcast back
  public static final OpDef<Dims> MEAN = sumEntry("MeanBackward0", true);
  public static final OpDef<Dims> MEAN_DIMS = sumEntry("MeanBackward1", true);

  private static OpDef<Dims> sumEntry(String nodeName, boolean mean) {
    return OpDef.<Dims>op(nodeName)
        .shape(
            (in, a) ->
                OpDef.OutSpec.of(
                    sumType(in[0]),
                    reducedShape(in[0].shapeRef(), reducedDims(in[0], a.dims()), a.keepDim())))
        .kernel(
            (in, a, out) -> {
              boolean[] reduced = reducedDims(in[0], a.dims());
              sumInto(
                  in[0], reduced, mean ? 1.0 / reducedCount(in[0].shapeRef(), reduced) : 1, out);
            })
        .derivative(
            (g, n, a) -> {
              int[] in = n.inputShape(0);
              boolean[] reduced = reducedDims(in, a.dims());
              Tensor back = g.reshape(reducedShape(in, reduced, true)).expand(in);
              return new Tensor[] {mean ? back.div(reducedCount(in, reduced)) : back};
            })
        .linearTangent()
        .build();
  }

  /** Sum over {@code dims} (all when null). */
  public static Tensor sum(Tensor x, int[] dims, boolean keepDim) {
    reducedDims(x, dims); // checks the dims
    return (dims == null ? SUM : SUM_DIMS).call(new Dims(dims, keepDim), x);
  }

  /** {@link #sum} written into {@code out} (the {@code out=} form: no history; see {@link Out}). */
  public static Tensor sumOut(Tensor x, int[] dims, boolean keepDim, Tensor out) {
    reducedDims(x, dims);
    return (dims == null ? SUM : SUM_DIMS).callOut(new Dims(dims, keepDim), out, x);
  }

  /** Mean over {@code dims} (all when null). */
  public static Tensor mean(Tensor x, int[] dims, boolean keepDim) {
    if (!x.dtype().isFloatingPoint()) {
      throw new IllegalArgumentException(
          "mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: "
              + x.dtype().torchName());
    }
    reducedDims(x, dims);
    return (dims == null ? MEAN : MEAN_DIMS).call(new Dims(dims, keepDim), x);
  }

  /** Sums a broadcast tensor back to {@code target} (leading dims and size-1 dims). */
  public static Tensor sumTo(Tensor x, int[] target) {
    int[] shape = x.shapeRef();
    if (java.util.Arrays.equals(shape, target)) return x;
    int lead = shape.length - target.length;
    if (lead < 0) {
      throw new IllegalArgumentException(
          "sumTo: shape " + Shapes.str(shape) + " is not expandable to size " + Shapes.str(target));
    }
    int k = 0;
    int[] dims = new int[shape.length];
    for (int d = 0; d < shape.length; d++) {
      if (d < lead) dims[k++] = d;
      else if (target[d - lead] == 1 && shape[d] != 1) dims[k++] = d;
      else if (target[d - lead] != shape[d]) {
        throw new IllegalArgumentException(
            "sumTo: shape "
                + Shapes.str(shape)
                + " is not expandable to size "
                + Shapes.str(target));
      }
    }
    Tensor s = k == 0 ? x : sum(x, java.util.Arrays.copyOf(dims, k), true);
    return s.reshape(target);
  }
}
