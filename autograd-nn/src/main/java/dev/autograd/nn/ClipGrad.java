package dev.autograd.nn;

import dev.autograd.core.Autograd;
import dev.autograd.core.GradMode;
import dev.autograd.core.Tensor;

/**
 * Gradient clipping, PyTorch's {@code torch.nn.utils.clip_grad_norm_} and {@code clip_grad_value_}.
 */
public final class ClipGrad {
  private ClipGrad() {}

  /**
   * Scales all gradients by min(1, maxNorm / (total + 1e-6)), where total is the p-norm of all
   * gradients together (p may be infinity); returns total.
   */
  public static double clipGradNorm_(Iterable<Tensor> params, double maxNorm, double normType) {
    double total = 0;
    try (GradMode.Scope s = Autograd.noGrad()) {
      for (Tensor p : params) {
        if (p.grad() == null) continue;
        for (double v : p.grad().toDoubleArray()) {
          double a = Math.abs(v);
          total = Double.isInfinite(normType) ? Math.max(total, a) : total + Math.pow(a, normType);
        }
      }
      if (!Double.isInfinite(normType)) total = Math.pow(total, 1 / normType);
      double coef = Math.min(1.0, maxNorm / (total + 1e-6));
      for (Tensor p : params) if (p.grad() != null) p.grad().mul_(coef);
    }
    return total;
  }

  /** {@code clipGradNorm_(params, maxNorm, 2)}. */
  public static double clipGradNorm_(Iterable<Tensor> params, double maxNorm) {
    return clipGradNorm_(params, maxNorm, 2);
  }

  /** Clamps every gradient element into [-clipValue, clipValue]. */
  public static void clipGradValue_(Iterable<Tensor> params, double clipValue) {
    try (GradMode.Scope s = Autograd.noGrad()) {
      for (Tensor p : params) if (p.grad() != null) p.grad().clamp_(-clipValue, clipValue);
    }
  }
}
