package dev.autograd.core.internal.optim;

import dev.autograd.core.Tensor;
import dev.autograd.core.compile.Tracer;
import dev.autograd.core.internal.Tensors;

/** The {@code .grad} of a parameter as the built-in optimizers read it. */
public final class Grads {
  private Grads() {}

  /**
   * {@code p.grad()} without counting as a read, for an optimizer update that keeps no reference to
   * it (SGD, Adam): a gradient the engine made then stays recyclable, so {@code zeroGrad()} gives
   * its array back and the next backward reuses it instead of allocating a new one.
   */
  public static Tensor forUpdate(Tensor p) {
    Tensor g = Tensors.peekGrad(p);
    if (Tracer.active)
      Tracer.gradRead(
          p, g); // inside a compiled function: the replay reads .grad afresh, as Tensor.grad() does
    return g;
  }
}
