package dev.autograd.core.ops;

import dev.autograd.core.GradMode;
import dev.autograd.core.Tensor;
import dev.autograd.core.engine.Graph;
import dev.autograd.core.tensor.Shapes;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * Shape ops. Most are views (no copy: new shape and strides over the same storage); their
 * derivative maps the gradient back to the input's layout.
 */
public final class Movement {
  private Movement() {}

  private static Tensor view(Tensor x, int offset, int[] shape, int[] strides) {
    return Tensor.viewOf(x, offset, shape, strides);
  }

  /** A new tensor object over the same elements, with the same history. */
  public static Tensor alias(Tensor x) {
    Tensor y = view(x, x.storageOffset(), x.shapeRef(), x.strideRef());
    return Graph.record("AliasBackward0", y, new Tensor[] {x}, null, (g, n) -> new Tensor[] {g});
  }

  /** A contiguous copy; gradient g. */
  public static Tensor clone(Tensor x) {
    Tensor y = Creation.copyOf(x, x.dtype());
    return Graph.record("CloneBackward0", y, new Tensor[] {x}, null, (g, n) -> new Tensor[] {g});
  }

  public static Tensor view(Tensor x, int[] newShape) {
    int[] shape = Shapes.inferSize(newShape, x.numel());
    if (!x.isContiguous()) {
      throw new IllegalArgumentException(
          "view size " + Shapes.str(shape) + " is not compatible with input tensor's size "
              + Shapes.str(x.shapeRef()) + " and stride " + Shapes.str(x.strideRef())
              + " (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.");
    }
    Tensor y = view(x, x.storageOffset(), shape, Shapes.contiguousStrides(shape));
    int[] in = x.shapeRef();
    return Graph.record("ViewBackward0", y, new Tensor[] {x}, null, (g, n) -> new Tensor[] {g.reshape(in)});
  }

  /** A view when the data is contiguous, otherwise a copy. */
  public static Tensor reshape(Tensor x, int[] newShape) {
    return view(x.isContiguous() ? x : clone(x), newShape);
  }

  public static Tensor flatten(Tensor x, int start, int end) {
    if (x.dim() == 0) return reshape(x, new int[] {1});
    int s = Shapes.normalizeDim(start, x.dim()), e = Shapes.normalizeDim(end, x.dim());
    if (s > e) throw new IllegalArgumentException("flatten() has invalid args: start_dim cannot come after end_dim");
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
              + r + " is not equal to len(dims) = " + dims.length);
    }
    int[] shape = new int[r], strides = new int[r], inverse = new int[r];
    boolean[] seen = new boolean[r];
    for (int i = 0; i < r; i++) {
      int d = Shapes.normalizeDim(dims[i], r);
      if (seen[d]) throw new IllegalArgumentException("permute(): duplicate dims are not allowed: " + Arrays.toString(dims));
      seen[d] = true;
      shape[i] = x.shapeRef()[d];
      strides[i] = x.strideRef()[d];
      inverse[d] = i;
    }
    Tensor y = view(x, x.storageOffset(), shape, strides);
    return Graph.record("PermuteBackward0", y, new Tensor[] {x}, null, (g, n) -> new Tensor[] {g.permute(inverse)});
  }

  public static Tensor transpose(Tensor x, int dim0, int dim1) {
    return transpose(x, dim0, dim1, "TransposeBackward0");
  }

  /** {@code x.t()}: a 2-D transpose recorded under PyTorch's name for it. */
  public static Tensor t(Tensor x) {
    if (x.dim() > 2) throw new IllegalArgumentException("t() expects a tensor with <= 2 dimensions, but self is " + x.dim() + "D");
    return x.dim() < 2 ? alias(x) : transpose(x, 0, 1, "TBackward0");
  }

  private static Tensor transpose(Tensor x, int dim0, int dim1, String nodeName) {
    int r = x.dim();
    if (r == 0) return alias(x);
    int a = Shapes.normalizeDim(dim0, r), b = Shapes.normalizeDim(dim1, r);
    int[] shape = x.shape(), strides = x.stride();
    shape[a] = x.shapeRef()[b];
    shape[b] = x.shapeRef()[a];
    strides[a] = x.strideRef()[b];
    strides[b] = x.strideRef()[a];
    Tensor y = view(x, x.storageOffset(), shape, strides);
    return Graph.record(nodeName, y, new Tensor[] {x}, null, (g, n) -> new Tensor[] {g.transpose(a, b)});
  }

  public static Tensor expand(Tensor x, int[] target) {
    int[] in = x.shapeRef();
    if (target.length < in.length) {
      throw new IllegalArgumentException(
          "expand: the number of sizes provided (" + target.length + ") must be greater or equal to the number of dimensions in the tensor (" + in.length + ")");
    }
    int[] shape = target.clone();
    int lead = shape.length - in.length;
    for (int d = 0; d < shape.length; d++) {
      int src = d - lead;
      if (shape[d] == -1) {
        if (src < 0) throw new IllegalArgumentException("expand: -1 is not allowed in a leading, non-existing dimension " + d);
        shape[d] = in[src];
      } else if (src >= 0 && in[src] != 1 && in[src] != shape[d]) {
        throw new IllegalArgumentException(
            "The expanded size of the tensor (" + shape[d] + ") must match the existing size (" + in[src]
                + ") at non-singleton dimension " + d + ".  Target sizes: " + Shapes.str(target)
                + ".  Tensor sizes: " + Shapes.str(in));
      }
    }
    if (Arrays.equals(shape, in)) return x;
    Tensor y = view(x, x.storageOffset(), shape, Shapes.broadcastStrides(in, x.strideRef(), shape));
    return Graph.record("ExpandBackward0", y, new Tensor[] {x}, null, (g, n) -> new Tensor[] {g.sumTo(in)});
  }

  /** Python's {@code x[..., start:end:step]} on {@code dim}; indices clamp like Python's. */
  public static Tensor slice(Tensor x, int dim, int start, int end, int step) {
    if (x.dim() == 0) throw new IllegalArgumentException("slice() cannot be applied to a 0-dim tensor.");
    if (step <= 0) throw new IllegalArgumentException("slice step must be positive, got " + step);
    int d = Shapes.normalizeDim(dim, x.dim());
    int size = x.shapeRef()[d];
    int s = clampIndex(start, size), e = clampIndex(end, size);
    int len = e > s ? (e - s + step - 1) / step : 0;
    int[] shape = x.shape(), strides = x.stride();
    shape[d] = len;
    strides[d] = x.strideRef()[d] * step;
    Tensor y = view(x, x.storageOffset() + s * x.strideRef()[d], shape, strides);
    int[] in = x.shapeRef();
    return Graph.record("SliceBackward0", y, new Tensor[] {x}, null,
        (g, n) -> new Tensor[] {scatterIntoView(g, in, t -> t.slice(d, s, e, step))});
  }

  private static int clampIndex(int i, int size) {
    if (i < 0) i += size;
    return Math.max(0, Math.min(size, i));
  }

  public static Tensor select(Tensor x, int dim, int index) {
    if (x.dim() == 0) throw new IllegalArgumentException("select() cannot be applied to a 0-dim tensor.");
    int d = Shapes.normalizeDim(dim, x.dim());
    int size = x.shapeRef()[d];
    if (index < -size || index >= size) {
      throw new IndexOutOfBoundsException(
          "select(): index " + index + " out of range for tensor of size " + Shapes.str(x.shapeRef()) + " at dimension " + d);
    }
    int i = index < 0 ? index + size : index;
    int[] shape = remove(x.shapeRef(), d), strides = remove(x.strideRef(), d);
    Tensor y = view(x, x.storageOffset() + i * x.strideRef()[d], shape, strides);
    int[] in = x.shapeRef();
    return Graph.record("SelectBackward0", y, new Tensor[] {x}, null,
        (g, n) -> new Tensor[] {scatterIntoView(g, in, t -> t.select(d, i))});
  }

  /** Removes {@code dim} if it has size 1 (every size-1 dim when {@code dim} is null). */
  public static Tensor squeeze(Tensor x, Integer dim) {
    int[] in = x.shapeRef();
    int[] shape, strides;
    if (dim == null) {
      int k = 0;
      for (int s : in) if (s != 1) k++;
      shape = new int[k];
      strides = new int[k];
      k = 0;
      for (int d = 0; d < in.length; d++) {
        if (in[d] != 1) {
          shape[k] = in[d];
          strides[k++] = x.strideRef()[d];
        }
      }
    } else {
      if (x.dim() == 0) return alias(x);
      int d = Shapes.normalizeDim(dim, x.dim());
      if (in[d] != 1) return alias(x);
      shape = remove(in, d);
      strides = remove(x.strideRef(), d);
    }
    Tensor y = view(x, x.storageOffset(), shape, strides);
    return Graph.record("SqueezeBackward0", y, new Tensor[] {x}, null, (g, n) -> new Tensor[] {g.reshape(in)});
  }

  public static Tensor unsqueeze(Tensor x, int dim) {
    int d = Shapes.normalizeDim(dim, x.dim() + 1);
    int[] in = x.shapeRef();
    int[] shape = new int[in.length + 1], strides = new int[in.length + 1];
    for (int i = 0, k = 0; i < shape.length; i++) {
      if (i == d) {
        shape[i] = 1;
        strides[i] = k < in.length ? x.strideRef()[k] * in[k] : 1;
      } else {
        shape[i] = in[k];
        strides[i] = x.strideRef()[k++];
      }
    }
    Tensor y = view(x, x.storageOffset(), shape, strides);
    return Graph.record("UnsqueezeBackward0", y, new Tensor[] {x}, null, (g, n) -> new Tensor[] {g.squeeze(d)});
  }

  public static Tensor cat(int dim, Tensor... xs) {
    if (xs.length == 0) throw new IllegalArgumentException("cat(): expected a non-empty list of Tensors");
    Tensor first = xs[0];
    int d = Shapes.normalizeDim(dim, first.dim());
    int total = 0;
    dev.autograd.core.DType dt = first.dtype();
    for (int i = 0; i < xs.length; i++) {
      Tensor t = xs[i];
      if (t.dim() != first.dim()) {
        throw new IllegalArgumentException(
            "Tensors must have same number of dimensions: got " + first.dim() + " and " + t.dim());
      }
      for (int k = 0; k < t.dim(); k++) {
        if (k != d && t.shapeRef()[k] != first.shapeRef()[k]) {
          throw new IllegalArgumentException(
              "Sizes of tensors must match except in dimension " + d + ". Expected size " + first.shapeRef()[k]
                  + " but got size " + t.shapeRef()[k] + " for tensor number " + i + " in the list.");
        }
      }
      total += t.shapeRef()[d];
      dt = dev.autograd.core.DType.promote(dt, t.dtype());
    }
    int[] shape = first.shape();
    shape[d] = total;
    Tensor y = Tensor.empty(dt, shape);
    int[] sizes = new int[xs.length];
    int at = 0;
    for (int i = 0; i < xs.length; i++) {
      sizes[i] = xs[i].shapeRef()[d];
      Creation.copyValues(xs[i], rawSlice(y, d, at, sizes[i]));
      at += sizes[i];
    }
    return Graph.record("CatBackward0", y, xs, null, (g, n) -> {
      Tensor[] out = new Tensor[sizes.length];
      int o = 0;
      for (int i = 0; i < sizes.length; i++) {
        if (n.needsGrad(i)) out[i] = g.narrow(d, o, sizes[i]);
        o += sizes[i];
      }
      return out;
    });
  }

  private static Tensor rawSlice(Tensor y, int d, int start, int len) {
    int[] shape = y.shape();
    shape[d] = len;
    return Tensor.viewOf(y, y.storageOffset() + start * y.strideRef()[d], shape, y.strideRef());
  }

  public static Tensor stack(int dim, Tensor... xs) {
    if (xs.length == 0) throw new IllegalArgumentException("stack expects a non-empty TensorList");
    int d = Shapes.normalizeDim(dim, xs[0].dim() + 1);
    Tensor[] parts = new Tensor[xs.length];
    for (int i = 0; i < xs.length; i++) {
      if (!Arrays.equals(xs[i].shapeRef(), xs[0].shapeRef())) {
        throw new IllegalArgumentException(
            "stack expects each tensor to be equal size, but got " + Shapes.str(xs[0].shapeRef()) + " at entry 0 and "
                + Shapes.str(xs[i].shapeRef()) + " at entry " + i);
      }
      parts[i] = xs[i].unsqueeze(d);
    }
    return cat(d, parts);
  }

  /**
   * The gradient of a view op: zeros of the base's shape with {@code g} written into the view.
   * It is itself differentiable (its derivative applies the same view), so view ops have second
   * derivatives.
   */
  public static Tensor scatterIntoView(Tensor g, int[] baseShape, UnaryOperator<Tensor> viewOf) {
    Tensor out = Tensor.empty(g.dtype(), baseShape);
    try (GradMode.Scope s = GradMode.scope(false)) {
      Creation.copyValues(g, viewOf.apply(out));
    }
    return Graph.record("ViewScatterBackward0", out, new Tensor[] {g}, null, (gg, n) -> new Tensor[] {viewOf.apply(gg)});
  }

  private static int[] remove(int[] a, int d) {
    int[] out = new int[a.length - 1];
    for (int i = 0, k = 0; i < a.length; i++) if (i != d) out[k++] = a[i];
    return out;
  }
}
