package dev.autograd.core.ops;

import static dev.autograd.core.ops.Unary.Saves.INPUT;
import static dev.autograd.core.ops.Unary.Saves.NOTHING;
import static dev.autograd.core.ops.Unary.Saves.OUTPUT;

import dev.autograd.core.DType;
import dev.autograd.core.Tensor;
import dev.autograd.core.engine.Graph;
import dev.autograd.core.kernels.BinaryOp;
import dev.autograd.core.kernels.UnaryOp;
import dev.autograd.core.tensor.Shapes;

/**
 * The element-wise op table: every unary op with its derivative on the same line, then the
 * binary ops with broadcasting ({@link Binary}), comparisons and selection ({@link Select}).
 */
public final class Elementwise {
  private Elementwise() {}

  private static final double SQRT1_2 = 0.7071067811865476;
  private static final double INV_SQRT_2PI = 0.3989422804014327;
  private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;

  //                                 node name            kernel               saves   ints   derivative: g * dy/dx
  public static final Unary NEG = new Unary("NegBackward0", UnaryOp.NEG, NOTHING, true, (g, x, y, p) -> g.neg());
  public static final Unary EXP = new Unary("ExpBackward0", UnaryOp.EXP, OUTPUT, false, (g, x, y, p) -> g.mul(y)); // e^x' = e^x
  public static final Unary LOG = new Unary("LogBackward0", UnaryOp.LOG, INPUT, false, (g, x, y, p) -> g.div(x)); // 1/x
  public static final Unary LOG1P = new Unary("Log1PBackward0", UnaryOp.LOG1P, INPUT, false, (g, x, y, p) -> g.div(x.add(1)));
  public static final Unary EXPM1 = new Unary("Expm1Backward0", UnaryOp.EXPM1, OUTPUT, false, (g, x, y, p) -> g.mul(y.add(1)));
  public static final Unary SQRT = new Unary("SqrtBackward0", UnaryOp.SQRT, OUTPUT, false, (g, x, y, p) -> g.div(y.mul(2))); // 1/(2 sqrt x)
  public static final Unary RSQRT = new Unary("RsqrtBackward0", UnaryOp.RSQRT, OUTPUT, false, (g, x, y, p) -> g.mul(y.pow(3)).mul(-0.5));
  public static final Unary ABS = new Unary("AbsBackward0", UnaryOp.ABS, INPUT, true, (g, x, y, p) -> g.mul(x.sign()));
  public static final Unary SIN = new Unary("SinBackward0", UnaryOp.SIN, INPUT, false, (g, x, y, p) -> g.mul(x.cos()));
  public static final Unary COS = new Unary("CosBackward0", UnaryOp.COS, INPUT, false, (g, x, y, p) -> g.mul(x.sin()).neg());
  public static final Unary TAN = new Unary("TanBackward0", UnaryOp.TAN, OUTPUT, false, (g, x, y, p) -> g.mul(y.square().add(1)));
  public static final Unary TANH = new Unary("TanhBackward0", UnaryOp.TANH, OUTPUT, false, (g, x, y, p) -> ActivationGrads.tanh(g, y)); // 1 - y^2
  public static final Unary SIGMOID = new Unary("SigmoidBackward0", UnaryOp.SIGMOID, OUTPUT, false, (g, x, y, p) -> ActivationGrads.sigmoid(g, y)); // y(1-y)
  // NOTE: relu's gradient at exactly 0 is 0, as in PyTorch (threshold_backward on the output).
  public static final Unary RELU = new Unary("ReluBackward0", UnaryOp.RELU, OUTPUT, true, (g, x, y, p) -> ThresholdGrad.relu(g, y));
  public static final Unary LEAKY_RELU = new Unary("LeakyReluBackward0", UnaryOp.LEAKY_RELU, INPUT, false, (g, x, y, p) -> Tensor.where(x.gt(0), g, g.mul(p)));
  public static final Unary RECIPROCAL = new Unary("ReciprocalBackward0", UnaryOp.RECIPROCAL, OUTPUT, false, (g, x, y, p) -> g.mul(y.square()).neg()); // -1/x^2
  public static final Unary SQUARE = new Unary("PowBackward0", UnaryOp.SQUARE, INPUT, true, (g, x, y, p) -> g.mul(x).mul(2));
  public static final Unary POW = new Unary("PowBackward0", UnaryOp.POW, INPUT, false, (g, x, y, p) -> p == 0 ? g.mul(0) : g.mul(x.pow(p - 1)).mul(p)); // c x^(c-1)
  public static final Unary SOFTPLUS = new Unary("SoftplusBackward0", UnaryOp.SOFTPLUS, INPUT, false, (g, x, y, p) -> g.mul(x.sigmoid()));
  public static final Unary ERF = new Unary("ErfBackward0", UnaryOp.ERF, INPUT, false, (g, x, y, p) -> g.mul(x.square().neg().exp()).mul(TWO_OVER_SQRT_PI));
  // d/dx x*Phi(x) = Phi(x) + x*phi(x)
  public static final Unary GELU = new Unary("GeluBackward0", UnaryOp.GELU, INPUT, false,
      (g, x, y, p) -> g.mul(x.mul(SQRT1_2).erf().add(1).mul(0.5).add(x.mul(x.square().mul(-0.5).exp()).mul(INV_SQRT_2PI))));
  // d/dx x*s(x) = s(x) * (1 + x*(1 - s(x)))
  public static final Unary SILU = new Unary("SiluBackward0", UnaryOp.SILU, INPUT, false,
      (g, x, y, p) -> { Tensor s = x.sigmoid(); return g.mul(s.mul(x.mul(s.rsub(1)).add(1))); });
  // piecewise-constant ops: zero gradient, as in PyTorch
  public static final Unary SIGN = new Unary("SignBackward0", UnaryOp.SIGN, NOTHING, true, (g, x, y, p) -> Tensor.zerosLike(g));
  public static final Unary FLOOR = new Unary("FloorBackward0", UnaryOp.FLOOR, NOTHING, true, (g, x, y, p) -> Tensor.zerosLike(g));
  public static final Unary CEIL = new Unary("CeilBackward0", UnaryOp.CEIL, NOTHING, true, (g, x, y, p) -> Tensor.zerosLike(g));
  public static final Unary ROUND = new Unary("RoundBackward0", UnaryOp.ROUND, NOTHING, true, (g, x, y, p) -> Tensor.zerosLike(g));

  /** Element-wise {@code a op b} with broadcasting and dtype promotion. */
  public static Tensor binary(BinaryOp op, Tensor a, Tensor b) {
    return Binary.apply(op, a, b);
  }

  /** {@code a op b} written into {@code out} (the {@code out=} form: no history; see {@link Out}). */
  public static Tensor binaryOut(String name, BinaryOp op, Tensor a, Tensor b, Tensor out) {
    return Binary.applyOut(name, op, a, b, out);
  }

  /** A number as a 0-dim tensor that takes {@code like}'s dtype (PyTorch's wrapped scalars). */
  public static Tensor wrap(double value, Tensor like) {
    DType dt = like.dtype().isFloatingPoint() ? like.dtype()
        : (value == Math.rint(value) && !Double.isInfinite(value) ? DType.INT64 : DType.FLOAT32);
    return Tensor.scalar(value, dt);
  }

  /** A copy in another dtype; differentiable between floating dtypes. */
  public static Tensor cast(Tensor x, DType dtype) {
    if (x.dtype() == dtype) return x;
    Tensor y = Creation.copyOf(x, dtype);
    if (!dtype.isFloatingPoint()) return y;
    DType from = x.dtype();
    return Graph.record("ToCopyBackward0", y, new Tensor[] {x}, null, (g, n) -> new Tensor[] {g.to(from)});
  }

  /** Clamps to [min, max] (null = open); gradient passes where the input is inside the range. */
  public static Tensor clamp(Tensor x, Double min, Double max) {
    if (min == null && max == null) throw new IllegalArgumentException("clamp: at least one of 'min' or 'max' must not be None");
    double lo = min == null ? Double.NEGATIVE_INFINITY : min;
    double hi = max == null ? Double.POSITIVE_INFINITY : max;
    Tensor y = Select.clampForward(x, lo, hi);
    return Graph.record(max == null ? "ClampMinBackward0" : min == null ? "ClampMaxBackward0" : "ClampBackward1", y, new Tensor[] {x}, new Tensor[] {x},
        (g, n) -> new Tensor[] {ThresholdGrad.clamp(g, n.saved(0), lo, hi)});
  }

  public static Tensor compare(dev.autograd.core.kernels.CompareOp op, Tensor a, Tensor b) {
    return Select.compare(op, a, b);
  }

  public static Tensor logicalNot(Tensor x) {
    return Select.logicalNot(x);
  }

  public static boolean allclose(Tensor a, Tensor b, double rtol, double atol) {
    if (!java.util.Arrays.equals(a.shapeRef(), b.shapeRef())) return false;
    double[] x = a.toDoubleArray(), y = b.toDoubleArray();
    for (int i = 0; i < x.length; i++) {
      if (!(Math.abs(x[i] - y[i]) <= atol + rtol * Math.abs(y[i])) && !(x[i] == y[i])) return false;
    }
    return true;
  }

  /** {@code cond ? a : b} with broadcasting; WhereBackward0 routes g to the chosen side. */
  public static Tensor where(Tensor cond, Tensor a, Tensor b) {
    Tensor y = Select.whereForward(cond, a, b);
    return Graph.record("WhereBackward0", y, new Tensor[] {null, a, b}, new Tensor[] {cond}, (g, n) -> {
      Tensor c = n.saved(0);
      Tensor zero = Tensor.scalar(0, g.dtype());
      return new Tensor[] {
        null,
        n.needsGrad(1) ? Tensor.where(c, g, zero) : null,
        n.needsGrad(2) ? Tensor.where(c, zero, g) : null
      };
    });
  }

  /** {@code x} with {@code value} where the (broadcast) mask is true; gradient 0 there. */
  public static Tensor maskedFill(Tensor x, Tensor mask, double value) {
    if (mask.dtype() != DType.BOOL) {
      throw new IllegalArgumentException("masked_fill only supports boolean masks, but got mask with dtype " + mask.dtype().torchName());
    }
    Shapes.broadcast(x.shapeRef(), mask.shapeRef()); // checks compatibility
    Tensor y = Select.whereForward(mask.expand(x.shapeRef()), Tensor.scalar(value, x.dtype()), x);
    return Graph.record("MaskedFillBackward0", y, new Tensor[] {x}, new Tensor[] {mask},
        (g, n) -> new Tensor[] {g.maskedFill(n.saved(0), 0)});
  }
}
