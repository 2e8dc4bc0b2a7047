package dev.autograd.core.ops;

import dev.autograd.core.DType;
import dev.autograd.core.Tensor;
import dev.autograd.core.internal.Tensors;
import dev.autograd.core.kernels.KernelProvider;
import dev.autograd.core.kernels.Kernels;
import dev.autograd.core.kernels.UnaryOp;
import dev.autograd.core.tensor.Storage;
import dev.autograd.core.tensor.StridedLoop;

/**
 * How a unary element-wise entry of the op table is built ({@link ElementwiseOps}): the kernel,
 * what the derivative reads back, and the derivative as one formula in {@code g}, the input {@code
 * x}, the output {@code y} and the op's parameter {@code p} (slope, exponent).
 */
final class Unary {
  private Unary() {}

  /** d(op)/dx times the upstream gradient {@code g}, written with differentiable ops. */
  @FunctionalInterface
  interface Derivative {
    Tensor apply(Tensor g, Tensor x, Tensor y, double p);
  }

  /** What the derivative reads back: nothing, the input x, the output y, or both. */
  enum Saves {
    NOTHING,
    INPUT,
    OUTPUT,
    BOTH
  }

  /** The attribute of ops without a parameter (one boxed zero, shared). */
  static final Double NO_PARAM = 0.0;

  /**
   * An entry: integer inputs become FLOAT32 unless {@code keepsIntegers} (abs, neg, sign, rounding
   * keep them); saved values are [x, y] as {@code saves} says.
   */
  static OpDef<Double> entry(
      String nodeName, UnaryOp kernel, Saves saves, boolean keepsIntegers, Derivative derivative) {
    boolean input = saves == Saves.INPUT || saves == Saves.BOTH;
    boolean output = saves == Saves.OUTPUT || saves == Saves.BOTH;
    return OpDef.<Double>op(nodeName)
        .shape(
            (in, p) ->
                OpDef.OutSpec.of(
                    keepsIntegers || in[0].dtype().isFloatingPoint()
                        ? in[0].dtype()
                        : DType.FLOAT32,
                    in[0].shapeRef()))
        .kernel((in, p, out) -> into(kernel, p, in[0], out))
        .saves(
            saves == Saves.NOTHING
                ? null
                : (in, y, p) -> new Tensor[] {input ? in[0] : null, output ? y : null})
        .derivative(
            (g, n, p) ->
                new Tensor[] {
                  derivative.apply(g, input ? n.saved(0) : null, output ? n.saved(1) : null, p)
                })
        // element-wise: the JVP is the same product with the tangent in place of g (dy = f'(x) dx)
        .tangent((t, in, y, p) -> derivative.apply(t[0], in[0], y, p))
        .build();
  }

  /**
   * Writes {@code op(x)} into a contiguous {@code y} of x's shape (converting x to y's dtype
   * first).
   */
  static void into(UnaryOp op, double p, Tensor x, Tensor y) {
    if (x.dtype() != y.dtype()) x = Creation.copyOf(x, y.dtype());

    Storage src = Tensors.storage(x);
    int n = y.numel(), yo = y.storageOffset();
    // one element (scalar graphs): the plain-Java kernel, without the vector set-up
    Kernels k = n == 1 ? KernelProvider.scalar() : KernelProvider.get();
    boolean flat = x.isContiguous();
    int[][] strides =
        flat && x.dtype().isFloatingPoint()
            ? null
            : new int[][] {x.strideRef(), y.strideRef()}; // the flat loop needs no rows
    int[] offs = strides == null ? null : new int[] {x.storageOffset(), yo};
    switch (x.dtype()) {
      case FLOAT32:
        {
          float[] a = src.floats(), out = Tensors.storage(y).floats();
          if (flat) k.unary(op, p, a, x.storageOffset(), 1, out, yo, n);
          else
            StridedLoop.forEachRow(
                x.shapeRef(),
                strides,
                offs,
                (o, in, len) -> k.unary(op, p, a, o[0], in[0], out, o[1], len));
          break;
        }
      case FLOAT64:
        {
          double[] a = src.doubles(), out = Tensors.storage(y).doubles();
          if (flat) k.unary(op, p, a, x.storageOffset(), 1, out, yo, n);
          else
            StridedLoop.forEachRow(
                x.shapeRef(),
                strides,
                offs,
                (o, in, len) -> k.unary(op, p, a, o[0], in[0], out, o[1], len));
          break;
        }
      default:
        {
          Storage out = Tensors.storage(y);
          StridedLoop.forEachRow(
              x.shapeRef(),
              strides,
              offs,
              (o, in, len) -> {
                for (int i = 0; i < len; i++)
                  out.set(o[1] + i * in[1], op.apply(src.get(o[0] + i * in[0]), p));
              });
        }
    }
  }
}
