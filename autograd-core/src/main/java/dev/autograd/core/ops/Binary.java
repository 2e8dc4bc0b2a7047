package dev.autograd.core.ops;

import dev.autograd.core.DType;
import dev.autograd.core.Tensor;
import dev.autograd.core.internal.Tensors;
import dev.autograd.core.kernels.BinaryOp;
import dev.autograd.core.kernels.KernelProvider;
import dev.autograd.core.kernels.Kernels;
import dev.autograd.core.tensor.Shapes;
import dev.autograd.core.tensor.Storage;
import dev.autograd.core.tensor.StridedLoop;
import java.util.Arrays;

/**
 * How a binary element-wise entry of the op table is built ({@link ElementwiseOps}): PyTorch's
 * result type, the broadcast shape, and the kernel over any strides.
 */
final class Binary {
  private Binary() {}

  /** An entry computing {@code a op b} with broadcasting and dtype promotion. */
  static OpDef<Void> entry(
      String nodeName,
      BinaryOp op,
      OpDef.SaveRule<Void> saves,
      OpDef.Derivative<Void> derivative,
      OpDef.Tangent<Void> tangent) {
    return OpDef.<Void>op(nodeName)
        .shape(
            (in, none) ->
                OpDef.OutSpec.of(resultType(op, in[0], in[1]), broadcastShape(in[0], in[1])))
        .kernel((in, none, out) -> into(op, in[0], in[1], out))
        .saves(saves)
        .derivative(derivative)
        .tangent(tangent)
        .build();
  }

  /** {@code a + b} of two tangents where either may be null (a zero tangent). */
  static Tensor plus(Tensor a, Tensor b) {
    return a == null ? b : b == null ? a : a.add(b);
  }

  /**
   * The strides of a and b broadcast to y's shape, then y's: the three rows a strided loop walks.
   */
  static int[][] stridesInto(Tensor a, Tensor b, Tensor y) {
    int[] shape = y.shapeRef();
    return new int[][] {
      Shapes.broadcastStridesForReading(a.shapeRef(), a.strideRef(), shape),
      Shapes.broadcastStridesForReading(b.shapeRef(), b.strideRef(), shape),
      y.strideRef()
    };
  }

  static int[] broadcastShape(Tensor a, Tensor b) {
    return Arrays.equals(a.shapeRef(), b.shapeRef())
        ? a.shapeRef()
        : Shapes.broadcast(a.shapeRef(), b.shapeRef());
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

  /** Writes into a contiguous {@code y} of the broadcast shape and the result dtype. */
  static void into(BinaryOp op, Tensor a, Tensor b, Tensor y) {
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
      if (dt == DType.FLOAT32)
        k.binary(
            op,
            Tensors.storage(a).floats(),
            ao,
            1,
            Tensors.storage(b).floats(),
            bo,
            1,
            Tensors.storage(y).floats(),
            yo,
            n);
      else if (dt == DType.FLOAT64)
        k.binary(
            op,
            Tensors.storage(a).doubles(),
            ao,
            1,
            Tensors.storage(b).doubles(),
            bo,
            1,
            Tensors.storage(y).doubles(),
            yo,
            n);
      else generic(op, a, b, y, shape);
      return;
    }
    if ((dt == DType.FLOAT32 || dt == DType.FLOAT64) && y.isContiguous()) {
      // one operand a single value, the other laid out like y (x * 2.0, lr * g): one flat loop with
      // a zero stride, no row set-up
      boolean bOne = b.numel() == 1 && a.isContiguous() && Arrays.equals(a.shapeRef(), shape);
      boolean aOne =
          !bOne && a.numel() == 1 && b.isContiguous() && Arrays.equals(b.shapeRef(), shape);
      if (bOne || aOne) {
        int as = aOne ? 0 : 1, bs = bOne ? 0 : 1;
        if (dt == DType.FLOAT32)
          k.binary(
              op,
              Tensors.storage(a).floats(),
              ao,
              as,
              Tensors.storage(b).floats(),
              bo,
              bs,
              Tensors.storage(y).floats(),
              yo,
              n);
        else
          k.binary(
              op,
              Tensors.storage(a).doubles(),
              ao,
              as,
              Tensors.storage(b).doubles(),
              bo,
              bs,
              Tensors.storage(y).doubles(),
              yo,
              n);
        return;
      }
    }
    if (dt == DType.FLOAT32 && y.isContiguous() && shape.length > 0) {
      // one operand laid out like y, the other one value per row (x - x.amax(-1, true)): a flat
      // loop per row, as the strided walk would run, without its set-up
      boolean bCol = isColumnOf(b, shape) && a.isContiguous() && Arrays.equals(a.shapeRef(), shape);
      boolean aCol =
          !bCol && isColumnOf(a, shape) && b.isContiguous() && Arrays.equals(b.shapeRef(), shape);
      if (aCol || bCol) {
        float[] x = Tensors.storage(a).floats(),
            z = Tensors.storage(b).floats(),
            out = Tensors.storage(y).floats();
        int len = shape[shape.length - 1], rows = len == 0 ? 0 : n / len;
        for (int r = 0; r < rows; r++) {
          int ar = aCol ? ao + r : ao + r * len, br = bCol ? bo + r : bo + r * len;
          k.binary(op, x, ar, aCol ? 0 : 1, z, br, bCol ? 0 : 1, out, yo + r * len, len);
        }
        return;
      }
    }
    int[][] strides = Binary.stridesInto(a, b, y);
    int[] offs = {ao, bo, yo};
    if (dt == DType.FLOAT32) {
      float[] x = Tensors.storage(a).floats(),
          z = Tensors.storage(b).floats(),
          out = Tensors.storage(y).floats();
      StridedLoop.forEachRow(
          shape,
          strides,
          offs,
          (o, in, len) -> k.binary(op, x, o[0], in[0], z, o[1], in[1], out, o[2], len));
    } else if (dt == DType.FLOAT64) {
      double[] x = Tensors.storage(a).doubles(),
          z = Tensors.storage(b).doubles(),
          out = Tensors.storage(y).doubles();
      StridedLoop.forEachRow(
          shape,
          strides,
          offs,
          (o, in, len) -> k.binary(op, x, o[0], in[0], z, o[1], in[1], out, o[2], len));
    } else {
      generic(op, a, b, y, shape);
    }
  }

  /**
   * True when {@code t} holds one value per row of a contiguous tensor of {@code shape}: the same
   * shape with the last dim 1, contiguous.
   */
  private static boolean isColumnOf(Tensor t, int[] shape) {
    int[] s = t.shapeRef();
    int r = shape.length;
    if (s.length != r || s[r - 1] != 1 || shape[r - 1] <= 1 || !t.isContiguous()) return false;
    for (int d = 0; d < r - 1; d++) if (s[d] != shape[d]) return false;
    return true;
  }

  // integer and boolean operands: exact in double for |values| < 2^53
  private static void generic(BinaryOp op, Tensor a, Tensor b, Tensor y, int[] shape) {
    Storage sa = Tensors.storage(a), sb = Tensors.storage(b), out = Tensors.storage(y);
    int[][] strides = Binary.stridesInto(a, b, y);
    StridedLoop.forEachRow(
        shape,
        strides,
        new int[] {a.storageOffset(), b.storageOffset(), y.storageOffset()},
        (o, in, n) -> {
          for (int i = 0; i < n; i++) {
            out.set(o[2] + i * in[2], op.apply(sa.get(o[0] + i * in[0]), sb.get(o[1] + i * in[1])));
          }
        });
  }
}
