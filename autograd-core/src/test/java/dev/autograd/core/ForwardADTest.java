package dev.autograd.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.core.AutogradFunctional.Strategy;
import org.junit.jupiter.api.Test;

/**
 * Dual tensors as PyTorch's torch.autograd.forward_ad: levels, errors, views, in-place ops, both
 * compositions with reverse mode.
 */
class ForwardADTest {
  private static final DType F64 = DType.FLOAT64;

  private static Tensor vec(double... v) {
    return Tensor.of(v);
  }

  private static void close(Tensor expected, Tensor actual) {
    assertNotNull(actual, "no tangent");
    assertArrayEquals(expected.shape(), actual.shape());
    assertArrayEquals(expected.toDoubleArray(), actual.toDoubleArray(), 1e-12);
  }

  @Test
  void aDualCarriesItsTangentThroughOps() {
    Tensor x = vec(0.5, -1, 2), v = vec(1, 2, 3);
    try (DualLevel level = Autograd.dualLevel()) {
      Tensor y = Autograd.makeDual(x, v).sin().mul(2);
      UnpackedDual u = Autograd.unpackDual(y);
      close(x.sin().mul(2), u.primal());
      close(x.cos().mul(v).mul(2), u.tangent());
      assertNull(Autograd.unpackDual(u.primal()).tangent(), "the primal has no tangent");
      assertNull(Autograd.unpackDual(x).tangent(), "makeDual leaves its argument alone");
    }
  }

  @Test
  void closingTheLevelDropsEveryTangent() {
    Tensor y;
    DualLevel level = Autograd.dualLevel();
    y = Autograd.makeDual(vec(1, 2), vec(3, 4)).exp();
    assertNotNull(Autograd.unpackDual(y).tangent());
    level.close();
    assertTrue(!level.isOpen());
    assertNull(Autograd.unpackDual(y).tangent(), "outside a level there are no tangents");
    try (DualLevel again = Autograd.dualLevel()) {
      assertNull(Autograd.unpackDual(y).tangent(), "a new level starts empty");
    }
    level.close(); // twice: harmless
  }

  @Test
  void errorsAreThoseOfPyTorch() {
    IllegalStateException outside =
        assertThrows(IllegalStateException.class, () -> Autograd.makeDual(vec(1), vec(1)));
    assertTrue(outside.getMessage().contains("no level exists"), outside.getMessage());
    try (DualLevel level = Autograd.dualLevel()) {
      IllegalStateException nested = assertThrows(IllegalStateException.class, Autograd::dualLevel);
      assertTrue(
          nested.getMessage().contains("Nested forward mode AD is not supported at the moment"),
          nested.getMessage());
      IllegalArgumentException size =
          assertThrows(
              IllegalArgumentException.class, () -> Autograd.makeDual(vec(1, 2, 3), vec(1, 2)));
      assertTrue(
          size.getMessage()
              .contains("Tensor is of size [3] while the given forward gradient is of size [2]"),
          size.getMessage());
      IllegalArgumentException ints =
          assertThrows(
              IllegalArgumentException.class,
              () -> Autograd.makeDual(vec(1, 2), Tensor.of(new long[] {1, 2})));
      assertTrue(
          ints.getMessage()
              .contains("Expected tangent to be floating point or complex, but got: torch.int64"),
          ints.getMessage());
      IllegalArgumentException primal =
          assertThrows(
              IllegalArgumentException.class,
              () -> Autograd.makeDual(Tensor.of(new long[] {1}), vec(1)));
      assertTrue(
          primal.getMessage().contains("Expected primal to be floating point or complex"),
          primal.getMessage());
      Tensor mixed =
          Autograd.makeDual(
              vec(1, 2),
              Tensor.of(new float[] {1, 2})); // PyTorch keeps a tangent of another float dtype
      assertEquals(DType.FLOAT32, Autograd.unpackDual(mixed).tangent().dtype());
      assertEquals(
          F64,
          Autograd.unpackDual(mixed.mul(2))
              .tangent()
              .dtype()); // an op's tangent takes its output's dtype
      Tensor d = Autograd.makeDual(vec(1, 2), vec(1, 1)).mul(3);
      IllegalArgumentException twice =
          assertThrows(IllegalArgumentException.class, () -> Autograd.makeDual(d, vec(1, 1)));
      assertTrue(
          twice
              .getMessage()
              .contains(
                  "Making a dual Tensor based on a Tensor that already has a forward gradient at the same level"),
          twice.getMessage());
    }
    assertThrows(NullPointerException.class, () -> Autograd.makeDual(null, vec(1)));
  }

  @Test
  void aViewOfADualHasTheViewOfItsTangent() {
    Tensor p = Tensor.arange(0, 6, 1, F64).reshape(2, 3),
        t = Tensor.arange(0, 6, 1, F64).add(10).reshape(2, 3);
    try (DualLevel level = Autograd.dualLevel()) {
      Tensor x = Autograd.makeDual(p, t);
      Tensor row = x.select(0, 1), col = x.t().narrow(0, 2, 1), flat = x.reshape(6);
      close(t.select(0, 1), Autograd.unpackDual(row).tangent());
      close(t.t().narrow(0, 2, 1), Autograd.unpackDual(col).tangent());
      close(t.reshape(6), Autograd.unpackDual(flat).tangent());
      try (var g = Autograd.noGrad()) {
        t.mul_(2); // the tangents of the views share the dual's tangent storage
      }
      close(t.select(0, 1), Autograd.unpackDual(row).tangent());
    }
  }

  @Test
  void inPlaceOpsUpdateTheTangent() {
    try (DualLevel level = Autograd.dualLevel()) {
      Tensor x = Autograd.makeDual(vec(1, 2, 3), vec(1, 1, 1));
      Tensor view = x.narrow(0, 0, 2);
      x.mul_(vec(2, 3, 4));
      close(vec(2, 3, 4), Autograd.unpackDual(x).tangent());
      close(vec(2, 3), Autograd.unpackDual(view).tangent()); // the view's tangent is a view of x's
      x.add_(1); // a constant: the tangent stays
      close(vec(2, 3, 4), Autograd.unpackDual(x).tangent());
      x.copy_(vec(7, 8, 9)); // overwritten by a value without tangent: zero
      close(vec(0, 0, 0), Autograd.unpackDual(x).tangent());
      x.zero_();
      close(vec(0, 0, 0), Autograd.unpackDual(x).tangent());
    }
  }

  @Test
  void writingADualIntoAViewGivesTheBaseATangent() {
    try (DualLevel level = Autograd.dualLevel()) {
      Tensor base = Tensor.zeros(F64, 2, 3);
      Tensor y = Autograd.makeDual(vec(1, 2, 3), vec(4, 5, 6));
      base.select(0, 1).copy_(y); // x[1] = y
      close(Tensor.of(new double[] {0, 0, 0, 4, 5, 6}, 2, 3), Autograd.unpackDual(base).tangent());
      base.select(0, 0).copy_(y.mul(2));
      close(
          Tensor.of(new double[] {8, 10, 12, 4, 5, 6}, 2, 3), Autograd.unpackDual(base).tangent());
    }
  }

  @Test
  void inPlaceOnAViewOfABaseThatRequiresGradKeepsBothModes() {
    Tensor w = vec(1, 2, 3).requiresGrad_();
    try (DualLevel level = Autograd.dualLevel()) {
      Tensor x = Autograd.makeDual(w.mul(1), vec(1, 1, 1));
      x.narrow(0, 1, 2).mul_(vec(10, 20));
      close(vec(1, 10, 20), Autograd.unpackDual(x).tangent());
      x.sum().backward();
      close(vec(1, 10, 20), w.grad());
    }
  }

  @Test
  void castCarriesTheTangent() {
    try (DualLevel level = Autograd.dualLevel()) {
      Tensor y = Autograd.makeDual(vec(1, 2), vec(0.1, 0.2)).to(DType.FLOAT32);
      Tensor t = Autograd.unpackDual(y).tangent();
      assertEquals(DType.FLOAT32, t.dtype());
      assertArrayEquals(new float[] {0.1f, 0.2f}, t.toFloatArray());
    }
  }

  @Test
  void noGradDoesNotStopForwardMode() {
    try (DualLevel level = Autograd.dualLevel();
        var g = Autograd.noGrad()) {
      Tensor y = Autograd.makeDual(vec(2), vec(1)).square();
      close(vec(4), Autograd.unpackDual(y).tangent());
    }
  }

  @Test
  void reverseOverForwardDifferentiatesTheTangent() {
    Tensor x = vec(0.3, -1.2).requiresGrad_();
    Tensor v = vec(1, 2);
    try (DualLevel level = Autograd.dualLevel()) {
      Tensor jv = Autograd.unpackDual(Autograd.makeDual(x, v).sin()).tangent(); // cos(x) v
      Tensor g = Autograd.grad(jv.sum(), x)[0]; // -sin(x) v
      close(x.detach().sin().neg().mul(v), g);
    }
  }

  @Test
  void forwardOverReverseGivesHessianVectorProducts() {
    Tensor x0 = vec(0.5, 1.5, -0.7), v = vec(1, -1, 2);
    try (DualLevel level = Autograd.dualLevel()) {
      Tensor x = x0.detach().requiresGrad_();
      Tensor dual = Autograd.makeDual(x, v);
      Tensor y = dual.pow(3).sum().add(dual.select(0, 0).mul(dual.select(0, 1)));
      Tensor g = Autograd.grad(new Tensor[] {y}, new Tensor[] {x}, true)[0];
      Tensor hv = Autograd.unpackDual(g).tangent();
      Tensor expected =
          AutogradFunctional.hvp(t -> t.pow(3).sum().add(t.select(0, 0).mul(t.select(0, 1))), x0, v)
              .value();
      close(expected, hv);
    }
  }

  static final class Twice extends Function {
    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
      return in[0].mul(2);
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor g) {
      return new Tensor[] {g.mul(2)};
    }
  }

  @Test
  void customFunctionsRefuseDualInputsAndCompiledOnesRunEagerly() {
    CompiledFunction compiled = Autograd.compile(a -> a[0].exp().mul(a[1]));
    Tensor x = vec(0.1, 0.2), w = vec(3, 4);
    compiled.call(x, w); // traced without duals
    try (DualLevel level = Autograd.dualLevel()) {
      Tensor d = Autograd.makeDual(x, vec(1, 1));
      UnsupportedOperationException e =
          assertThrows(UnsupportedOperationException.class, () -> new Twice().apply(d));
      assertTrue(
          e.getMessage()
              .contains("You must implement the jvp function for custom autograd.Function"),
          e.getMessage());
      close(x.exp().mul(w), Autograd.unpackDual(compiled.call(d, w)).tangent());
    }
  }

  @Test
  void levelsArePerThread() throws Exception {
    try (DualLevel level = Autograd.dualLevel()) {
      Tensor d = Autograd.makeDual(vec(1), vec(1));
      Tensor[] seen = new Tensor[1];
      Thread t = new Thread(() -> seen[0] = Autograd.unpackDual(d.mul(2)).tangent());
      t.start();
      t.join();
      assertNull(seen[0], "another thread has no open level");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Functional transforms on forward mode

  private static Tensor[] f2(Tensor[] in) {
    return new Tensor[] {in[0].mul(in[1]).sin(), in[0].exp().sum()};
  }

  @Test
  void jvpByForwardModeEqualsDoubleBackward() {
    Tensor[] x = {vec(0.1, 0.7), vec(-0.4, 2)};
    Tensor[] v = {vec(1, 0.5), vec(-1, 3)};
    AutogradFunctional.Product fwd = AutogradFunctional.jvp(ForwardADTest::f2, x, v, false, false);
    AutogradFunctional.Product dbl;
    try (DualLevel level =
        Autograd.dualLevel()) { // inside a caller's level: the double-backward path
      dbl = AutogradFunctional.jvp(ForwardADTest::f2, x, v, false, false);
    }
    for (int i = 0; i < 2; i++) {
      close(dbl.product()[i], fwd.product()[i]);
      close(dbl.outputs()[i], fwd.outputs()[i]);
      assertTrue(!fwd.product()[i].requiresGrad());
    }
  }

  @Test
  void jvpThroughACustomFunctionFallsBackToDoubleBackward() {
    Tensor x = vec(1, 2);
    Tensor jv = AutogradFunctional.jvp(t -> new Twice().apply(t).sin(), x, vec(1, -1)).value();
    close(x.mul(2).cos().mul(vec(2, -2)), jv);
  }

  @Test
  void jvpWithCreateGraphIsDifferentiable() {
    Tensor x = vec(0.2, 0.4).requiresGrad_();
    Tensor v = vec(1, 1);
    Tensor jv =
        AutogradFunctional.jvp(
                in -> new Tensor[] {in[0].square()},
                new Tensor[] {x},
                new Tensor[] {v},
                true,
                false)
            .value();
    close(vec(2, 2), Autograd.grad(jv.sum(), x)[0]); // d/dx (2 x v) = 2 v
  }

  @Test
  void jacobianStrategiesAgree() {
    Tensor[] x = {vec(0.1, 0.7, 0.3), vec(-0.4, 2, 1)};
    Tensor[][] rev =
        AutogradFunctional.jacobian(
            ForwardADTest::f2, x, false, false, true, Strategy.REVERSE_MODE);
    Tensor[][] fwd =
        AutogradFunctional.jacobian(
            ForwardADTest::f2, x, false, false, true, Strategy.FORWARD_MODE);
    for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) close(rev[i][j], fwd[i][j]);
    close(
        AutogradFunctional.jacobian(t -> t.square(), x[0]),
        AutogradFunctional.jacobian(t -> t.square(), x[0], Strategy.FORWARD_MODE));
  }

  @Test
  void forwardModeJacobianRefusesWhatPyTorchRefuses() {
    Tensor[] x = {vec(1, 2)};
    java.util.function.Function<Tensor[], Tensor[]> f = in -> new Tensor[] {in[0].exp()};
    UnsupportedOperationException cg =
        assertThrows(
            UnsupportedOperationException.class,
            () -> AutogradFunctional.jacobian(f, x, true, false, true, Strategy.FORWARD_MODE));
    assertTrue(
        cg.getMessage()
            .contains(
                "`create_graph=True` and `strategy=\"forward-mode\"` are not supported together"),
        cg.getMessage());
    IllegalArgumentException strict =
        assertThrows(
            IllegalArgumentException.class,
            () -> AutogradFunctional.jacobian(f, x, false, true, true, Strategy.FORWARD_MODE));
    assertTrue(
        strict
            .getMessage()
            .contains("`strict=True` and `strategy=\"forward-mode\"` are not supported together"),
        strict.getMessage());
    UnsupportedOperationException loop =
        assertThrows(
            UnsupportedOperationException.class,
            () -> AutogradFunctional.jacobian(f, x, false, false, false, Strategy.FORWARD_MODE));
    assertTrue(
        loop.getMessage().contains("only implemented for `vectorize=True`"), loop.getMessage());
    assertThrows(
        UnsupportedOperationException.class,
        () ->
            AutogradFunctional.hessian(
                in -> in[0].exp().sum(), x, false, false, false, Strategy.FORWARD_MODE));
  }

  @Test
  void jacfwdAndJacrevWithArgnums() {
    Tensor a = vec(0.5, -1), b = vec(2, 3, 4);
    java.util.function.Function<Tensor[], Tensor> f =
        in -> in[0].unsqueeze(1).mul(in[1].unsqueeze(0)).tanh(); // [2, 3]
    Tensor[] fwd = AutogradFunctional.jacfwd(f, 0, 1).apply(new Tensor[] {a, b});
    Tensor[] rev = AutogradFunctional.jacrev(f, 0, 1).apply(new Tensor[] {a, b});
    Tensor[][] full =
        AutogradFunctional.jacobian(
            in -> new Tensor[] {f.apply(in)}, new Tensor[] {a, b}, false, false);
    assertArrayEquals(new int[] {2, 3, 2}, fwd[0].shape());
    assertArrayEquals(new int[] {2, 3, 3}, fwd[1].shape());
    for (int k = 0; k < 2; k++) {
      close(full[0][k], fwd[k]);
      close(full[0][k], rev[k]);
    }
    Tensor[] second = AutogradFunctional.jacfwd(f, -1).apply(new Tensor[] {a, b});
    assertEquals(1, second.length);
    close(full[0][1], second[0]);
    assertThrows(
        IllegalArgumentException.class,
        () -> AutogradFunctional.jacfwd(f, 2).apply(new Tensor[] {a, b}));
    assertThrows(
        IllegalArgumentException.class,
        () -> AutogradFunctional.jacrev(f, 0, 0).apply(new Tensor[] {a, b}));
  }

  @Test
  void hessianForwardOverReverse() {
    Tensor x = vec(0.5, -1.5, 2);
    java.util.function.Function<Tensor, Tensor> f =
        t -> t.pow(3).sum().add(t.select(0, 0).mul(t.select(0, 2)).sin());
    Tensor reverse = AutogradFunctional.hessian(f, x);
    close(reverse, AutogradFunctional.jacfwd(AutogradFunctional.jacrev(f)).apply(x));
    Tensor[][] h =
        AutogradFunctional.hessian(
            in -> f.apply(in[0]), new Tensor[] {x}, false, false, true, Strategy.FORWARD_MODE);
    close(reverse, h[0][0]);
    Tensor[] xy = {vec(0.3, 0.4), vec(1.5)};
    java.util.function.Function<Tensor[], Tensor> g =
        in -> in[0].square().sum().mul(in[1].exp().sum());
    Tensor[][] hr = AutogradFunctional.hessian(g, xy, false, false);
    Tensor[][] hf = AutogradFunctional.hessian(g, xy, false, false, true, Strategy.FORWARD_MODE);
    for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) close(hr[i][j], hf[i][j]);
  }

  @Test
  void readmeExample() {
    Tensor x = Tensor.of(new double[] {1, -2, 0.5});
    Tensor v = Tensor.of(new double[] {1, 1, 2});
    Tensor jv;
    try (DualLevel level = Autograd.dualLevel()) {
      Tensor y = Autograd.makeDual(x, v).sin(); // a dual tensor: values x, tangent v
      jv = Autograd.unpackDual(y).tangent(); // cos(x) * v: J·v in one forward pass
    }
    Tensor j = AutogradFunctional.jacobian(t -> t.square(), x, Strategy.FORWARD_MODE); // diag(2x)
    Tensor h =
        AutogradFunctional.jacfwd(AutogradFunctional.jacrev(t -> t.pow(3).sum()))
            .apply(x); // diag(6x)
    close(x.cos().mul(v), jv);
    assertArrayEquals(new double[] {2, 0, 0, 0, -4, 0, 0, 0, 1}, j.toDoubleArray(), 1e-12);
    assertArrayEquals(new double[] {6, 0, 0, 0, -12, 0, 0, 0, 3}, h.toDoubleArray(), 1e-12);
  }
}
