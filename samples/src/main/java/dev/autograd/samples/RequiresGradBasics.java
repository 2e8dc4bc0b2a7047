package dev.autograd.samples;

import dev.autograd.core.Autograd;
import dev.autograd.core.Tensor;

/** Seed 001: requires_grad, requires_grad_(), grad_fn, detach(). */
public final class RequiresGradBasics {
  public static void main(String[] args) {
    Autograd.manualSeed(0);
    Tensor a = Tensor.randn(5, 3).requiresGrad_(true);
    Tensor b = Tensor.randn(5, 3);
    System.out.println(a.requiresGrad() + ", " + b.requiresGrad()); // true, false
    b.requiresGrad_();
    System.out.println(b.requiresGrad()); // true

    Tensor p = Tensor.randn(3, 3);
    Tensor q = Tensor.randn(3, 3).requiresGrad_(true);
    Tensor c = p.add(q);
    System.out.println(c.requiresGrad()); // true: c depends on q
    System.out.println(
        p.gradFn() + ", " + q.gradFn() + ", " + c.gradFn()); // null, null, <AddBackward0>

    Tensor d = c.detach();
    System.out.println(d.requiresGrad()); // false
  }
}
