package dev.autograd.core.ops;

import dev.autograd.core.Tensor;

/** The affine map of a dense layer, written with matmul (its gradients are matmul's). */
public final class Linear {
  private Linear() {}

  /** x · weightᵀ + bias, for x [*, in], weight [out, in], bias [out] (nullable): [*, out]. */
  public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
    if (weight.dim() != 2) throw new IllegalArgumentException("linear: expected a 2-D weight [out_features, in_features], got " + NnSupport.str(weight));
    if (x.dim() == 0 || x.size(-1) != weight.size(1)) {
      throw new IllegalArgumentException(
          "linear: mat1 and mat2 shapes cannot be multiplied (input " + NnSupport.str(x) + ", weight " + NnSupport.str(weight)
              + "): the input's last dim must be in_features=" + weight.size(1));
    }
    Tensor y = x.matmul(weight.t());
    return bias == null ? y : y.add(bias);
  }
}
