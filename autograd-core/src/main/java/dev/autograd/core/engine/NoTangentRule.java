package dev.autograd.core.engine;

/**
 * A dual tensor reached an op without a forward-mode rule (a custom Function): PyTorch's
 * NotImplementedError. {@code AutogradFunctional.jvp} catches it and uses double backward.
 */
public final class NoTangentRule extends UnsupportedOperationException {
  private static final long serialVersionUID = 1L;

  /** The error with PyTorch's text. */
  public NoTangentRule(String message) {
    super(message);
  }
}
