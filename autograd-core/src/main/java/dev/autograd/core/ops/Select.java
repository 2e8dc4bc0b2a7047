package dev.autograd.core.ops;

import dev.autograd.core.DType;
import dev.autograd.core.Tensor;
import dev.autograd.core.internal.Tensors;
import dev.autograd.core.kernels.CompareOp;
import dev.autograd.core.kernels.KernelProvider;
import dev.autograd.core.kernels.Kernels;
import dev.autograd.core.tensor.Shapes;
import dev.autograd.core.tensor.Storage;
import dev.autograd.core.tensor.StridedLoop;

/** Forward kernels of comparisons, masks, where and clamp (no gradients here). */
final class Select {
  private Select() {}

  /** {@code a op b} with broadcasting into a contiguous BOOL {@code y} of the broadcast shape. */
  static void compareInto(CompareOp op, Tensor a, Tensor b, Tensor y) {
    DType dt = Binary.resultType(dev.autograd.core.kernels.BinaryOp.MAX, a, b);
    int[] shape = y.shapeRef();
    boolean[] out = Tensors.storage(y).bools();
    int as = flatStride(a, shape), bs = flatStride(b, shape);
    if (as >= 0 && bs >= 0 && y.isContiguous()) { // one flat loop: no row set-up, no allocation
      compareFlat(op, dt, a, as, b, bs, out, y.storageOffset(), y.numel());
      return;
    }
    int[][] strides = Binary.stridesInto(a, b, y);
    int[] offs = {a.storageOffset(), b.storageOffset(), y.storageOffset()};
    Kernels k = KernelProvider.get();
    if (a.dtype() != dt || b.dtype() != dt) {
      // mixed dtypes (labels against a float constant): each value rounded to dt as a converted
      // copy would hold it, without allocating that copy
      boolean toFloat = dt == DType.FLOAT32;
      Storage sa = Tensors.storage(a), sb = Tensors.storage(b);
      StridedLoop.forEachRow(
          shape,
          strides,
          offs,
          (o, in, n) -> {
            for (int i = 0; i < n; i++) {
              double u = sa.get(o[0] + i * in[0]), v = sb.get(o[1] + i * in[1]);
              out[o[2] + i] = toFloat ? op.test((float) u, (float) v) : op.test(u, v);
            }
          });
    } else if (dt == DType.FLOAT32) {
      float[] x = Tensors.storage(a).floats(), z = Tensors.storage(b).floats();
      StridedLoop.forEachRow(
          shape,
          strides,
          offs,
          (o, in, n) -> k.compare(op, x, o[0], in[0], z, o[1], in[1], out, o[2], n));
    } else if (dt == DType.FLOAT64) {
      double[] x = Tensors.storage(a).doubles(), z = Tensors.storage(b).doubles();
      StridedLoop.forEachRow(
          shape,
          strides,
          offs,
          (o, in, n) -> k.compare(op, x, o[0], in[0], z, o[1], in[1], out, o[2], n));
    } else {
      Storage sa = Tensors.storage(a), sb = Tensors.storage(b);
      StridedLoop.forEachRow(
          shape,
          strides,
          offs,
          (o, in, n) -> {
            for (int i = 0; i < n; i++)
              out[o[2] + i] = op.test(sa.get(o[0] + i * in[0]), sb.get(o[1] + i * in[1]));
          });
    }
  }

  /**
   * {@code a && b} (or {@code a || b}), nonzero as true, with broadcasting into a contiguous BOOL
   * {@code y}.
   */
  static void logicalInto(boolean and, Tensor a, Tensor b, Tensor y) {
    int[] shape = y.shapeRef();
    boolean[] out = Tensors.storage(y).bools();
    Storage sa = Tensors.storage(a), sb = Tensors.storage(b);
    int[][] strides = Binary.stridesInto(a, b, y);
    StridedLoop.forEachRow(
        shape,
        strides,
        new int[] {a.storageOffset(), b.storageOffset(), y.storageOffset()},
        (o, in, n) -> {
          for (int i = 0; i < n; i++) {
            boolean x = sa.get(o[0] + i * in[0]) != 0, z = sb.get(o[1] + i * in[1]) != 0;
            out[o[2] + i] = and ? x && z : x || z;
          }
        });
  }

  /** {@code !x} (x != 0) into a contiguous BOOL {@code y} of x's shape. */
  static void logicalNotInto(Tensor x, Tensor y) {
    boolean[] out = Tensors.storage(y).bools();
    Storage s = Tensors.storage(x);
    int[] k = {y.storageOffset()};
    Creation.forEachIndex(x, o -> out[k[0]++] = s.get(o) == 0);
  }

  /** The mask of elements outside [lo, hi] (where clamp's gradient is 0). */
  static Tensor outside(Tensor x, double lo, double hi) {
    Tensor y = Creation.zeros(DType.BOOL, x.shapeRef());
    boolean[] out = Tensors.storage(y).bools();
    Storage s = Tensors.storage(x);
    if (x.dtype() == DType.FLOAT32 && x.isContiguous()) { // flat loop
      float[] a = s.floats();
      int off = x.storageOffset();
      for (int i = 0; i < out.length; i++)
        out[i] =
            !(a[off + i] >= lo
                && a[off + i] <= hi); // NaN is outside, as in PyTorch's clamp_backward
      return y;
    }
    int[] k = {0};
    Creation.forEachIndex(
        x,
        o -> {
          double v = s.get(o);
          out[k[0]++] = !(v >= lo && v <= hi);
        });
    return y;
  }

  /** Writes x clamped to [lo, hi] into a contiguous {@code y} of x's shape and dtype. */
  static void clampInto(Tensor x, double lo, double hi, Tensor y) {
    Storage s = Tensors.storage(x);
    int[] k = {0};
    if (x.dtype() == DType.FLOAT32 && x.isContiguous()) { // one flat kernel
      float[] out = Tensors.storage(y).floats();
      int n = y.numel();
      Kernels kernels = n == 1 ? KernelProvider.scalar() : KernelProvider.get();
      kernels.clamp(
          s.floats(), x.storageOffset(), (float) lo, (float) hi, out, y.storageOffset(), n);
    } else if (x.dtype() == DType.FLOAT32) {
      float[] a = s.floats(), out = Tensors.storage(y).floats();
      float l = (float) lo, h = (float) hi;
      k[0] = y.storageOffset();
      Creation.forEachIndex(
          x,
          o -> {
            float v = a[o];
            float t = v < l ? l : v;
            out[k[0]++] =
                t > h
                    ? h
                    : t; // min(max(v, lo), hi) as PyTorch: NaN passes through, hi wins when lo > hi
          });
    } else {
      Storage out = Tensors.storage(y);
      k[0] = y.storageOffset();
      Creation.forEachIndex(
          x,
          o -> {
            double v = s.get(o);
            double t = v < lo ? lo : v;
            out.set(k[0]++, t > hi ? hi : t);
          });
    }
  }

  /** The dtype of {@code where(cond, a, b)}: the promoted dtype of a and b. */
  static DType whereType(Tensor a, Tensor b) {
    return Binary.resultType(dev.autograd.core.kernels.BinaryOp.MAX, a, b);
  }

  /** The broadcast shape of all three operands of {@code where}. */
  /**
   * The stride of {@code t} in one flat walk over a contiguous result of {@code shape}: 1 when laid
   * out like it, 0 for a single value, -1 when it needs a strided walk.
   */
  static int flatStride(Tensor t, int[] shape) {
    if (t.numel() == 1) return 0;
    return t.isContiguous() && java.util.Arrays.equals(t.shapeRef(), shape) ? 1 : -1;
  }

  private static void compareFlat(
      CompareOp op, DType dt, Tensor a, int as, Tensor b, int bs, boolean[] out, int yo, int n) {
    int ao = a.storageOffset(), bo = b.storageOffset();
    if (a.dtype() == dt && b.dtype() == dt && dt == DType.FLOAT32) {
      KernelProvider.get()
          .compare(
              op,
              Tensors.storage(a).floats(),
              ao,
              as,
              Tensors.storage(b).floats(),
              bo,
              bs,
              out,
              yo,
              n);
    } else if (a.dtype() == dt && b.dtype() == dt && dt == DType.FLOAT64) {
      KernelProvider.get()
          .compare(
              op,
              Tensors.storage(a).doubles(),
              ao,
              as,
              Tensors.storage(b).doubles(),
              bo,
              bs,
              out,
              yo,
              n);
    } else { // values rounded to dt as a converted copy would hold them
      boolean toFloat = dt == DType.FLOAT32;
      Storage sa = Tensors.storage(a), sb = Tensors.storage(b);
      for (int i = 0; i < n; i++) {
        double u = sa.get(ao + i * as), v = sb.get(bo + i * bs);
        out[yo + i] = toFloat ? op.test((float) u, (float) v) : op.test(u, v);
      }
    }
  }

  private static void whereFlat(Tensor cond, int cs, Tensor a, int as, Tensor b, int bs, Tensor y) {
    boolean[] c = Tensors.storage(cond).bools();
    int co = cond.storageOffset(), ao = a.storageOffset(), bo = b.storageOffset();
    int yo = y.storageOffset(), n = y.numel();
    if (y.dtype() == DType.FLOAT32) {
      float[] x = Tensors.storage(a).floats(), z = Tensors.storage(b).floats();
      float[] out = Tensors.storage(y).floats();
      for (int i = 0; i < n; i++) out[yo + i] = c[co + i * cs] ? x[ao + i * as] : z[bo + i * bs];
    } else {
      Storage x = Tensors.storage(a), z = Tensors.storage(b), out = Tensors.storage(y);
      for (int i = 0; i < n; i++)
        out.set(yo + i, c[co + i * cs] ? x.get(ao + i * as) : z.get(bo + i * bs));
    }
  }

  static int[] whereShape(Tensor cond, Tensor a, Tensor b) {
    return Shapes.broadcast(Shapes.broadcast(cond.shapeRef(), a.shapeRef()), b.shapeRef());
  }

  /**
   * {@code cond ? a : b} with broadcasting over all three, into a contiguous {@code y} of their
   * shape and dtype.
   */
  static void whereInto(Tensor cond, Tensor a, Tensor b, Tensor y) {
    DType dt = y.dtype();
    if (a.dtype() != dt) a = Creation.copyOf(a, dt);
    if (b.dtype() != dt) b = Creation.copyOf(b, dt);
    int[] shape = y.shapeRef();
    int cs = flatStride(cond, shape), as = flatStride(a, shape), bs = flatStride(b, shape);
    if (cs >= 0 && as >= 0 && bs >= 0 && y.isContiguous()) { // one flat loop, no allocation
      whereFlat(cond, cs, a, as, b, bs, y);
      return;
    }
    int[][] strides = {
      Shapes.broadcastStridesForReading(cond.shapeRef(), cond.strideRef(), shape),
      Shapes.broadcastStridesForReading(a.shapeRef(), a.strideRef(), shape),
      Shapes.broadcastStridesForReading(b.shapeRef(), b.strideRef(), shape),
      y.strideRef()
    };
    int[] offs = {cond.storageOffset(), a.storageOffset(), b.storageOffset(), y.storageOffset()};
    boolean[] c = Tensors.storage(cond).bools();
    if (dt == DType.FLOAT32) {
      float[] x = Tensors.storage(a).floats(),
          z = Tensors.storage(b).floats(),
          out = Tensors.storage(y).floats();
      StridedLoop.forEachRow(
          shape,
          strides,
          offs,
          (o, in, n) -> {
            if (in[0] == 1
                && in[1] == 0
                && in[2] == 1) { // maskedFill: one fill value, contiguous mask and input
              float v = x[o[1]];
              for (int i = 0; i < n; i++) out[o[3] + i] = c[o[0] + i] ? v : z[o[2] + i];
            } else {
              for (int i = 0; i < n; i++)
                out[o[3] + i] = c[o[0] + i * in[0]] ? x[o[1] + i * in[1]] : z[o[2] + i * in[2]];
            }
          });
    } else {
      Storage x = Tensors.storage(a), z = Tensors.storage(b), out = Tensors.storage(y);
      StridedLoop.forEachRow(
          shape,
          strides,
          offs,
          (o, in, n) -> {
            for (int i = 0; i < n; i++)
              out.set(
                  o[3] + i,
                  c[o[0] + i * in[0]] ? x.get(o[1] + i * in[1]) : z.get(o[2] + i * in[2]));
          });
    }
  }
}
