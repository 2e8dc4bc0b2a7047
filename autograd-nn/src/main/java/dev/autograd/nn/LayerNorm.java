package dev.autograd.nn;

import dev.autograd.core.Tensor;
import java.util.Arrays;

/**
 * Normalizes over the trailing normalizedShape dims; learnable elementwise weight (1) and bias (0).
 */
public class LayerNorm extends Module {
  private final int[] normalizedShape;
  private final double eps;
  private final boolean affine;

  /**
   * Layer normalisation over the trailing {@code normalizedShape} dimensions, with eps 1e-5 and a
   * learnt scale and shift ({@code nn.LayerNorm}).
   */
  public LayerNorm(int... normalizedShape) {
    this(normalizedShape, 1e-5, true);
  }

  /**
   * Layer normalisation with the given eps, and a learnt scale and shift when {@code
   * elementwiseAffine}.
   */
  public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine) {
    this.normalizedShape = normalizedShape.clone();
    this.eps = eps;
    this.affine = elementwiseAffine;
    registerParameter("weight", elementwiseAffine ? Tensor.ones(normalizedShape) : null);
    registerParameter("bias", elementwiseAffine ? Tensor.zeros(normalizedShape) : null);
  }

  @Override
  public Tensor forward(Tensor input) {
    return Functional.layerNorm(
        input, normalizedShape, parameter("weight"), parameter("bias"), eps);
  }

  @Override
  protected String extraRepr() {
    String shape =
        Arrays.toString(normalizedShape)
            .replace("[", "(")
            .replace("]", normalizedShape.length == 1 ? ",)" : ")");
    return shape
        + ", eps="
        + Repr.pyFloat(eps)
        + ", elementwise_affine="
        + (affine ? "True" : "False");
  }
}
