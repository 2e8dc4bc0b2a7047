package dev.autograd.core.ops;

import dev.autograd.core.DType;
import dev.autograd.core.GradMode;
import dev.autograd.core.Tensor;
import dev.autograd.core.engine.Graph;
import dev.autograd.core.kernels.BinaryOp;
import dev.autograd.core.kernels.KernelProvider;
import dev.autograd.core.kernels.Kernels;
import dev.autograd.core.tensor.Shapes;
import dev.autograd.core.tensor.Storage;
import dev.autograd.core.tensor.StridedLoop;
import java.util.Arrays;

/** Binary element-wise ops with NumPy/PyTorch broadcasting: forward kernels and derivatives. */
final class Binary {
  private Binary() {}

  static Tensor apply(BinaryOp op, Tensor a, Tensor b) {
    DType dt = resultType(op, a, b);
    Tensor y = forward(op, a, b, dt);
    if (!(a.requiresGrad() || b.requiresGrad()) || !GradMode.isEnabled()) return y; // field reads before the thread-local
    switch (op) {
      case ADD: // d(a+b) = g, g
        return Graph.record("AddBackward0", y, new Tensor[] {a, b}, null, (g, n) -> new Tensor[] {g, g});
      case SUB: // d(a-b) = g, -g
        return Graph.record("SubBackward0", y, new Tensor[] {a, b}, null,
            (g, n) -> new Tensor[] {g, n.needsGrad(1) ? g.neg() : null});
      case MUL: // d(ab) = g b, g a
        return Graph.record("MulBackward0", y, new Tensor[] {a, b}, new Tensor[] {n0(a, b), n1(a, b)}, (g, n) -> new Tensor[] {
          n.needsGrad(0) ? g.mul(n.saved(1)) : null, n.needsGrad(1) ? g.mul(n.saved(0)) : null});
      case DIV: // d(a/b) = g/b, -g a/b^2
        return Graph.record("DivBackward0", y, new Tensor[] {a, b}, new Tensor[] {n0(a, b), b}, (g, n) -> {
          Tensor sb = n.saved(1);
          return new Tensor[] {
            n.needsGrad(0) ? g.div(sb) : null, n.needsGrad(1) ? g.neg().mul(n.saved(0)).div(sb.square()) : null};
        });
      case MAX:
      case MIN: // the gradient goes to the larger (smaller) side, split evenly on ties
        return Graph.record(op == BinaryOp.MAX ? "MaximumBackward0" : "MinimumBackward0", y, new Tensor[] {a, b},
            new Tensor[] {a, b}, (g, n) -> {
              Tensor wa = tieWeights(op, n.saved(0), n.saved(1));
              return new Tensor[] {
                n.needsGrad(0) ? g.mul(wa) : null, n.needsGrad(1) ? g.mul(wa.rsub(1)) : null};
            });
      case POW: // d(a^b) = g b a^(b-1), g a^b log a (0 where a = 0)
        return Graph.record("PowBackward1", y, new Tensor[] {a, b}, new Tensor[] {a, b, y}, (g, n) -> {
          Tensor sa = n.saved(0), sb = n.saved(1);
          Tensor ga = n.needsGrad(0) ? g.mul(sb).mul(sa.pow(sb.sub(1))) : null;
          Tensor gb = n.needsGrad(1)
              ? Tensor.where(sa.eq(0), Tensor.scalar(0, g.dtype()), g.mul(n.saved(2)).mul(sa.log())) : null;
          return new Tensor[] {ga, gb};
        });
      default:
        throw new IllegalStateException("no derivative for " + op);
    }
  }

  // MUL saves only what the other side's gradient needs, so a constant factor is never unpacked
  private static Tensor n0(Tensor a, Tensor b) {
    return b.requiresGrad() ? a : null;
  }

  private static Tensor n1(Tensor a, Tensor b) {
    return a.requiresGrad() ? b : null;
  }

  private static Tensor tieWeights(BinaryOp op, Tensor a, Tensor b) {
    Tensor wins = op == BinaryOp.MAX ? a.gt(b) : a.lt(b);
    Tensor w = wins.to(a.dtype());
    return Tensor.where(a.eq(b), Tensor.scalar(0.5, a.dtype()), w);
  }

  /**
   * PyTorch's result type: the wider dtype, except that a 0-dim operand does not widen a
   * dimensioned operand of the same category (so {@code float32 * float64 scalar} stays float32).
   * Division of integers is true division (FLOAT32).
   */
  static DType resultType(BinaryOp op, Tensor a, Tensor b) {
    DType da = a.dtype(), db = b.dtype();
    DType dt;
    if (da == db) {
      dt = da;
    } else if ((a.dim() == 0) != (b.dim() == 0)) {
      Tensor dimmed = a.dim() == 0 ? b : a;
      Tensor zero = a.dim() == 0 ? a : b;
      boolean df = dimmed.dtype().isFloatingPoint(), zf = zero.dtype().isFloatingPoint();
      dt = df == zf ? dimmed.dtype() : (df ? dimmed.dtype() : DType.FLOAT32);
      if (!df && !zf) dt = DType.promote(da, db);
    } else {
      dt = DType.promote(da, db);
    }
    if (dt == DType.BOOL && op != BinaryOp.MAX && op != BinaryOp.MIN) dt = DType.INT64;
    if (op == BinaryOp.DIV && !dt.isFloatingPoint()) dt = DType.FLOAT32;
    return dt;
  }

  /** The kernel alone: broadcast {@code a op b} into a new contiguous tensor of dtype {@code dt}. */
  static Tensor forward(BinaryOp op, Tensor a, Tensor b, DType dt) {
    boolean same = Arrays.equals(a.shapeRef(), b.shapeRef());
    Tensor y = Creation.uninitialized(dt, same ? a.shapeRef() : Shapes.broadcast(a.shapeRef(), b.shapeRef()));
    into(op, a, b, y);
    return y;
  }

  /**
   * {@code a op b} written into {@code y} (the broadcast shape, any strides; the ops'
   * {@code out=} form). Without history: {@link Out} checks that nothing needs recording.
   */
  static Tensor applyOut(String name, BinaryOp op, Tensor a, Tensor b, Tensor out) {
    DType dt = resultType(op, a, b);
    Out.check(name, out, Shapes.broadcast(a.shapeRef(), b.shapeRef()), dt, a, b);
    if (out.isContiguous()) into(op, a, b, out);
    else Creation.copyValues(forward(op, a, b, dt), out); // the kernels write unit-stride rows
    return Out.written(out);
  }

  /** Writes into a contiguous {@code y} of the broadcast shape and the result dtype. */
  private static void into(BinaryOp op, Tensor a, Tensor b, Tensor y) {
    DType dt = y.dtype();
    if (a.dtype() != dt) a = Creation.copyOf(a, dt);
    if (b.dtype() != dt) b = Creation.copyOf(b, dt);
    int[] shape = y.shapeRef();
    int n = y.numel();
    // one element (scalar graphs): the plain-Java kernel, without the vector set-up
    Kernels k = n == 1 ? KernelProvider.scalar() : KernelProvider.get();
    int ao = a.storageOffset(), bo = b.storageOffset(), yo = y.storageOffset();
    if (Arrays.equals(a.shapeRef(), b.shapeRef()) && a.isContiguous() && b.isContiguous()) {
      // fast path: one flat loop
      if (dt == DType.FLOAT32) k.binary(op, a.storage().floats(), ao, 1, b.storage().floats(), bo, 1, y.storage().floats(), yo, n);
      else if (dt == DType.FLOAT64) k.binary(op, a.storage().doubles(), ao, 1, b.storage().doubles(), bo, 1, y.storage().doubles(), yo, n);
      else generic(op, a, b, y, shape);
      return;
    }
    int[][] strides = {
      Shapes.broadcastStrides(a.shapeRef(), a.strideRef(), shape),
      Shapes.broadcastStrides(b.shapeRef(), b.strideRef(), shape),
      y.strideRef()
    };
    int[] offs = {ao, bo, yo};
    if (dt == DType.FLOAT32) {
      float[] x = a.storage().floats(), z = b.storage().floats(), out = y.storage().floats();
      StridedLoop.forEachRow(shape, strides, offs, (o, in, len) -> k.binary(op, x, o[0], in[0], z, o[1], in[1], out, o[2], len));
    } else if (dt == DType.FLOAT64) {
      double[] x = a.storage().doubles(), z = b.storage().doubles(), out = y.storage().doubles();
      StridedLoop.forEachRow(shape, strides, offs, (o, in, len) -> k.binary(op, x, o[0], in[0], z, o[1], in[1], out, o[2], len));
    } else {
      generic(op, a, b, y, shape);
    }
  }

  // integer and boolean operands: exact in double for |values| < 2^53
  private static void generic(BinaryOp op, Tensor a, Tensor b, Tensor y, int[] shape) {
    Storage sa = a.storage(), sb = b.storage(), out = y.storage();
    int[][] strides = {
      Shapes.broadcastStrides(a.shapeRef(), a.strideRef(), shape),
      Shapes.broadcastStrides(b.shapeRef(), b.strideRef(), shape),
      y.strideRef()
    };
    StridedLoop.forEachRow(shape, strides, new int[] {a.storageOffset(), b.storageOffset(), y.storageOffset()}, (o, in, n) -> {
      for (int i = 0; i < n; i++) {
        out.set(o[2] + i * in[2], op.apply(sa.get(o[0] + i * in[0]), sb.get(o[1] + i * in[1])));
      }
    });
  }
}
