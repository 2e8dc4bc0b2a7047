package dev.autograd.core.ops;

import dev.autograd.core.Generator;
import dev.autograd.core.GradMode;
import dev.autograd.core.Tensor;
import dev.autograd.core.tensor.Shapes;
import java.util.Arrays;

/**
 * Layer norm, batch norm and dropout, written with differentiable ops (so gradients of every order
 * follow). Batch norm updates its running statistics in place without recording, like PyTorch's
 * {@code F.batch_norm(training=True)}.
 */
public final class Normalization {
  private Normalization() {}

  /**
   * (x - mean) / sqrt(var + eps) over the trailing {@code normalizedShape} dims, then · weight +
   * bias.
   */
  public static Tensor layerNorm(
      Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
    NnSupport.requireFloat("layer_norm", "input", x);
    int k = normalizedShape.length;
    int[] shape = x.shapeRef();
    if (k == 0
        || k > shape.length
        || !Arrays.equals(
            Arrays.copyOfRange(shape, shape.length - k, shape.length), normalizedShape)) {
      throw new IllegalArgumentException(
          "layer_norm: Given normalized_shape="
              + Shapes.str(normalizedShape)
              + ", expected input with shape [*, "
              + Shapes.str(normalizedShape).substring(1)
              + ", but got input of size"
              + Shapes.str(shape));
    }
    int[] dims = new int[k];
    for (int i = 0; i < k; i++) dims[i] = shape.length - k + i;
    Tensor xc = x.sub(x.mean(dims, true));
    Tensor y = xc.mul(xc.square().mean(dims, true).add(eps).rsqrt());
    if (weight != null) y = y.mul(weight);
    if (bias != null) y = y.add(bias);
    return y;
  }

  /**
   * Normalizes each channel (dim 1) of [N, C, *]: with batch statistics (biased variance) when
   * {@code training}, updating the running stats as (1 - momentum) · running + momentum · stat
   * (unbiased variance); with the running stats otherwise. Running stats may be null in training.
   */
  public static Tensor batchNorm(
      Tensor x,
      Tensor runningMean,
      Tensor runningVar,
      Tensor weight,
      Tensor bias,
      boolean training,
      double momentum,
      double eps) {
    NnSupport.requireFloat("batch_norm", "input", x);
    if (x.dim() < 2)
      throw new IllegalArgumentException(
          "batch_norm: expected 2D or more input [N, C, *], got " + NnSupport.str(x));
    int c = x.size(1);
    int[] dims = new int[x.dim() - 1];
    int[] bshape = new int[x.dim()];
    Arrays.fill(bshape, 1);
    bshape[1] = c;
    for (int d = 0, k = 0; d < x.dim(); d++) if (d != 1) dims[k++] = d;
    Tensor mean, var;
    if (training) {
      int count = x.numel() / Math.max(c, 1);
      if (count <= 1) {
        throw new IllegalArgumentException(
            "Expected more than 1 value per channel when training, got input size "
                + NnSupport.str(x));
      }
      mean = x.mean(dims, true);
      var = x.sub(mean).square().mean(dims, true);
      try (GradMode.Scope s = GradMode.scope(false)) {
        if (runningMean != null)
          runningMean.mul_(1 - momentum).add_(mean.reshape(c).to(runningMean.dtype()), momentum);
        if (runningVar != null)
          runningVar
              .mul_(1 - momentum)
              .add_(
                  var.reshape(c).mul((double) count / (count - 1)).to(runningVar.dtype()),
                  momentum);
      }
    } else {
      if (runningMean == null || runningVar == null) {
        throw new IllegalArgumentException(
            "batch_norm: running_mean and running_var must be defined in evaluation mode");
      }
      mean = runningMean.reshape(bshape);
      var = runningVar.reshape(bshape);
    }
    Tensor y = x.sub(mean).mul(var.add(eps).rsqrt());
    if (weight != null) y = y.mul(weight.reshape(bshape));
    if (bias != null) y = y.add(bias.reshape(bshape));
    return y;
  }

  /** Zeroes each element with probability p and scales the rest by 1 / (1 - p) when training. */
  public static Tensor dropout(Tensor x, double p, boolean training, Generator gen) {
    if (p < 0 || p > 1)
      throw new IllegalArgumentException(
          "dropout probability has to be between 0 and 1, but got " + p);
    if (!training || p == 0) return x;
    if (p == 1) return x.mul(0);
    Generator g = gen != null ? gen : Generator.defaultGenerator();
    double[] u = new double[x.numel()];
    g.fillUniform(u);
    double scale = 1 / (1 - p);
    for (int i = 0; i < u.length; i++) u[i] = u[i] < 1 - p ? scale : 0;
    return x.mul(NnSupport.tensor(u, x.shapeRef(), x.dtype()));
  }
}
