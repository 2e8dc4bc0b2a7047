package dev.autograd.core.ops;

import dev.autograd.core.DType;
import dev.autograd.core.Reduction;
import dev.autograd.core.Tensor;
import dev.autograd.core.tensor.Shapes;
import java.util.Arrays;

/**
 * Loss functions. Each loss is written with differentiable ops, so its gradients (and second
 * derivatives) come from the ops it uses; the formulas, reductions and error messages follow
 * PyTorch 1.13.
 */
public final class Losses {
  private Losses() {}

  static Tensor reduce(Tensor loss, Reduction reduction) {
    switch (reduction) {
      case MEAN:
        return loss.mean();
      case SUM:
        return loss.sum();
      default:
        return loss;
    }
  }

  /** mean((x - y)^2); gradient 2 (x - y) / n. */
  public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
    return reduce(input.sub(target).square(), reduction);
  }

  /** mean(|x - y|); gradient sign(x - y) / n. */
  public static Tensor l1Loss(Tensor input, Tensor target, Reduction reduction) {
    return reduce(input.sub(target).abs(), reduction);
  }

  /** 0.5 d^2 / beta where |d| < beta, else |d| - 0.5 beta, with d = x - y (beta 0 is L1). */
  public static Tensor smoothL1Loss(Tensor input, Tensor target, Reduction reduction, double beta) {
    if (beta < 0)
      throw new IllegalArgumentException(
          "smooth_l1_loss does not support negative values for beta.");
    if (beta == 0) return l1Loss(input, target, reduction);
    Tensor d = input.sub(target);
    Tensor ad = d.abs();
    return reduce(
        Tensor.where(ad.lt(beta), d.square().mul(0.5 / beta), ad.sub(0.5 * beta)), reduction);
  }

  /** -w (y log x + (1 - y) log(1 - x)) with each log clamped at -100, as PyTorch does. */
  public static Tensor binaryCrossEntropy(
      Tensor input, Tensor target, Tensor weight, Reduction reduction) {
    if (!Arrays.equals(input.shapeRef(), target.shapeRef())) {
      throw new IllegalArgumentException(
          "binary_cross_entropy: using a target size ("
              + NnSupport.str(target)
              + ") that is different to the input size ("
              + NnSupport.str(input)
              + ") is not supported. Please ensure they have the same size.");
    }
    // the check as ops and a guarded toBoolean(), so that a compiled replay checks too (NaN fails
    // eq)
    Tensor one = Tensor.scalar(1, input.dtype()), zero = Tensor.scalar(0, input.dtype());
    boolean outside;
    try (dev.autograd.core.GradMode.Scope s = dev.autograd.core.GradMode.scope(false)) {
      outside = Tensor.where(input.clamp(0.0, 1.0).eq(input), zero, one).sum().toBoolean();
    }
    if (outside) {
      for (double v : NnSupport.values(input)) {
        if (!(v >= 0 && v <= 1)) {
          throw new IllegalArgumentException(
              "binary_cross_entropy: all elements of input should be between 0 and 1 (got "
                  + v
                  + "); use binaryCrossEntropyWithLogits for logits");
        }
      }
    }
    Tensor loss = BINARY_CROSS_ENTROPY.call(null, input, target);
    if (weight != null) loss = loss.mul(weight);
    return reduce(loss, reduction);
  }

  // -(y log x + (1 - y) log(1 - x)), logs clamped at -100. PyTorch's derivative, not the chain
  // rule through the clamped logs (which is 0/0 at x = 0 and x = 1):
  // d/dx = g (x - y) / max(x (1 - x), eps), eps the float 1e-12; d/dy = g (log(1 - x) - log x)
  private static final double BCE_EPSILON = 1e-12f; // PyTorch's EPSILON, a float

  /** The unreduced, unweighted binary cross entropy of probabilities: inputs [x, target]. */
  public static final OpDef<Void> BINARY_CROSS_ENTROPY =
      OpDef.<Void>op("BinaryCrossEntropyBackward0")
          .name("binary_cross_entropy")
          .compute(
              (in, none) -> {
                Tensor x = in[0], y = in[1];
                return y.mul(x.log().clampMin(-100))
                    .add(y.rsub(1).mul(x.rsub(1).log().clampMin(-100)))
                    .neg();
              })
          .saves((in, out, none) -> new Tensor[] {in[0], in[1]})
          .derivative(
              (g, n, none) -> {
                Tensor x = n.saved(0), y = n.saved(1);
                Tensor gx =
                    n.needsGrad(0)
                        ? g.mul(x.sub(y)).div(x.mul(x.rsub(1)).clampMin(BCE_EPSILON))
                        : null;
                Tensor gy = n.needsGrad(1) ? g.mul(x.rsub(1).log().sub(x.log())) : null;
                return new Tensor[] {gx, gy};
              })
          .tangent(
              (t, in, out, none) -> {
                Tensor x = in[0], y = in[1], sum = null;
                if (t[0] != null)
                  sum = t[0].mul(x.sub(y)).div(x.mul(x.rsub(1)).clampMin(BCE_EPSILON));
                if (t[1] != null) {
                  Tensor ty = t[1].mul(x.rsub(1).log().sub(x.log()));
                  sum = sum == null ? ty : sum.add(ty);
                }
                return sum;
              })
          .build();

  /**
   * The stable form of BCE on logits: (1 - y) x + (1 + (p - 1) y) (log1p(e^-|x|) + max(-x, 0)),
   * where p is {@code posWeight} (broadcast over the last dim) and the result is scaled by weight.
   */
  public static Tensor binaryCrossEntropyWithLogits(
      Tensor input, Tensor target, Tensor weight, Tensor posWeight, Reduction reduction) {
    if (!Arrays.equals(input.shapeRef(), target.shapeRef())) {
      throw new IllegalArgumentException(
          "binary_cross_entropy_with_logits: target size ("
              + NnSupport.str(target)
              + ") must be the same as input size ("
              + NnSupport.str(input)
              + ")");
    }
    Tensor softplusNeg =
        input.abs().neg().exp().log1p().add(input.neg().relu()); // -log(sigmoid(x))
    Tensor loss;
    if (posWeight != null) {
      Tensor logWeight = posWeight.sub(1).mul(target).add(1);
      loss = target.rsub(1).mul(input).add(logWeight.mul(softplusNeg));
    } else {
      loss = target.rsub(1).mul(input).add(softplusNeg);
    }
    if (weight != null) loss = loss.mul(weight);
    return reduce(loss, reduction);
  }

  /**
   * Negative log-likelihood of class indices: -w[t] logp[t] per sample; the mean divides by the sum
   * of w[t] over non-ignored samples. Input [N, C] (or [C], or [N, C, d...]), target [N] of INT64
   * (or [], or [N, d...]).
   */
  public static Tensor nllLoss(
      Tensor input, Tensor target, Tensor weight, Reduction reduction, long ignoreIndex) {
    Flat f = flatten("nll_loss", input, target, weight, ignoreIndex);
    Tensor ohw = f.oneHotWeighted(weight);
    // the target's entry picked by where, not by a one-hot product: a -inf elsewhere in the row
    // gives no 0 * -inf
    Tensor picked = Tensor.where(f.targetMask(), f.logp, Tensor.scalar(0, f.logp.dtype()));
    Tensor per =
        (weight == null ? picked : picked.mul(ohw))
            .sum(1)
            .neg(); // unweighted, ohw is the mask itself
    switch (reduction) {
      case MEAN:
        return per.sum().div(ohw.sum());
      case SUM:
        return per.sum();
      default:
        return per.reshape(f.perSampleShape);
    }
  }

  /**
   * Cross entropy of logits and class indices: nll(logSoftmax(x)), blended with label smoothing ε
   * as (1 - ε) nll + ε / C · smooth, where smooth = -Σ_c w_c logp_c (0 for ignored samples); the
   * mean divides by Σ w[t] over non-ignored samples (weighted) or by their count — PyTorch's
   * formula.
   */
  public static Tensor crossEntropy(
      Tensor input,
      Tensor target,
      Tensor weight,
      Reduction reduction,
      long ignoreIndex,
      double labelSmoothing) {
    if (labelSmoothing < 0 || labelSmoothing > 1) {
      throw new IllegalArgumentException(
          "cross_entropy: label_smoothing must be between 0.0 and 1.0. Got: " + labelSmoothing);
    }
    NnSupport.requireFloat("cross_entropy", "input", input);
    int classDim = input.dim() == 1 ? 0 : 1;
    Tensor logp = Softmax.logSoftmax(input, classDim);
    Tensor nll = nllLoss(logp, target, weight, reduction, ignoreIndex);
    if (labelSmoothing == 0) return nll;
    Flat f = flatten("cross_entropy", logp, target, weight, ignoreIndex);
    Tensor lp = weight == null ? f.logp : f.logp.mul(weight.reshape(1, f.classes));
    Tensor smooth =
        Tensor.where(
            f.ignoredMask(),
            Tensor.scalar(0, lp.dtype()),
            lp.sum(1).neg()); // ignored rows are 0, even with -inf logits
    Tensor reduced;
    switch (reduction) {
      case MEAN:
        // divided like nll: by Σ w[t] (weighted) or the count of non-ignored samples (PyTorch ≥
        // 1.12)
        reduced =
            smooth.sum().div(weight == null ? f.keptMask().sum() : f.oneHotWeighted(weight).sum());
        break;
      case SUM:
        reduced = smooth.sum();
        break;
      default:
        reduced = smooth.reshape(f.perSampleShape);
    }
    return nll.mul(1 - labelSmoothing).add(reduced.mul(labelSmoothing / f.classes));
  }

  /** Flattens class-index inputs to logp [M, C] and targets [M], checking shapes and ranges. */
  private static Flat flatten(
      String op, Tensor input, Tensor target, Tensor weight, long ignoreIndex) {
    NnSupport.requireFloat(op, "input", input);
    NnSupport.requireLong(op, "target", target);
    Tensor lp = input;
    int[] perSample;
    if (input.dim() == 1) {
      if (target.dim() != 0) {
        throw new IllegalArgumentException(
            op
                + ": an unbatched input "
                + NnSupport.str(input)
                + " expects a 0-dim target, got "
                + NnSupport.str(target));
      }
      lp = input.unsqueeze(0);
      perSample = new int[0];
    } else {
      if (input.dim() < 2)
        throw new IllegalArgumentException(
            op + ": expected input of 1 or more dims, got " + input.dim());
      int[] want = new int[input.dim() - 1];
      want[0] = input.size(0);
      for (int d = 2; d < input.dim(); d++) want[d - 1] = input.size(d);
      if (!Arrays.equals(want, target.shapeRef())) {
        throw new IllegalArgumentException(
            op
                + ": expected target of shape "
                + Shapes.str(want)
                + " for input of shape "
                + NnSupport.str(input)
                + ", got "
                + NnSupport.str(target));
      }
      perSample = want;
      if (input.dim() > 2) {
        int[] perm = new int[input.dim()];
        perm[0] = 0;
        for (int d = 2; d < input.dim(); d++) perm[d - 1] = d;
        perm[input.dim() - 1] = 1;
        lp = input.permute(perm).reshape(-1, input.size(1));
      }
    }
    int classes = lp.size(1);
    if (weight != null && (weight.dim() != 1 || weight.size(0) != classes)) {
      throw new IllegalArgumentException(
          op
              + ": weight tensor should be defined either for all "
              + classes
              + " classes or no classes but got weight tensor of shape: "
              + NnSupport.str(weight));
    }
    return new Flat(lp, target.reshape(-1), classes, perSample, input.dtype(), ignoreIndex);
  }

  /**
   * Class-index targets as table ops (one-hot rows by comparison with {@code arange(C)}), so a
   * compiled function replays them; the range check is a guarded {@code toBoolean()}.
   */
  private static final class Flat {
    final Tensor logp;
    final int classes;
    final int[] perSampleShape;

    /** 1 for samples whose target is not ignored, else 0, in the input's dtype. */
    private final Tensor kept;

    private final Tensor ignored;
    private final Tensor oneHot;

    Flat(
        Tensor logp,
        Tensor targets,
        int classes,
        int[] perSampleShape,
        DType dtype,
        long ignoreIndex) {
      this.logp = logp;
      this.classes = classes;
      this.perSampleShape = perSampleShape;
      Tensor one = Tensor.scalar(1, dtype), zero = Tensor.scalar(0, dtype);
      ignored = targets.eq(ignoreIndex);
      Tensor outside =
          Tensor.where(targets.lt(0), one, Tensor.where(targets.ge(classes), one, zero));
      if (Tensor.where(ignored, zero, outside).sum().toBoolean()) {
        for (long t : targets.toLongArray()) {
          if (t != ignoreIndex && (t < 0 || t >= classes)) {
            throw new IndexOutOfBoundsException(
                "Target " + t + " is out of bounds (classes: " + classes + ").");
          }
        }
      }
      kept = Tensor.where(ignored, zero, one);
      Tensor hits = targets.unsqueeze(1).eq(Tensor.arange(0, classes, 1, DType.INT64).unsqueeze(0));
      oneHot = Tensor.where(hits, one, zero).mul(kept.unsqueeze(1));
    }

    /** One-hot rows of the targets (zero rows for ignored ones), scaled by class weights. */
    Tensor oneHotWeighted(Tensor weight) {
      return weight == null ? oneHot : oneHot.mul(weight.reshape(1, classes));
    }

    /** BOOL [M, C]: true at each non-ignored sample's target class. */
    Tensor targetMask() {
      return oneHot.ne(0);
    }

    /** BOOL [M]: true for ignored samples. */
    Tensor ignoredMask() {
      return ignored;
    }

    /** 1 for samples whose target is not ignored, else 0. */
    Tensor keptMask() {
      return kept;
    }
  }
}
