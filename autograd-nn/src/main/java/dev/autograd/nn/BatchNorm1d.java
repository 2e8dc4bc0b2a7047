package dev.autograd.nn;

import dev.autograd.core.Autograd;
import dev.autograd.core.DType;
import dev.autograd.core.GradMode;
import dev.autograd.core.Tensor;

/**
 * Batch normalization over [N, C] or [N, C, L]: batch statistics in training (updating the
 * running_mean / running_var buffers with {@code momentum}, or a cumulative average when momentum
 * is null, and counting num_batches_tracked), the running statistics in eval mode.
 */
public class BatchNorm1d extends Module {
  private final int numFeatures;
  private final double eps;
  private final Double momentum;
  private final boolean affine, trackRunningStats;

  /**
   * Batch normalisation over {@code numFeatures} channels with PyTorch's defaults (eps 1e-5,
   * momentum 0.1, affine, running statistics).
   */
  public BatchNorm1d(int numFeatures) {
    this(numFeatures, 1e-5, 0.1, true, true);
  }

  /**
   * Batch normalisation with every option; a null {@code momentum} keeps a cumulative average, as
   * in PyTorch.
   */
  public BatchNorm1d(
      int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
    this.numFeatures = numFeatures;
    this.eps = eps;
    this.momentum = momentum;
    this.affine = affine;
    this.trackRunningStats = trackRunningStats;
    registerParameter("weight", affine ? Tensor.ones(numFeatures) : null);
    registerParameter("bias", affine ? Tensor.zeros(numFeatures) : null);
    if (trackRunningStats) {
      registerBuffer("running_mean", Tensor.zeros(numFeatures));
      registerBuffer("running_var", Tensor.ones(numFeatures));
      registerBuffer("num_batches_tracked", Tensor.scalar(0, DType.INT64));
    }
  }

  @Override
  public Tensor forward(Tensor input) {
    if (input.dim() != 2 && input.dim() != 3) {
      throw new IllegalArgumentException(
          "BatchNorm1d: expected 2D or 3D input (got " + input.dim() + "D input)");
    }
    boolean useBatchStats = isTraining() || !trackRunningStats;
    double m = momentum == null ? 0 : momentum;
    Tensor rm = trackRunningStats ? buffer("running_mean") : null,
        rv = trackRunningStats ? buffer("running_var") : null;
    if (isTraining() && trackRunningStats) {
      try (GradMode.Scope s = Autograd.noGrad()) {
        buffer("num_batches_tracked").add_(1);
      }
      if (momentum == null) m = 1.0 / buffer("num_batches_tracked").item();
    }
    return Functional.batchNorm(
        input, rm, rv, parameter("weight"), parameter("bias"), useBatchStats, m, eps);
  }

  @Override
  protected String extraRepr() {
    return numFeatures
        + ", eps="
        + Repr.pyFloat(eps)
        + ", momentum="
        + (momentum == null ? "None" : Repr.pyFloat(momentum))
        + ", affine="
        + (affine ? "True" : "False")
        + ", track_running_stats="
        + (trackRunningStats ? "True" : "False");
  }
}
