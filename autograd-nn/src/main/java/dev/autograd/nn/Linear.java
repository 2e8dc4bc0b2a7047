package dev.autograd.nn;

import dev.autograd.core.Generator;
import dev.autograd.core.Tensor;
import dev.autograd.nn.init.Init;

/**
 * y = x · weightᵀ + bias, with weight [out_features, in_features]; PyTorch's default
 * initialisation.
 */
public class Linear extends Module {
  private final int inFeatures, outFeatures;

  /**
   * y = x W^T + b with W [outFeatures, inFeatures], initialised as PyTorch does ({@code
   * nn.Linear(in, out)}).
   */
  public Linear(int inFeatures, int outFeatures) {
    this(inFeatures, outFeatures, true, null);
  }

  /** As {@link #Linear(int, int)}, without a bias when {@code bias} is false. */
  public Linear(int inFeatures, int outFeatures, boolean bias) {
    this(inFeatures, outFeatures, bias, null);
  }

  /** Weights drawn from {@code gen} (null: the default generator). */
  public Linear(int inFeatures, int outFeatures, boolean bias, Generator gen) {
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    Tensor w = registerParameter("weight", Tensor.zeros(outFeatures, inFeatures));
    Tensor b = registerParameter("bias", bias ? Tensor.zeros(outFeatures) : null);
    Init.defaultLayerInit(w, b, gen);
  }

  /** The weight [outFeatures, inFeatures]. */
  public Tensor weight() {
    return parameter("weight");
  }

  /** The bias, or null when built with {@code bias=false}. */
  public Tensor bias() {
    return parameter("bias");
  }

  @Override
  public Tensor forward(Tensor input) {
    return Functional.linear(input, weight(), bias());
  }

  @Override
  protected String extraRepr() {
    return "in_features="
        + inFeatures
        + ", out_features="
        + outFeatures
        + ", bias="
        + (bias() != null ? "True" : "False");
  }
}
