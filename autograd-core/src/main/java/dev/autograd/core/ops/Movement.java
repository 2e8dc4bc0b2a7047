package dev.autograd.core.ops;

import dev.autograd.core.DType;
import dev.autograd.core.Tensor;
import dev.autograd.core.internal.Tensors;
import dev.autograd.core.tensor.Shapes;
import java.util.Arrays;

/**
 * Shape ops. Most are views (no copy: new shape and strides over the same storage); their
 * derivative maps the gradient back to the input's layout.
 */
public final class Movement {
  private Movement() {}

  static Tensor view(Tensor x, int offset, int[] shape, int[] strides) {
    return Tensors.viewOf(x, offset, shape, strides);
  }

  // ===============================================================================================
  // View entries: the output shares the input's storage. Attributes are normalized (dims >= 0).
  // ===============================================================================================

  /** The same elements under a new tensor object; gradient g. */
  public static final OpDef<Void> ALIAS =
      OpDef.<Void>op("AliasBackward0")
          .view(
              (in, none) -> view(in[0], in[0].storageOffset(), in[0].shapeRef(), in[0].strideRef()))
          .derivative((g, n, none) -> new Tensor[] {g})
          .linearTangent()
          .build();

  /** A contiguous input under a new shape; gradient g reshaped back. */
  public static final OpDef<int[]> VIEW =
      OpDef.<int[]>op("ViewBackward0")
          .view(
              (in, shape) ->
                  view(in[0], in[0].storageOffset(), shape, Shapes.contiguousStrides(shape)))
          .derivative((g, n, shape) -> new Tensor[] {g.reshape(n.inputShape(0))})
          .tangent(
              (t, in, y, shape) ->
                  t[0].reshape(shape)) // a view of the tangent when it is contiguous
          .build();

  /** Dims reordered; gradient permuted back by the inverse order. */
  public static final OpDef<int[]> PERMUTE =
      OpDef.<int[]>op("PermuteBackward0")
          .view(
              (in, dims) ->
                  view(
                      in[0],
                      in[0].storageOffset(),
                      Reductions.pick(in[0].shapeRef(), dims),
                      Reductions.pick(in[0].strideRef(), dims)))
          .derivative(
              (g, n, dims) -> {
                int[] inverse = new int[dims.length];
                for (int i = 0; i < dims.length; i++) inverse[dims[i]] = i;
                return new Tensor[] {g.permute(inverse)};
              })
          .linearTangent()
          .build();

  /** Two dims swapped. */
  public record DimPair(int a, int b) {}

  public static final OpDef<DimPair> TRANSPOSE = transposeEntry("TransposeBackward0");

  /** {@code x.t()}: a 2-D transpose under PyTorch's name for it. */
  public static final OpDef<DimPair> T = transposeEntry("TBackward0");

  private static OpDef<DimPair> transposeEntry(String nodeName) {
    return OpDef.<DimPair>op(nodeName)
        .view(
            (in, p) -> {
              Tensor x = in[0];
              int[] shape = x.shape(), strides = x.stride();
              shape[p.a()] = x.shapeRef()[p.b()];
              shape[p.b()] = x.shapeRef()[p.a()];
              strides[p.a()] = x.strideRef()[p.b()];
              strides[p.b()] = x.strideRef()[p.a()];
              return view(x, x.storageOffset(), shape, strides);
            })
        .derivative((g, n, p) -> new Tensor[] {g.transpose(p.a(), p.b())})
        .linearTangent()
        .build();
  }

  /** Size-1 dims repeated by stride 0 to a larger shape; gradient summed back. */
  public static final OpDef<int[]> EXPAND =
      OpDef.<int[]>op("ExpandBackward0")
          .view(
              (in, shape) ->
                  view(
                      in[0],
                      in[0].storageOffset(),
                      shape,
                      Shapes.broadcastStrides(in[0].shapeRef(), in[0].strideRef(), shape)))
          .derivative((g, n, shape) -> new Tensor[] {g.sumTo(n.inputShape(0))})
          .linearTangent()
          .build();

  /** Python's {@code x[..., start:end:step]} on one dim, bounds already clamped. */
  public record Slice(int dim, int start, int end, int step) {}

  public static final OpDef<Slice> SLICE =
      OpDef.<Slice>op("SliceBackward0")
          .view(
              (in, s) -> {
                Tensor x = in[0];
                int d = s.dim();
                int[] shape = x.shape(), strides = x.stride();
                shape[d] =
                    s.end() > s.start()
                        ? (int) (((long) s.end() - s.start() + s.step() - 1) / s.step())
                        : 0; // long: a huge step must not overflow
                strides[d] = x.strideRef()[d] * s.step();
                return view(x, x.storageOffset() + s.start() * x.strideRef()[d], shape, strides);
              })
          .derivative(
              (g, n, s) ->
                  new Tensor[] {ViewGrads.scatterIntoView(g, n.inputShape(0), Movement.SLICE, s)})
          .linearTangent()
          .build();

  /** One index of one dim, removing the dim. */
  public record Index(int dim, int index) {}

  public static final OpDef<Index> SELECT =
      OpDef.<Index>op("SelectBackward0")
          .view(
              (in, i) -> {
                Tensor x = in[0];
                return view(
                    x,
                    x.storageOffset() + i.index() * x.strideRef()[i.dim()],
                    remove(x.shapeRef(), i.dim()),
                    remove(x.strideRef(), i.dim()));
              })
          .derivative(
              (g, n, i) ->
                  new Tensor[] {ViewGrads.scatterIntoView(g, n.inputShape(0), Movement.SELECT, i)})
          .linearTangent()
          .build();

  /** Size-1 dims removed: the one at the attribute, or all of them when it is null. */
  public static final OpDef<Integer> SQUEEZE =
      OpDef.<Integer>op("SqueezeBackward0")
          .view(
              (in, dim) -> {
                Tensor x = in[0];
                int[] s = x.shapeRef();
                boolean[] drop = new boolean[s.length];
                for (int d = 0; d < s.length; d++) drop[d] = s[d] == 1 && (dim == null || dim == d);
                return view(x, x.storageOffset(), keep(s, drop), keep(x.strideRef(), drop));
              })
          .derivative((g, n, dim) -> new Tensor[] {g.reshape(n.inputShape(0))})
          .linearTangent()
          .build();

  /** A size-1 dim inserted at the attribute. */
  public static final OpDef<Integer> UNSQUEEZE =
      OpDef.<Integer>op("UnsqueezeBackward0")
          .view(
              (in, d) -> {
                Tensor x = in[0];
                int[] s = x.shapeRef();
                int[] shape = new int[s.length + 1], strides = new int[s.length + 1];
                for (int i = 0, k = 0; i < shape.length; i++) {
                  if (i == d) {
                    shape[i] = 1;
                    strides[i] = k < s.length ? x.strideRef()[k] * s[k] : 1;
                  } else {
                    shape[i] = s[k];
                    strides[i] = x.strideRef()[k++];
                  }
                }
                return view(x, x.storageOffset(), shape, strides);
              })
          .derivative((g, n, d) -> new Tensor[] {g.squeeze(d)})
          .linearTangent()
          .build();

  // ===============================================================================================
  // Copies: clone, cat (the gradients of views are in ViewGrads)
  // ===============================================================================================

  /** A contiguous copy; gradient g. */
  public static final OpDef<Void> CLONE =
      OpDef.<Void>op("CloneBackward0")
          .shape((in, none) -> new OpDef.OutSpec(in[0].dtype(), in[0].shapeRef()))
          .kernel((in, none, out) -> Creation.copyValues(in[0], out))
          .derivative((g, n, none) -> new Tensor[] {g})
          .linearTangent()
          .build();

  /** Inputs joined along {@code dim}; gradient: g narrowed back into each input's part. */
  public static final OpDef<Integer> CAT =
      OpDef.<Integer>op("CatBackward0")
          .shape(
              (in, d) -> {
                int[] shape = in[0].shape();
                shape[d] = 0;
                DType dt = in[0].dtype();
                for (Tensor t : in) {
                  shape[d] += t.shapeRef()[d];
                  dt = DType.promote(dt, t.dtype());
                }
                return new OpDef.OutSpec(dt, shape);
              })
          .kernel(
              (in, d, out) -> {
                int at = 0;
                for (Tensor t : in) {
                  int len = t.shapeRef()[d];
                  int[] shape = out.shape();
                  shape[d] = len;
                  Creation.copyValues(
                      t,
                      view(
                          out,
                          out.storageOffset() + at * out.strideRef()[d],
                          shape,
                          out.strideRef()));
                  at += len;
                }
              })
          .derivative(
              (g, n, d) -> {
                Tensor[] out = new Tensor[n.inputCount()];
                int at = 0;
                for (int i = 0; i < out.length; i++) {
                  int len = n.inputShape(i)[d];
                  if (n.needsGrad(i)) out[i] = g.narrow(d, at, len);
                  at += len;
                }
                return out;
              })
          .linearTangent()
          .build();

  // ===============================================================================================
  // Calls with argument checks (Tensor's methods land here)
  // ===============================================================================================

  public static Tensor alias(Tensor x) {
    return ALIAS.call(null, x);
  }

  public static Tensor clone(Tensor x) {
    return CLONE.call(null, x);
  }

  public static Tensor view(Tensor x, int[] newShape) {
    int[] shape = Shapes.inferSize(newShape, x.numel());
    if (!x.isContiguous()) {
      throw new IllegalArgumentException(
          "view size "
              + Shapes.str(shape)
              + " is not compatible with input tensor's size "
              + Shapes.str(x.shapeRef())
              + " and stride "
              + Shapes.str(x.strideRef())
              + " (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.");
    }
    return VIEW.call(shape, x);
  }

  /** A view when the data is contiguous, otherwise a copy. */
  public static Tensor reshape(Tensor x, int[] newShape) {
    return view(x.isContiguous() ? x : clone(x), newShape);
  }

  public static Tensor flatten(Tensor x, int start, int end) {
    if (x.dim() == 0) return reshape(x, new int[] {1});
    int s = Shapes.normalizeDim(start, x.dim()), e = Shapes.normalizeDim(end, x.dim());
    if (s > e)
      throw new IllegalArgumentException(
          "flatten() has invalid args: start_dim cannot come after end_dim");
    int[] shape = x.shapeRef();
    int[] out = new int[shape.length - (e - s)];
    int k = 0;
    for (int d = 0; d < s; d++) out[k++] = shape[d];
    int m = 1;
    for (int d = s; d <= e; d++) m *= shape[d];
    out[k++] = m;
    for (int d = e + 1; d < shape.length; d++) out[k++] = shape[d];
    return reshape(x, out);
  }

  public static Tensor permute(Tensor x, int[] dims) {
    int r = x.dim();
    if (dims.length != r) {
      throw new IllegalArgumentException(
          "permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = "
              + r
              + " is not equal to len(dims) = "
              + dims.length);
    }
    int[] norm = new int[r];
    boolean[] seen = new boolean[r];
    for (int i = 0; i < r; i++) {
      int d = Shapes.normalizeDim(dims[i], r);
      if (seen[d])
        throw new IllegalArgumentException(
            "permute(): duplicate dims are not allowed: " + Arrays.toString(dims));
      seen[d] = true;
      norm[i] = d;
    }
    return PERMUTE.call(norm, x);
  }

  public static Tensor transpose(Tensor x, int dim0, int dim1) {
    return transpose(x, dim0, dim1, TRANSPOSE);
  }

  /** {@code x.t()}: a 2-D transpose recorded under PyTorch's name for it. */
  public static Tensor t(Tensor x) {
    if (x.dim() > 2)
      throw new IllegalArgumentException(
          "t() expects a tensor with <= 2 dimensions, but self is " + x.dim() + "D");
    return x.dim() < 2 ? alias(x) : transpose(x, 0, 1, T);
  }

  private static Tensor transpose(Tensor x, int dim0, int dim1, OpDef<DimPair> entry) {
    int r = x.dim();
    if (r == 0) return alias(x);
    return entry.call(new DimPair(Shapes.normalizeDim(dim0, r), Shapes.normalizeDim(dim1, r)), x);
  }

  public static Tensor expand(Tensor x, int[] target) {
    int[] in = x.shapeRef();
    if (target.length < in.length) {
      throw new IllegalArgumentException(
          "expand: the number of sizes provided ("
              + target.length
              + ") must be greater or equal to the number of dimensions in the tensor ("
              + in.length
              + ")");
    }
    int[] shape = target.clone();
    int lead = shape.length - in.length;
    for (int d = 0; d < shape.length; d++) {
      int src = d - lead;
      if (shape[d] < -1) {
        throw new IllegalArgumentException(
            "expand: the expanded size of the tensor ("
                + shape[d]
                + ") at dimension "
                + d
                + " must be non-negative (or -1 to keep the existing size). Target sizes: "
                + Shapes.str(target)
                + ".  Tensor sizes: "
                + Shapes.str(in));
      }
      if (shape[d] == -1) {
        if (src < 0)
          throw new IllegalArgumentException(
              "expand: -1 is not allowed in a leading, non-existing dimension " + d);
        shape[d] = in[src];
      } else if (src >= 0 && in[src] != 1 && in[src] != shape[d]) {
        throw new IllegalArgumentException(
            "The expanded size of the tensor ("
                + shape[d]
                + ") must match the existing size ("
                + in[src]
                + ") at non-singleton dimension "
                + d
                + ".  Target sizes: "
                + Shapes.str(target)
                + ".  Tensor sizes: "
                + Shapes.str(in));
      }
    }
    if (Arrays.equals(shape, in)) return x;
    Shapes.numel(shape); // a view too must count its elements in an int (the JVM's array limit)
    return EXPAND.call(shape, x);
  }

  /** Python's {@code x[..., start:end:step]} on {@code dim}; indices clamp like Python's. */
  public static Tensor slice(Tensor x, int dim, int start, int end, int step) {
    if (x.dim() == 0)
      throw new IllegalArgumentException("slice() cannot be applied to a 0-dim tensor.");
    if (step <= 0) throw new IllegalArgumentException("slice step must be positive, got " + step);
    int d = Shapes.normalizeDim(dim, x.dim());
    int size = x.shapeRef()[d];
    return SLICE.call(new Slice(d, clampIndex(start, size), clampIndex(end, size), step), x);
  }

  private static int clampIndex(int i, int size) {
    if (i < 0) i += size;
    return Math.max(0, Math.min(size, i));
  }

  public static Tensor select(Tensor x, int dim, int index) {
    if (x.dim() == 0)
      throw new IllegalArgumentException("select() cannot be applied to a 0-dim tensor.");
    int d = Shapes.normalizeDim(dim, x.dim());
    int size = x.shapeRef()[d];
    if (index < -size || index >= size) {
      throw new IndexOutOfBoundsException(
          "select(): index "
              + index
              + " out of range for tensor of size "
              + Shapes.str(x.shapeRef())
              + " at dimension "
              + d);
    }
    return SELECT.call(new Index(d, index < 0 ? index + size : index), x);
  }

  /** Removes {@code dim} if it has size 1 (every size-1 dim when {@code dim} is null). */
  public static Tensor squeeze(Tensor x, Integer dim) {
    if (dim == null) return SQUEEZE.call(null, x);
    if (x.dim() == 0) return alias(x);
    int d = Shapes.normalizeDim(dim, x.dim());
    return x.shapeRef()[d] != 1 ? alias(x) : SQUEEZE.call(d, x);
  }

  public static Tensor unsqueeze(Tensor x, int dim) {
    return UNSQUEEZE.call(Shapes.normalizeDim(dim, x.dim() + 1), x);
  }

  public static Tensor cat(int dim, Tensor... xs) {
    if (xs.length == 0)
      throw new IllegalArgumentException("cat(): expected a non-empty list of Tensors");
    Tensor first = xs[0];
    for (int i = 0; i < xs.length; i++) {
      if (xs[i] == null)
        throw new NullPointerException("cat(): tensor number " + i + " in the list is null");
      if (xs[i].dim() == 0) {
        throw new IllegalArgumentException(
            "cat(): zero-dimensional tensor (at position "
                + i
                + ") cannot be concatenated; use stack, or unsqueeze(0) it first");
      }
    }
    int d = Shapes.normalizeDim(dim, first.dim());
    for (int i = 0; i < xs.length; i++) {
      Tensor t = xs[i];
      if (t.dim() != first.dim()) {
        throw new IllegalArgumentException(
            "Tensors must have same number of dimensions: got " + first.dim() + " and " + t.dim());
      }
      for (int k = 0; k < t.dim(); k++) {
        if (k != d && t.shapeRef()[k] != first.shapeRef()[k]) {
          throw new IllegalArgumentException(
              "Sizes of tensors must match except in dimension "
                  + d
                  + ". Expected size "
                  + first.shapeRef()[k]
                  + " but got size "
                  + t.shapeRef()[k]
                  + " for tensor number "
                  + i
                  + " in the list.");
        }
      }
    }
    return CAT.call(d, xs);
  }

  public static Tensor stack(int dim, Tensor... xs) {
    if (xs.length == 0) throw new IllegalArgumentException("stack expects a non-empty TensorList");
    int d = Shapes.normalizeDim(dim, xs[0].dim() + 1);
    Tensor[] parts = new Tensor[xs.length];
    for (int i = 0; i < xs.length; i++) {
      if (!Arrays.equals(xs[i].shapeRef(), xs[0].shapeRef())) {
        throw new IllegalArgumentException(
            "stack expects each tensor to be equal size, but got "
                + Shapes.str(xs[0].shapeRef())
                + " at entry 0 and "
                + Shapes.str(xs[i].shapeRef())
                + " at entry "
                + i);
      }
      parts[i] = xs[i].unsqueeze(d);
    }
    return cat(d, parts);
  }

  private static int[] remove(int[] a, int d) {
    int[] out = new int[a.length - 1];
    for (int i = 0, k = 0; i < a.length; i++) if (i != d) out[k++] = a[i];
    return out;
  }

  private static int[] keep(int[] a, boolean[] drop) {
    int k = 0;
    for (boolean b : drop) if (!b) k++;
    int[] out = new int[k];
    k = 0;
    for (int i = 0; i < a.length; i++) if (!drop[i]) out[k++] = a[i];
    return out;
  }
}
