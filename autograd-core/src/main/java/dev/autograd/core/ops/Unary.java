package dev.autograd.core.ops;

import dev.autograd.core.DType;
import dev.autograd.core.GradMode;
import dev.autograd.core.Tensor;
import dev.autograd.core.engine.Graph;
import dev.autograd.core.engine.OpNode;
import dev.autograd.core.kernels.KernelProvider;
import dev.autograd.core.kernels.Kernels;
import dev.autograd.core.kernels.UnaryOp;
import dev.autograd.core.tensor.Storage;
import dev.autograd.core.tensor.StridedLoop;

/** One element-wise op of one tensor: its kernel and its derivative, side by side. */
public final class Unary {
  /** d(op)/dx times the upstream gradient {@code g}, written with differentiable ops. */
  @FunctionalInterface
  public interface Derivative {
    Tensor apply(Tensor g, Tensor x, Tensor y, double p);
  }

  /** What the derivative reads back: nothing, the input x, the output y, or both. */
  public enum Saves {
    NOTHING,
    INPUT,
    OUTPUT,
    BOTH
  }

  private final String nodeName;
  /** The op's name in error messages of its out= form: "exp" for ExpBackward0. */
  private final String opName;
  private final UnaryOp kernel;
  private final Saves saves;
  private final boolean keepsIntegers;
  private final Derivative derivative;
  /** The node derivative for p = 0 (most ops), made once instead of one capturing lambda per op. */
  private final OpNode.Derivative atZero;

  Unary(String nodeName, UnaryOp kernel, Saves saves, boolean keepsIntegers, Derivative derivative) {
    this.nodeName = nodeName;
    this.opName = nodeName.substring(0, nodeName.indexOf("Backward")).toLowerCase(java.util.Locale.ROOT);
    this.kernel = kernel;
    this.saves = saves;
    this.keepsIntegers = keepsIntegers;
    this.derivative = derivative;
    this.atZero = nodeDerivative(0);
  }

  private OpNode.Derivative nodeDerivative(double p) {
    boolean input = saves == Saves.INPUT || saves == Saves.BOTH;
    boolean output = saves == Saves.OUTPUT || saves == Saves.BOTH;
    return (g, node) -> new Tensor[] {derivative.apply(g, input ? node.saved(0) : null, output ? node.saved(1) : null, p)};
  }

  public Tensor apply(Tensor x) {
    return apply(x, 0);
  }

  /** Applies the op with parameter {@code p} (slope, exponent; ignored by most ops). */
  public Tensor apply(Tensor x, double p) {
    if (!x.dtype().isFloatingPoint() && !keepsIntegers) x = Creation.copyOf(x, DType.FLOAT32);
    Tensor y = forward(kernel, p, x);
    if (!x.requiresGrad() || !GradMode.isEnabled()) return y;
    Tensor[] saved;
    switch (saves) {
      case INPUT:
        saved = new Tensor[] {x, null};
        break;
      case OUTPUT:
        saved = new Tensor[] {null, y};
        break;
      case BOTH:
        saved = new Tensor[] {x, y};
        break;
      default:
        saved = null;
    }
    return Graph.record(nodeName, y, new Tensor[] {x}, saved, p == 0 ? atZero : nodeDerivative(p));
  }

  /**
   * The op written into {@code out} (x's shape, any strides; the {@code out=} form), without
   * history: {@link Out} checks that nothing needs recording.
   */
  public Tensor applyOut(Tensor x, double p, Tensor out) {
    if (!x.dtype().isFloatingPoint() && !keepsIntegers) x = Creation.copyOf(x, DType.FLOAT32);
    Out.check(opName, out, x.shapeRef(), x.dtype(), x);
    if (out.isContiguous()) into(kernel, p, x, out);
    else Creation.copyValues(forward(kernel, p, x), out); // the kernels write unit-stride rows
    return Out.written(out);
  }

  /** The kernel alone: a new contiguous tensor, no history. */
  static Tensor forward(UnaryOp op, double p, Tensor x) {
    Tensor y = Creation.uninitialized(x.dtype(), x.shapeRef());
    into(op, p, x, y);
    return y;
  }

  /** Writes into a contiguous {@code y} of x's shape and dtype. */
  private static void into(UnaryOp op, double p, Tensor x, Tensor y) {
    Storage src = x.storage();
    int n = y.numel(), yo = y.storageOffset();
    // one element (scalar graphs): the plain-Java kernel, without the vector set-up
    Kernels k = n == 1 ? KernelProvider.scalar() : KernelProvider.get();
    boolean flat = x.isContiguous();
    int[][] strides = {x.strideRef(), y.strideRef()};
    int[] offs = {x.storageOffset(), yo};
    switch (x.dtype()) {
      case FLOAT32: {
        float[] a = src.floats(), out = y.storage().floats();
        if (flat) k.unary(op, p, a, x.storageOffset(), 1, out, yo, n);
        else StridedLoop.forEachRow(x.shapeRef(), strides, offs, (o, in, len) -> k.unary(op, p, a, o[0], in[0], out, o[1], len));
        break;
      }
      case FLOAT64: {
        double[] a = src.doubles(), out = y.storage().doubles();
        if (flat) k.unary(op, p, a, x.storageOffset(), 1, out, yo, n);
        else StridedLoop.forEachRow(x.shapeRef(), strides, offs, (o, in, len) -> k.unary(op, p, a, o[0], in[0], out, o[1], len));
        break;
      }
      default: {
        Storage out = y.storage();
        StridedLoop.forEachRow(x.shapeRef(), strides, offs, (o, in, len) -> {
          for (int i = 0; i < len; i++) out.set(o[1] + i * in[1], op.apply(src.get(o[0] + i * in[0]), p));
        });
      }
    }
  }
}
