package dev.autograd.core.ops;

import dev.autograd.core.DType;
import dev.autograd.core.Tensor;
import dev.autograd.core.internal.Tensors;
import dev.autograd.core.kernels.ScatterGather;
import dev.autograd.core.tensor.Shapes;

/**
 * Ops that read or write through INT64 index tensors: {@code indexSelect}, {@code gather}, and
 * their adjoints {@code indexAdd}, {@code scatterAdd}. Each pair is the other's derivative, so
 * gradients of any order work. Indices are bounds-checked with PyTorch's messages.
 */
public final class Indexing {
  private Indexing() {}

  private static void requireIndex(Tensor index, String op) {
    if (index.dtype() != DType.INT64) {
      throw new IllegalArgumentException(
          op + "(): Expected dtype int64 for index, but got " + index.dtype().torchName());
    }
  }

  // PyTorch's index_select, index_add, gather and scatter_add take indices in [0, size): no
  // negatives
  private static int checkedIndex(long i, int size, int dim, String op) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException(
          op
              + "(): index "
              + i
              + " is out of bounds for dimension "
              + dim
              + " with size "
              + size
              + (i < 0 && i >= -size
                  ? " (negative indices count from the end only in x[...] indexing; add the size first)"
                  : ""));
    }
    return (int) i;
  }

  /** The indices of a 0-dim or 1-D index tensor, made non-negative and checked. */
  private static int[] vectorIndices(Tensor index, int size, int dim, String op) {
    requireIndex(index, op);
    if (index.dim() > 1) {
      throw new IllegalArgumentException(
          op + "(): Index is supposed to be a vector, got shape " + Shapes.str(index.shapeRef()));
    }
    long[] raw = Creation.indexValuesForCheck(index); // the kernels call this again
    int[] out = new int[raw.length];
    for (int k = 0; k < raw.length; k++) out[k] = checkedIndex(raw[k], size, dim, op);
    return out;
  }

  /**
   * A raw (history-free) view of {@code t} at position {@code i} of dim {@code d}, keeping the dim.
   */
  private static Tensor rawNarrow(Tensor t, int d, int i) {
    int[] shape = t.shape();
    shape[d] = 1;
    return Tensors.viewOf(t, t.storageOffset() + i * t.strideRef()[d], shape, t.strideRef());
  }

  /** dst += src element-wise (same shapes, any strides), no history. */
  private static void addInto(Tensor src, Tensor dst) {
    ScatterGather.addInto(
        Tensors.storage(src),
        src.storageOffset(),
        src.strideRef(),
        Tensors.storage(dst),
        dst.storageOffset(),
        dst.strideRef(),
        dst.shapeRef());
  }

  // ===============================================================================================
  // Entries: index_select / index_add and gather / scatter_add, each pair the other's derivative.
  // Inputs: [x, index] or [x, index, src]; the INT64 index gets no gradient. Attribute: the dim.
  // ===============================================================================================

  // d index_select = index_add of g into zeros
  public static final OpDef<Integer> INDEX_SELECT =
      OpDef.<Integer>op("IndexSelectBackward0")
          .name("index_select")
          .constantInputs(1)
          .shape(
              (in, d) -> {
                int[] shape = in[0].shape();
                shape[d] = in[1].numel();
                return new OpDef.OutSpec(in[0].dtype(), shape);
              })
          .kernel(
              (in, d, y) -> {
                int[] idx = vectorIndices(in[1], in[0].shapeRef()[d], d, "index_select");
                for (int k = 0; k < idx.length; k++)
                  Creation.copyValues(rawNarrow(in[0], d, idx[k]), rawNarrow(y, d, k));
              })
          .saves((in, y, d) -> new Tensor[] {in[1]})
          .derivative(
              (g, n, d) ->
                  new Tensor[] {
                    Tensor.zeros(g.dtype(), n.inputShape(0)).indexAdd(d, n.saved(0), g), null
                  })
          .linearTangent()
          .build();

  // d/dx = g ; d/dsrc = index_select of g
  public static final OpDef<Integer> INDEX_ADD =
      OpDef.<Integer>op("IndexAddBackward0")
          .name("index_add")
          .constantInputs(1)
          .shape((in, d) -> new OpDef.OutSpec(in[0].dtype(), in[0].shapeRef()))
          .kernel(
              (in, d, y) -> {
                int[] idx = vectorIndices(in[1], in[0].shapeRef()[d], d, "index_add");
                Creation.copyValues(in[0], y);
                for (int k = 0; k < idx.length; k++)
                  addInto(rawNarrow(in[2], d, k), rawNarrow(y, d, idx[k]));
              })
          .saves((in, y, d) -> new Tensor[] {in[1]})
          .derivative(
              (g, n, d) ->
                  new Tensor[] {
                    n.needsGrad(0) ? g : null,
                    null,
                    n.needsGrad(2) ? g.indexSelect(d, n.saved(0)) : null
                  })
          .linearTangent()
          .build();

  /** Slices {@code index[k]} of {@code x} along {@code dim}. */
  public static Tensor indexSelect(Tensor x, int dim, Tensor index) {
    if (x.dim() == 0) return indexSelect(x.reshape(1), 0, index).reshape(index.shapeRef());
    return INDEX_SELECT.call(
        Shapes.normalizeDim(dim, x.dim()),
        x,
        index); // the kernel checks the indices before it writes
  }

  /** A copy of {@code x} with {@code src[k]} added at {@code index[k]} along {@code dim}. */
  public static Tensor indexAdd(Tensor x, int dim, Tensor index, Tensor src) {
    if (x.dim() == 0)
      return indexAdd(x.reshape(1), 0, index, src.reshape(-1)).reshape(x.shapeRef());
    int d = Shapes.normalizeDim(dim, x.dim());
    int[] idx = vectorIndices(index, x.shapeRef()[d], d, "index_add");
    int[] expected = x.shape();
    expected[d] = idx.length;
    if (!java.util.Arrays.equals(expected, src.shapeRef())) {
      throw new IllegalArgumentException(
          "index_add_(): Source/destination tensor must have same slice shapes. Destination shape "
              + Shapes.str(x.shapeRef())
              + ", source shape "
              + Shapes.str(src.shapeRef())
              + ", index length "
              + idx.length
              + " along dim "
              + d);
    }
    requireSameDtype(x, src, "index_add");
    return INDEX_ADD.call(d, x, index, src);
  }

  private static void requireSameDtype(Tensor x, Tensor src, String op) {
    if (x.dtype() != src.dtype()) {
      throw new IllegalArgumentException(
          op
              + "(): Expected self.dtype to be equal to src.dtype, got "
              + x.dtype().torchName()
              + " and "
              + src.dtype().torchName());
    }
  }

  /** Checks PyTorch's gather/scatter shape rules: same rank, index no larger than the others. */
  private static int checkScatterShapes(Tensor x, int dim, Tensor index, Tensor src, String op) {
    requireIndex(index, op);
    int r = Math.max(x.dim(), 1);
    int d = Shapes.normalizeDim(dim, x.dim());
    if (index.dim() != x.dim() && !(index.dim() <= 1 && x.dim() <= 1)) {
      throw new IllegalArgumentException(
          op
              + "(): Index tensor must have the same number of dimensions as "
              + (src == null ? "input" : "self")
              + " tensor");
    }
    if (src != null && index.dim() != src.dim() && !(index.dim() <= 1 && src.dim() <= 1)) {
      throw new IllegalArgumentException(
          op
              + "(): Index tensor must have the same number of dimensions as src tensor (index "
              + Shapes.str(index.shapeRef())
              + ", src "
              + Shapes.str(src.shapeRef())
              + ")");
    }
    int[] idx = index.dim() == 0 ? new int[] {1} : index.shapeRef(); // a 0-dim tensor counts as [1]
    int[] sizes = x.dim() == 0 ? new int[] {1} : x.shapeRef();
    int[] srcSizes = src == null ? null : src.dim() == 0 ? new int[] {1} : src.shapeRef();
    for (int k = 0; k < idx.length && k < r; k++) {
      if (k != d && idx[k] > sizes[k]) {
        throw new IllegalArgumentException(
            op
                + "(): Size does not match at dimension "
                + k
                + " expected index "
                + Shapes.str(index.shapeRef())
                + " to be smaller than self "
                + Shapes.str(x.shapeRef())
                + " apart from dimension "
                + d);
      }
      if (srcSizes != null && index.numel() > 0 && (k >= srcSizes.length || idx[k] > srcSizes[k])) {
        throw new IllegalArgumentException(
            op
                + "(): Expected index "
                + Shapes.str(index.shapeRef())
                + " to be smaller than src "
                + Shapes.str(src.shapeRef())
                + " apart from dimension "
                + d);
      }
    }
    return d;
  }

  /** Checks every index value against the size of dim d of x (negative ones count from the end). */
  private static void checkIndexValues(Tensor x, int d, Tensor index, String op) {
    int size = x.dim() == 0 ? 1 : x.shapeRef()[d];
    for (long i : Creation.indexValuesForCheck(index)) checkedIndex(i, size, d, op);
  }

  private static int[] stridesOf(Tensor t) {
    return t.dim() == 0 ? new int[] {1} : t.strideRef();
  }

  // d gather = scatter_add of g into zeros
  public static final OpDef<Integer> GATHER =
      OpDef.<Integer>op("GatherBackward0")
          .constantInputs(1)
          .shape((in, d) -> new OpDef.OutSpec(in[0].dtype(), in[1].shapeRef()))
          .kernel(
              (in, d, y) -> {
                Tensor x = in[0], index = in[1];
                checkIndexValues(
                    x, d, index, "gather"); // here, so that a compiled replay checks too
                ScatterGather.gather(
                    Tensors.storage(x),
                    x.storageOffset(),
                    stridesOf(x),
                    x.dim() == 0 ? 1 : x.shapeRef()[d],
                    d,
                    Tensors.storage(index),
                    index.storageOffset(),
                    index.shapeRef(),
                    stridesOf(index),
                    Tensors.storage(y),
                    y.storageOffset());
              })
          .saves((in, y, d) -> new Tensor[] {in[1]})
          .derivative(
              (g, n, d) ->
                  new Tensor[] {
                    Tensor.zeros(g.dtype(), n.inputShape(0)).scatterAdd(d, n.saved(0), g), null
                  })
          .linearTangent()
          .build();

  // d/dx = g ; d/dsrc = gather of g (zero where src is larger than index)
  public static final OpDef<Integer> SCATTER_ADD =
      OpDef.<Integer>op("ScatterAddBackward0")
          .constantInputs(1)
          .shape((in, d) -> new OpDef.OutSpec(in[0].dtype(), in[0].shapeRef()))
          .kernel(
              (in, d, y) -> {
                checkIndexValues(
                    in[0],
                    d,
                    in[1],
                    "scatter_add"); // before anything is written; here, so that a replay checks too
                Creation.copyValues(in[0], y);
                Tensor index = in[1], src = in[2];
                ScatterGather.scatterAdd(
                    Tensors.storage(y),
                    y.storageOffset(),
                    stridesOf(y),
                    y.dim() == 0 ? 1 : y.shapeRef()[d],
                    d,
                    Tensors.storage(index),
                    index.storageOffset(),
                    index.shapeRef(),
                    stridesOf(index),
                    Tensors.storage(src),
                    src.storageOffset(),
                    stridesOf(src));
              })
          .saves((in, y, d) -> new Tensor[] {in[1]})
          .derivative(
              (g, n, d) -> {
                Tensor gs = n.needsGrad(2) ? g.gather(d, n.saved(0)) : null;
                int[] srcShape = n.inputShape(2), idxShape = n.saved(0).shapeRef();
                if (gs != null && !java.util.Arrays.equals(srcShape, idxShape))
                  gs =
                      srcShape.length > 0 && idxShape.length > 0
                          ? leadingBlockScatter(gs, srcShape, idxShape)
                          // a 0-dim src or index counts as [1] (checkScatterShapes)
                          : leadingBlockScatter(
                                  gs.reshape(asOneDim(idxShape)),
                                  asOneDim(srcShape),
                                  asOneDim(idxShape))
                              .reshape(srcShape);
                return new Tensor[] {n.needsGrad(0) ? g : null, null, gs};
              })
          .linearTangent()
          .build();

  /** {@code out[i][j] = x[i][index[i][j]]} (for dim 1). */
  public static Tensor gather(Tensor x, int dim, Tensor index) {
    int d = checkScatterShapes(x, dim, index, null, "gather");
    return GATHER.call(d, x, index);
  }

  /** A copy of {@code x} with {@code out[i][index[i][j]] += src[i][j]} (for dim 1). */
  public static Tensor scatterAdd(Tensor x, int dim, Tensor index, Tensor src) {
    int d = checkScatterShapes(x, dim, index, src, "scatter_add");
    requireSameDtype(x, src, "scatter_add");
    return SCATTER_ADD.call(d, x, index, src);
  }

  private static int[] asOneDim(int[] shape) {
    return shape.length == 0 ? new int[] {1} : shape;
  }

  // g of the index's shape written into zeros of src's shape, at src[:i0, :i1, ...]
  private static Tensor leadingBlockScatter(Tensor g, int[] srcShape, int[] idxShape) {
    OpDef<?>[] views = new OpDef<?>[idxShape.length];
    Object[] attrs = new Object[idxShape.length];
    for (int k = 0; k < idxShape.length; k++) {
      views[k] = Movement.SLICE;
      attrs[k] = new Movement.Slice(k, 0, idxShape[k], 1);
    }
    return ViewGrads.VIEW_SCATTER.call(new ViewGrads.ViewOf(srcShape, views, attrs), g);
  }
}
