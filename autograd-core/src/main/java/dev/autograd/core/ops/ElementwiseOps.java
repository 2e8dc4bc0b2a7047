package dev.autograd.core.ops;

import static dev.autograd.core.ops.Unary.Saves.INPUT;
import static dev.autograd.core.ops.Unary.Saves.NOTHING;
import static dev.autograd.core.ops.Unary.Saves.OUTPUT;

import dev.autograd.core.DType;
import dev.autograd.core.Tensor;
import dev.autograd.core.kernels.BinaryOp;
import dev.autograd.core.kernels.CompareOp;
import dev.autograd.core.kernels.UnaryOp;
import dev.autograd.core.tensor.Shapes;

/**
 * The op table's element-wise family: unary math, binary math with broadcasting, clamp, where,
 * casts.
 */
public final class ElementwiseOps {
  private ElementwiseOps() {}

  /** The attribute of unary ops without a parameter. */
  public static final Double NO_PARAM = Unary.NO_PARAM;

  private static final double SQRT1_2 = 0.7071067811865476;
  private static final double INV_SQRT_2PI = 0.3989422804014327;
  private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;

  // ===============================================================================================
  // Unary: one line per op. Attribute: the op's parameter p (slope, exponent), else Unary.NO_PARAM.
  // ===============================================================================================

  //                                                node name            kernel               saves
  //  ints   derivative: g * dy/dx
  public static final OpDef<Double> NEG =
      Unary.entry("NegBackward0", UnaryOp.NEG, NOTHING, true, (g, x, y, p) -> g.neg());
  public static final OpDef<Double> EXP =
      Unary.entry(
          "ExpBackward0", UnaryOp.EXP, OUTPUT, false, (g, x, y, p) -> g.mul(y)); // e^x' = e^x
  public static final OpDef<Double> LOG =
      Unary.entry("LogBackward0", UnaryOp.LOG, INPUT, false, (g, x, y, p) -> g.div(x)); // 1/x
  public static final OpDef<Double> LOG1P =
      Unary.entry("Log1PBackward0", UnaryOp.LOG1P, INPUT, false, (g, x, y, p) -> g.div(x.add(1)));
  public static final OpDef<Double> EXPM1 =
      Unary.entry("Expm1Backward0", UnaryOp.EXPM1, OUTPUT, false, (g, x, y, p) -> g.mul(y.add(1)));
  public static final OpDef<Double> SQRT =
      Unary.entry(
          "SqrtBackward0",
          UnaryOp.SQRT,
          OUTPUT,
          false,
          (g, x, y, p) -> g.div(y.mul(2))); // 1/(2 sqrt x)
  public static final OpDef<Double> RSQRT =
      Unary.entry(
          "RsqrtBackward0",
          UnaryOp.RSQRT,
          OUTPUT,
          false,
          (g, x, y, p) -> g.mul(y.pow(3)).mul(-0.5));
  public static final OpDef<Double> ABS =
      Unary.entry("AbsBackward0", UnaryOp.ABS, INPUT, true, (g, x, y, p) -> g.mul(x.sign()));
  public static final OpDef<Double> SIN =
      Unary.entry("SinBackward0", UnaryOp.SIN, INPUT, false, (g, x, y, p) -> g.mul(x.cos()));
  public static final OpDef<Double> COS =
      Unary.entry("CosBackward0", UnaryOp.COS, INPUT, false, (g, x, y, p) -> g.mul(x.sin()).neg());
  public static final OpDef<Double> TAN =
      Unary.entry(
          "TanBackward0", UnaryOp.TAN, OUTPUT, false, (g, x, y, p) -> g.mul(y.square().add(1)));
  public static final OpDef<Double> TANH =
      Unary.entry(
          "TanhBackward0",
          UnaryOp.TANH,
          OUTPUT,
          false,
          (g, x, y, p) -> BackwardOps.tanhBackward(g, y)); // 1 - y^2
  public static final OpDef<Double> SIGMOID =
      Unary.entry(
          "SigmoidBackward0",
          UnaryOp.SIGMOID,
          OUTPUT,
          false,
          (g, x, y, p) -> BackwardOps.sigmoidBackward(g, y)); // y(1-y)
  // NOTE: relu's gradient at exactly 0 is 0, as in PyTorch (threshold_backward on the output).
  public static final OpDef<Double> RELU =
      Unary.entry(
          "ReluBackward0",
          UnaryOp.RELU,
          OUTPUT,
          true,
          (g, x, y, p) -> BackwardOps.reluBackward(g, y));
  public static final OpDef<Double> LEAKY_RELU =
      Unary.entry(
          "LeakyReluBackward0",
          UnaryOp.LEAKY_RELU,
          INPUT,
          false,
          (g, x, y, p) -> Tensor.where(x.gt(0), g, g.mul(p)));
  public static final OpDef<Double> RECIPROCAL =
      Unary.entry(
          "ReciprocalBackward0",
          UnaryOp.RECIPROCAL,
          OUTPUT,
          false,
          (g, x, y, p) -> g.mul(y.square()).neg()); // -1/x^2
  public static final OpDef<Double> SQUARE =
      Unary.entry("PowBackward0", UnaryOp.SQUARE, INPUT, true, (g, x, y, p) -> g.mul(x).mul(2));
  public static final OpDef<Double> POW =
      Unary.entry(
          "PowBackward0",
          UnaryOp.POW,
          INPUT,
          false,
          (g, x, y, p) -> p == 0 ? g.mul(0) : g.mul(x.pow(p - 1)).mul(p)); // c x^(c-1)
  public static final OpDef<Double> SOFTPLUS =
      Unary.entry(
          "SoftplusBackward0", UnaryOp.SOFTPLUS, INPUT, false, (g, x, y, p) -> g.mul(x.sigmoid()));
  public static final OpDef<Double> ERF =
      Unary.entry(
          "ErfBackward0",
          UnaryOp.ERF,
          INPUT,
          false,
          (g, x, y, p) -> g.mul(x.square().neg().exp()).mul(TWO_OVER_SQRT_PI));
  // d/dx x*Phi(x) = Phi(x) + x*phi(x)
  public static final OpDef<Double> GELU =
      Unary.entry(
          "GeluBackward0",
          UnaryOp.GELU,
          INPUT,
          false,
          (g, x, y, p) ->
              g.mul(
                  x.mul(SQRT1_2)
                      .erf()
                      .add(1)
                      .mul(0.5)
                      .add(x.mul(x.square().mul(-0.5).exp()).mul(INV_SQRT_2PI))));
  // d/dx x*s(x) = s(x) * (1 + x*(1 - s(x)))
  public static final OpDef<Double> SILU =
      Unary.entry(
          "SiluBackward0",
          UnaryOp.SILU,
          INPUT,
          false,
          (g, x, y, p) -> {
            Tensor s = x.sigmoid();
            return g.mul(s.mul(x.mul(s.rsub(1)).add(1)));
          });
  // piecewise-constant ops: zero gradient, as in PyTorch
  public static final OpDef<Double> SIGN =
      Unary.entry(
          "SignBackward0", UnaryOp.SIGN, NOTHING, true, (g, x, y, p) -> Tensor.zerosLike(g));
  public static final OpDef<Double> FLOOR =
      Unary.entry(
          "FloorBackward0", UnaryOp.FLOOR, NOTHING, true, (g, x, y, p) -> Tensor.zerosLike(g));
  public static final OpDef<Double> CEIL =
      Unary.entry(
          "CeilBackward0", UnaryOp.CEIL, NOTHING, true, (g, x, y, p) -> Tensor.zerosLike(g));
  public static final OpDef<Double> ROUND =
      Unary.entry(
          "RoundBackward0", UnaryOp.ROUND, NOTHING, true, (g, x, y, p) -> Tensor.zerosLike(g));

  // ===============================================================================================
  // Binary, with broadcasting and PyTorch's type promotion. Inputs: [a, b]; no attributes.
  // ===============================================================================================

  // d(a+b) = g, g
  public static final OpDef<Void> ADD =
      Binary.entry(
          "AddBackward0",
          BinaryOp.ADD,
          null,
          (g, n, none) -> new Tensor[] {g, g},
          (t, in, y, none) -> Binary.plus(t[0], t[1])); // ta + tb

  // d(a-b) = g, -g
  public static final OpDef<Void> SUB =
      Binary.entry(
          "SubBackward0",
          BinaryOp.SUB,
          null,
          (g, n, none) -> new Tensor[] {g, n.needsGrad(1) ? g.neg() : null},
          (t, in, y, none) ->
              t[1] == null ? t[0] : t[0] == null ? t[1].neg() : t[0].sub(t[1])); // ta - tb

  // d(ab) = g b, g a; saves only what the other side's gradient needs, so a constant factor is
  // never unpacked
  public static final OpDef<Void> MUL =
      Binary.entry(
          "MulBackward0",
          BinaryOp.MUL,
          (in, y, none) ->
              new Tensor[] {
                in[1].requiresGrad() ? in[0] : null, in[0].requiresGrad() ? in[1] : null
              },
          (g, n, none) ->
              new Tensor[] {
                n.needsGrad(0) ? g.mul(n.saved(1)) : null, n.needsGrad(1) ? g.mul(n.saved(0)) : null
              },
          (t, in, y, none) ->
              Binary.plus(
                  t[0] == null ? null : t[0].mul(in[1]),
                  t[1] == null ? null : in[0].mul(t[1]))); // ta b + a tb

  // d(a/b) = g/b, -g a/b^2
  public static final OpDef<Void> DIV =
      Binary.entry(
          "DivBackward0",
          BinaryOp.DIV,
          (in, y, none) -> new Tensor[] {in[1].requiresGrad() ? in[0] : null, in[1]},
          (g, n, none) -> {
            Tensor b = n.saved(1);
            return new Tensor[] {
              n.needsGrad(0) ? g.div(b) : null,
              n.needsGrad(1) ? g.neg().mul(n.saved(0)).div(b.square()) : null
            };
          },
          (t, in, y, none) ->
              Binary.plus(
                  t[0] == null ? null : t[0].div(in[1]),
                  t[1] == null ? null : t[1].mul(y).div(in[1]).neg())); // ta/b - tb a/b^2

  // the gradient goes to the larger (smaller) side, split evenly on ties
  public static final OpDef<Void> MAXIMUM =
      Binary.entry(
          "MaximumBackward0",
          BinaryOp.MAX,
          (in, y, none) -> in,
          (g, n, none) -> tieSplit(g, n, true),
          (t, in, y, none) -> tieTangent(t, in, true));
  public static final OpDef<Void> MINIMUM =
      Binary.entry(
          "MinimumBackward0",
          BinaryOp.MIN,
          (in, y, none) -> in,
          (g, n, none) -> tieSplit(g, n, false),
          (t, in, y, none) -> tieTangent(t, in, false));

  // d(a^b) = g b a^(b-1) (0 where b = 0, as PyTorch: no 0 * inf), g a^b log a (0 where a = 0 and
  // b >= 0, where a^b log a -> 0; at a = 0, b < 0 it is -inf, as PyTorch gives)
  public static final OpDef<Void> POW_TENSOR =
      Binary.entry(
          "PowBackward1",
          BinaryOp.POW,
          (in, y, none) -> new Tensor[] {in[0], in[1], y},
          (g, n, none) -> {
            Tensor a = n.saved(0), b = n.saved(1), zero = Tensor.scalar(0, g.dtype());
            Tensor ga =
                n.needsGrad(0) ? Tensor.where(b.eq(0), zero, g.mul(b).mul(a.pow(b.sub(1)))) : null;
            Tensor gb =
                n.needsGrad(1)
                    ? Tensor.where(
                        a.eq(0).logicalAnd(b.ge(0)), zero, g.mul(n.saved(2)).mul(a.log()))
                    : null;
            return new Tensor[] {ga, gb};
          },
          (t, in, y, none) -> { // the same two terms with the tangents in place of g
            Tensor a = in[0], b = in[1], zero = Tensor.scalar(0, y.dtype());
            Tensor ta =
                t[0] == null ? null : Tensor.where(b.eq(0), zero, t[0].mul(b).mul(a.pow(b.sub(1))));
            Tensor tb =
                t[1] == null
                    ? null
                    : Tensor.where(a.eq(0).logicalAnd(b.ge(0)), zero, t[1].mul(y).mul(a.log()));
            return Binary.plus(ta, tb);
          });

  // d atan2(a, b) = g b / (a^2 + b^2), -g a / (a^2 + b^2)
  public static final OpDef<Void> ATAN2 =
      Binary.entry(
          "Atan2Backward0",
          BinaryOp.ATAN2,
          (in, y, none) -> new Tensor[] {in[0], in[1]},
          (g, n, none) -> {
            Tensor a = n.saved(0), b = n.saved(1);
            Tensor scaled = g.div(a.square().add(b.square()));
            return new Tensor[] {
              n.needsGrad(0) ? scaled.mul(b) : null, n.needsGrad(1) ? scaled.mul(a).neg() : null
            };
          },
          (t, in, y, none) -> { // (ta b - tb a) / (a^2 + b^2)
            Tensor a = in[0], b = in[1];
            Tensor num =
                Binary.plus(
                    t[0] == null ? null : t[0].mul(b), t[1] == null ? null : t[1].mul(a).neg());
            return num.div(a.square().add(b.square()));
          });

  // PyTorch's rule: where(a == b, g / 2, g), zeroed on the losing side; with a NaN neither side
  // loses (the comparisons are false), so both get g. The tangent uses the same weights.
  private static Tensor[] tieWeights(
      Tensor a, Tensor b, boolean max, boolean needA, boolean needB) {
    Tensor half = Tensor.scalar(0.5, a.dtype()),
        one = Tensor.scalar(1, a.dtype()),
        zero = Tensor.scalar(0, a.dtype());
    Tensor tie = a.eq(b);
    Tensor wa =
        needA ? Tensor.where(tie, half, Tensor.where(max ? a.lt(b) : a.gt(b), zero, one)) : null;
    Tensor wb =
        needB ? Tensor.where(tie, half, Tensor.where(max ? a.gt(b) : a.lt(b), zero, one)) : null;
    return new Tensor[] {wa, wb};
  }

  // ta wa + tb wb
  private static Tensor tieTangent(Tensor[] t, Tensor[] in, boolean max) {
    Tensor[] w = tieWeights(in[0], in[1], max, t[0] != null, t[1] != null);
    return Binary.plus(t[0] == null ? null : t[0].mul(w[0]), t[1] == null ? null : t[1].mul(w[1]));
  }

  private static Tensor[] tieSplit(Tensor g, dev.autograd.core.engine.OpNode n, boolean max) {
    Tensor[] w = tieWeights(n.saved(0), n.saved(1), max, n.needsGrad(0), n.needsGrad(1));
    return new Tensor[] {w[0] != null ? g.mul(w[0]) : null, w[1] != null ? g.mul(w[1]) : null};
  }

  // ===============================================================================================
  // Clamp, where, masked fill, casts
  // ===============================================================================================

  /** clamp's bounds (infinite where open). */
  public record Range(double lo, double hi) {}

  // gradient passes where lo <= x <= hi (PyTorch names the node by which bounds were given)
  public static final OpDef<Range> CLAMP = clampEntry("ClampBackward1");
  public static final OpDef<Range> CLAMP_MIN = clampEntry("ClampMinBackward0");
  public static final OpDef<Range> CLAMP_MAX = clampEntry("ClampMaxBackward0");

  private static OpDef<Range> clampEntry(String nodeName) {
    return OpDef.<Range>op(nodeName)
        .name("clamp")
        .shape((in, r) -> OpDef.OutSpec.of(in[0].dtype(), in[0].shapeRef()))
        .kernel((in, r, out) -> Select.clampInto(in[0], r.lo(), r.hi(), out))
        .saves((in, y, r) -> new Tensor[] {in[0]})
        .derivative(
            (g, n, r) -> new Tensor[] {BackwardOps.clampBackward(g, n.saved(0), r.lo(), r.hi())})
        .tangent(
            (t, in, y, r) ->
                BackwardOps.clampBackward(
                    t[0], in[0], r.lo(), r.hi())) // the same mask on the tangent
        .build();
  }

  // cond ? a : b; inputs [cond, a, b]: g goes to the chosen side
  public static final OpDef<Void> WHERE =
      OpDef.<Void>op("WhereBackward0")
          .constantInputs(0)
          .shape(
              (in, none) ->
                  OpDef.OutSpec.of(
                      Select.whereType(in[1], in[2]), Select.whereShape(in[0], in[1], in[2])))
          .kernel((in, none, out) -> Select.whereInto(in[0], in[1], in[2], out))
          .saves((in, y, none) -> new Tensor[] {in[0]})
          .derivative(
              (g, n, none) -> {
                Tensor c = n.saved(0), zero = Tensor.scalar(0, g.dtype());
                return new Tensor[] {
                  null,
                  n.needsGrad(1) ? Tensor.where(c, g, zero) : null,
                  n.needsGrad(2) ? Tensor.where(c, zero, g) : null
                };
              })
          .tangent(
              (t, in, y, none) -> {
                Tensor zero = Tensor.scalar(0, y.dtype());
                return Tensor.where(in[0], t[1] == null ? zero : t[1], t[2] == null ? zero : t[2]);
              })
          .build();

  // x with the fill value where the (broadcast) mask is true; inputs [x, mask]; gradient 0 there
  public static final OpDef<Double> MASKED_FILL =
      OpDef.<Double>op("MaskedFillBackward0")
          .name("masked_fill")
          .constantInputs(1)
          .shape((in, value) -> OpDef.OutSpec.of(in[0].dtype(), in[0].shapeRef()))
          .kernel(
              (in, value, out) ->
                  Select.whereInto(
                      in[1].expand(in[0].shapeRef()),
                      Tensor.scalar(value, in[0].dtype()),
                      in[0],
                      out))
          .saves((in, y, value) -> new Tensor[] {in[1]})
          .derivative((g, n, value) -> new Tensor[] {g.maskedFill(n.saved(0), 0), null})
          .tangent((t, in, y, value) -> t[0].maskedFill(in[1], 0))
          .build();

  // a copy in another floating dtype; gradient: g back in the input's dtype
  public static final OpDef<DType> TO_COPY =
      OpDef.<DType>op("ToCopyBackward0")
          .name("to")
          .shape((in, dtype) -> OpDef.OutSpec.of(dtype, in[0].shapeRef()))
          .kernel((in, dtype, out) -> Creation.copyValues(in[0], out))
          .derivative((g, n, dtype) -> new Tensor[] {g.to(n.inputDtype(0))})
          .linearTangent()
          .build();

  // ===============================================================================================
  // Comparisons and logical not: BOOL results, no derivative
  // ===============================================================================================

  /** a op b (gt, lt, ge, le, eq, ne) with broadcasting, in the promoted dtype. */
  public static final OpDef<CompareOp> COMPARE =
      OpDef.<CompareOp>op("compare")
          .nondifferentiable()
          .shape((in, op) -> OpDef.OutSpec.of(DType.BOOL, Binary.broadcastShape(in[0], in[1])))
          .kernel((in, op, out) -> Select.compareInto(op, in[0], in[1], out))
          .build();

  public static final OpDef<Void> LOGICAL_AND = logicalEntry("logical_and", true);
  public static final OpDef<Void> LOGICAL_OR = logicalEntry("logical_or", false);

  private static OpDef<Void> logicalEntry(String name, boolean and) {
    return OpDef.<Void>op(name)
        .nondifferentiable()
        .shape((in, none) -> OpDef.OutSpec.of(DType.BOOL, Binary.broadcastShape(in[0], in[1])))
        .kernel((in, none, out) -> Select.logicalInto(and, in[0], in[1], out))
        .build();
  }

  public static final OpDef<Void> LOGICAL_NOT =
      OpDef.<Void>op("logical_not")
          .nondifferentiable()
          .shape((in, none) -> OpDef.OutSpec.of(DType.BOOL, in[0].shapeRef()))
          .kernel((in, none, out) -> Select.logicalNotInto(in[0], out))
          .build();

  // ===============================================================================================
  // Calls with argument checks (Tensor's methods land here)
  // ===============================================================================================

  /** A number as a 0-dim tensor that takes {@code like}'s dtype (PyTorch's wrapped scalars). */
  public static Tensor wrap(double value, Tensor like) {
    DType dt =
        like.dtype().isFloatingPoint()
            ? like.dtype()
            : (value == Math.rint(value) && !Double.isInfinite(value)
                ? DType.INT64
                : DType.FLOAT32);
    return Tensor.scalar(value, dt);
  }

  /** A copy in another dtype; differentiable between floating dtypes. */
  public static Tensor cast(Tensor x, DType dtype) {
    if (x.dtype() == dtype) return x;
    return dtype.isFloatingPoint() ? TO_COPY.call(dtype, x) : Creation.copyOf(x, dtype);
  }

  /** Clamps to [min, max] (null = open). */
  public static Tensor clamp(Tensor x, Double min, Double max) {
    if (min == null && max == null)
      throw new IllegalArgumentException("clamp: at least one of 'min' or 'max' must not be None");
    Range r =
        new Range(
            min == null ? Double.NEGATIVE_INFINITY : min,
            max == null ? Double.POSITIVE_INFINITY : max);
    return (max == null ? CLAMP_MIN : min == null ? CLAMP_MAX : CLAMP).call(r, x);
  }

  public static Tensor where(Tensor cond, Tensor a, Tensor b) {
    if (cond.dtype() != DType.BOOL) {
      throw new IllegalArgumentException(
          "where expected condition to be a boolean tensor, but got a tensor with dtype "
              + cond.dtype().torchName());
    }
    return WHERE.call(null, cond, a, b);
  }

  public static Tensor maskedFill(Tensor x, Tensor mask, double value) {
    if (mask.dtype() != DType.BOOL) {
      throw new IllegalArgumentException(
          "masked_fill only supports boolean masks, but got mask with dtype "
              + mask.dtype().torchName());
    }
    Shapes.broadcast(x.shapeRef(), mask.shapeRef()); // checks compatibility
    return MASKED_FILL.call(value, x, mask);
  }

  public static Tensor compare(CompareOp op, Tensor a, Tensor b) {
    return COMPARE.call(op, a, b);
  }

  public static Tensor logicalNot(Tensor x) {
    return LOGICAL_NOT.call(null, x);
  }

  public static boolean allclose(Tensor a, Tensor b, double rtol, double atol) {
    if (!java.util.Arrays.equals(a.shapeRef(), b.shapeRef())) return false;
    double[] x = a.toDoubleArray(), y = b.toDoubleArray();
    for (int i = 0; i < x.length; i++) {
      if (!(Math.abs(x[i] - y[i]) <= atol + rtol * Math.abs(y[i])) && !(x[i] == y[i])) return false;
    }
    return true;
  }
}
