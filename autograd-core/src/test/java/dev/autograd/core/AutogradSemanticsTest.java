package dev.autograd.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.core.internal.Tensors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The rules of DESIGN.md "PyTorch semantics we keep", one test per rule or error message. */
class AutogradSemanticsTest {
  private static Tensor leaf(double... v) {
    return Tensor.of(v).requiresGrad_();
  }

  private static void assertValues(double[] expected, Tensor t, double tol) {
    assertArrayEquals(expected, t.toDoubleArray(), tol, () -> "values of " + t);
  }

  /** x.^2 * exp(x): the seed's example, with DESIGN.md's corrected gradient 8 e^2. */
  private static Tensor seedFunction(Tensor x) {
    return x.pow(2).mul(x.exp());
  }

  // --- leaves and .grad ---

  @Test
  void leafGradAccumulatesAcrossBackwardCallsUntilZeroed() {
    Tensor x = leaf(1, 2, 3);
    x.mul(2).sum().backward();
    assertValues(new double[] {2, 2, 2}, x.grad(), 0);
    x.mul(x).sum().backward();
    assertValues(new double[] {4, 6, 8}, x.grad(), 0);
    x.grad().zero_();
    assertValues(new double[] {0, 0, 0}, x.grad(), 0);
    x.mul(3).sum().backward();
    assertValues(new double[] {3, 3, 3}, x.grad(), 0);
  }

  @Test
  void reusedInputAccumulatesWithinOneBackward() {
    Tensor x = leaf(3);
    Tensor y = x.mul(x).add(x).add(x.exp().mul(0));
    y.sum().backward();
    assertValues(new double[] {7}, x.grad(), 1e-12);
  }

  @Test
  void nonLeafGradIsNullUnlessRetainGradWasCalled() {
    Tensor x = leaf(1, 2);
    Tensor h = x.mul(3);
    Tensor k = x.mul(5);
    k.retainGrad();
    h.add(k).mul(k).sum().backward();
    assertNull(h.grad());
    assertNotNull(k.grad());
    // d/dk sum((h + k) k) = h + 2k
    assertValues(new double[] {13, 26}, k.grad(), 1e-12);
    assertFalse(h.isLeaf());
  }

  @Test
  void retainGradOnTensorWithoutGradIsAnError() {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> Tensor.of(new double[] {1}).retainGrad());
    assertTrue(
        e.getMessage().contains("can't retain_grad on Tensor that has requires_grad=False"),
        e.getMessage());
  }

  @Test
  void leavesWithoutRequiresGradGetNoGrad() {
    Tensor a = Tensor.of(new double[] {1, 2});
    Tensor x = leaf(3, 4);
    a.mul(x).sum().backward();
    assertNull(a.grad());
    assertValues(new double[] {1, 2}, x.grad(), 0);
  }

  // --- graph lifetime ---

  @Test
  void secondBackwardThroughFreedGraphIsAnErrorNamingRetainGraph() {
    Tensor x = leaf(2);
    Tensor y = x.exp().sum();
    y.backward();
    IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
    assertTrue(
        e.getMessage().startsWith("Trying to backward through the graph a second time"),
        e.getMessage());
    assertTrue(e.getMessage().contains("retainGraph"), e.getMessage());
  }

  @Test
  void retainGraphAllowsASecondBackward() {
    Tensor x = leaf(2);
    Tensor y = x.exp().sum();
    y.backward(Tensor.scalar(1, DType.FLOAT64), true);
    y.backward();
    assertValues(new double[] {2 * Math.exp(2)}, x.grad(), 1e-12);
  }

  @Test
  void backwardOnNonScalarNeedsAGradient() {
    Tensor x = leaf(1, 2);
    Tensor y = x.mul(2);
    IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
    assertTrue(
        e.getMessage().contains("grad can be implicitly created only for scalar outputs"),
        e.getMessage());
    y.backward(Tensor.of(new double[] {1, 10}));
    assertValues(new double[] {2, 20}, x.grad(), 0);
  }

  @Test
  void backwardGradientOfWrongShapeIsAnError() {
    Tensor y = leaf(1, 2).mul(2);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> y.backward(Tensor.of(new double[] {1, 2, 3})));
    assertTrue(e.getMessage().contains("Mismatch in shape"), e.getMessage());
  }

  @Test
  void backwardOnTensorThatDoesNotRequireGradIsAnError() {
    Tensor y = Tensor.of(new double[] {1}).mul(2).sum();
    IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
    assertTrue(e.getMessage().contains("does not require grad"), e.getMessage());
  }

  // --- in-place ---

  @Test
  void inPlaceOnLeafThatRequiresGradIsAnError() {
    Tensor w = leaf(1, 2);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.add_(1));
    assertTrue(
        e.getMessage()
            .contains("a leaf Variable that requires grad is being used in an in-place operation"),
        e.getMessage());
    try (GradMode.Scope g = Autograd.noGrad()) {
      w.sub_(Tensor.of(new double[] {0.5, 0.5}));
    }
    assertValues(new double[] {0.5, 1.5}, w, 0);
    assertTrue(w.isLeaf());
  }

  @Test
  void savedTensorModifiedInPlaceIsAVersionError() {
    Tensor x = leaf(1, 2);
    Tensor h = x.mul(2);
    Tensor y = h.sin(); // saves h
    assertEquals(0, h.version());
    h.mul_(3);
    assertEquals(1, h.version());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.sum().backward());
    assertTrue(e.getMessage().contains("modified by an inplace operation"), e.getMessage());
    assertTrue(e.getMessage().contains("is at version 1; expected version 0"), e.getMessage());
    assertTrue(
        e.getMessage().contains("which is output 0 of MulBackward0"),
        e.getMessage()); // h's producer
    assertTrue(
        e.getMessage().contains("saved by SinBackward0"), e.getMessage()); // the node that needs it
  }

  @Test
  void inPlaceOnNonLeafRecordsItsDerivative() {
    Tensor x = leaf(1, 2);
    Tensor h = x.mul(2);
    h.mul_(x);
    assertEquals("MulBackward0", h.gradFn().name());
    h.sum().backward();
    assertValues(new double[] {4, 8}, x.grad(), 0); // d(2x^2) = 4x
  }

  // --- requires_grad, grad mode, detach ---

  @Test
  void requiresGradPropagatesFromAnyInput() {
    Tensor a = Tensor.of(new double[] {1, 2});
    Tensor x = leaf(3, 4);
    assertFalse(a.mul(2).requiresGrad());
    assertNull(a.mul(2).gradFn());
    assertTrue(a.mul(x).requiresGrad());
    assertTrue(a.add(x).exp().requiresGrad());
    assertFalse(x.gt(0).requiresGrad()); // comparisons are not differentiable
  }

  @Test
  void onlyFloatingPointTensorsCanRequireGrad() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Tensor.of(new long[] {1}).requiresGrad_());
    assertTrue(
        e.getMessage().contains("only Tensors of floating point dtype can require gradients"),
        e.getMessage());
  }

  @Test
  void noGradRecordsNothingAndNestsAndRestores() {
    Tensor x = leaf(1);
    assertTrue(Autograd.isGradEnabled());
    try (GradMode.Scope outer = Autograd.noGrad()) {
      assertFalse(x.mul(2).requiresGrad());
      try (GradMode.Scope inner = Autograd.noGrad()) {
        assertFalse(Autograd.isGradEnabled());
      }
      assertFalse(Autograd.isGradEnabled());
      try (GradMode.Scope on = Autograd.enableGrad()) {
        Tensor y = x.mul(2);
        assertTrue(y.requiresGrad());
        assertEquals("MulBackward0", y.gradFn().name());
      }
      assertFalse(Autograd.isGradEnabled());
    }
    assertTrue(Autograd.isGradEnabled());
  }

  @Test
  void gradModeIsPerThread() throws InterruptedException {
    AtomicBoolean otherThreadRecords = new AtomicBoolean();
    try (GradMode.Scope g = Autograd.noGrad()) {
      Thread t = new Thread(() -> otherThreadRecords.set(leaf(1).mul(2).requiresGrad()));
      t.start();
      t.join();
      assertFalse(leaf(1).mul(2).requiresGrad());
    }
    assertTrue(otherThreadRecords.get());
  }

  @Test
  void detachSharesStorageAndCutsTheGraph() {
    Tensor x = leaf(1, 2);
    Tensor h = x.mul(2);
    Tensor d = h.detach();
    assertFalse(d.requiresGrad());
    assertTrue(d.isLeaf());
    assertNull(d.gradFn());
    assertSame(Tensors.storage(h), Tensors.storage(d));
    d.fill_(7);
    assertValues(new double[] {7, 7}, h, 0);
    Tensor y = d.mul(x).sum();
    y.backward();
    assertValues(new double[] {7, 7}, x.grad(), 0);
  }

  @Test
  void isLeafForUserTensorsAndResultsThatRecordNothing() {
    Tensor x = leaf(1);
    assertTrue(x.isLeaf());
    assertTrue(Tensor.of(new double[] {1}).isLeaf());
    assertFalse(x.mul(2).isLeaf());
    assertTrue(Tensor.of(new double[] {1}).mul(2).isLeaf());
    try (GradMode.Scope g = Autograd.noGrad()) {
      assertTrue(x.mul(2).isLeaf());
    }
  }

  @Test
  void gradFnNamesFollowPyTorch() {
    Tensor x = leaf(1, 2, 3, 4);
    Tensor m = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2).requiresGrad_();
    assertEquals("MulBackward0", x.mul(x).gradFn().name());
    assertEquals("AddBackward0", x.add(x).gradFn().name());
    assertEquals("SubBackward0", x.sub(x).gradFn().name());
    assertEquals("DivBackward0", x.div(x).gradFn().name());
    assertEquals("ExpBackward0", x.exp().gradFn().name());
    assertEquals("PowBackward0", x.pow(2).gradFn().name());
    assertEquals("SumBackward0", x.sum().gradFn().name());
    assertEquals("MeanBackward0", x.mean().gradFn().name());
    assertEquals("MmBackward0", m.mm(m).gradFn().name());
    assertEquals("TransposeBackward0", m.transpose(0, 1).gradFn().name());
    assertEquals("TBackward0", m.t().gradFn().name());
    assertEquals("ViewBackward0", x.view(2, 2).gradFn().name());
    assertEquals("ReluBackward0", x.relu().gradFn().name());
    assertEquals("SoftmaxBackward0", x.softmax(0).gradFn().name());
    assertEquals("LogSoftmaxBackward0", x.logSoftmax(0).gradFn().name());
    assertEquals("MaxBackward0", m.max(1, false).values().gradFn().name());
    assertEquals(
        "GatherBackward0", m.gather(1, Tensor.of(new long[] {0, 1}, 2, 1)).gradFn().name());
    assertEquals("AccumulateGrad", x.mul(2).gradFn().nextFunctions().get(0).name());
  }

  // --- printing ---

  @Test
  void toStringMatchesPyTorch() {
    assertEquals("tensor([0., 1., 0.])", Tensor.of(new float[] {0, 1, 0}).toString());
    assertEquals(
        "tensor([1., 2.], requires_grad=True)",
        Tensor.of(new float[] {1, 2}).requiresGrad_().toString());
    assertEquals(
        "tensor([1., 2.], dtype=torch.float64)", Tensor.of(new double[] {1, 2}).toString());
    assertEquals("tensor([-1.,  2.])", Tensor.of(new float[] {-1, 2}).toString());
    assertEquals(
        "tensor([[1.0000, 2.5000],\n        [3.0000, 4.0000]])",
        Tensor.of(new float[][] {{1, 2.5f}, {3, 4}}).toString());
    assertEquals("tensor(2.)", Tensor.scalar(2).toString());
    assertEquals("tensor([1, 2])", Tensor.of(new long[] {1, 2}).toString());
    assertEquals("tensor([ True, False])", Tensor.of(new boolean[] {true, false}).toString());
    Tensor x = Tensor.scalar(2).requiresGrad_();
    assertEquals("tensor(29.5562, grad_fn=<MulBackward0>)", seedFunction(x).toString());
  }

  @Test
  void toStringSummarisesMoreThanAThousandElements() {
    assertEquals(
        "tensor([   0.,    1.,    2.,  ..., 1997., 1998., 1999.])", Tensor.arange(2000).toString());
    String big = Tensor.zeros(40, 40).toString();
    assertTrue(
        big.startsWith(
            "tensor([[0., 0., 0.,  ..., 0., 0., 0.],\n        [0., 0., 0.,  ..., 0., 0., 0.],"),
        big);
    assertTrue(big.contains("        ...,\n"), big);
  }

  // --- seed examples ---

  @Test
  void seedExampleGradientIsEightESquared() {
    Tensor x = Tensor.scalar(2).requiresGrad_();
    seedFunction(x).backward();
    assertEquals(59.1124, x.grad().item(), 1e-4);
    assertEquals("tensor(59.1124)", x.grad().toString());
    Tensor x64 = Tensor.scalar(2, DType.FLOAT64).requiresGrad_();
    seedFunction(x64).backward();
    assertEquals(8 * Math.exp(2), x64.grad().item(), 1e-12);
  }

  @Test
  void hessianVectorProductThroughCreateGraph() {
    Tensor x = leaf(1, 2, 3);
    Tensor v = Tensor.of(new double[] {1, 0.5, -1});
    Tensor y = x.pow(3).sum();
    Tensor g = Autograd.grad(new Tensor[] {y}, new Tensor[] {x}, true)[0]; // 3x^2
    assertTrue(g.requiresGrad());
    assertValues(new double[] {3, 12, 27}, g, 1e-12);
    Tensor hv = Autograd.grad(g.mul(v).sum(), x)[0]; // diag(6x) v
    assertValues(new double[] {6, 6, -18}, hv, 1e-12);
    assertNull(x.grad());
  }

  @Test
  void autogradGradOfUnusedInputNeedsAllowUnused() {
    Tensor x = leaf(1), z = leaf(2);
    Tensor y = x.mul(2).sum();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Autograd.grad(y, x, z));
    assertTrue(
        e.getMessage().contains("appears to not have been used in the graph"), e.getMessage());
  }

  // --- custom functions ---

  static final class MyReLU extends Function {
    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
      ctx.saveForBackward(in[0]);
      return in[0].clampMin(0);
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor gradOut) {
      Tensor input = ctx.savedTensors()[0];
      return new Tensor[] {gradOut.maskedFill(input.lt(0), 0)};
    }
  }

  /** x^3 with a backward written in differentiable ops, so it has a second derivative. */
  static final class Cube extends Function {
    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
      ctx.saveForBackward(in[0]);
      return in[0].pow(3);
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor gradOut) {
      Tensor x = ctx.savedTensors()[0];
      return new Tensor[] {gradOut.mul(x.square()).mul(3)};
    }
  }

  @Test
  void customFunctionFromDesign() {
    Tensor x = Tensor.of(new float[] {-1, 2, -3}).requiresGrad_();
    Tensor y = new MyReLU().apply(x);
    assertEquals("MyReLUBackward", y.gradFn().name());
    assertEquals("tensor([0., 2., 0.], grad_fn=<MyReLUBackward>)", y.toString());
    y.sum().backward();
    assertEquals("tensor([0., 1., 0.])", x.grad().toString());
  }

  @Test
  void customFunctionHasSecondDerivativeWithCreateGraph() {
    Tensor x = leaf(2, -1);
    Tensor g = Autograd.grad(new Tensor[] {new Cube().apply(x).sum()}, new Tensor[] {x}, true)[0];
    assertValues(new double[] {12, 3}, g, 1e-12);
    Tensor gg = Autograd.grad(g.sum(), x)[0];
    assertValues(new double[] {12, -6}, gg, 1e-12);
    Gradcheck.assertGradients(in -> new Cube().apply(in[0]), leaf(0.5, -1.5));
    Gradcheck.assertSecondOrder(in -> new Cube().apply(in[0]), leaf(0.5, -1.5));
  }

  // --- dtypes ---

  @Test
  void castIsDifferentiableAndGradientKeepsTheLeafDtype() {
    Tensor x = Tensor.of(new float[] {1, 2}).requiresGrad_();
    Tensor y = x.to(DType.FLOAT64).mul(Tensor.of(new double[] {3, 4})).sum();
    assertEquals(DType.FLOAT64, y.dtype());
    y.backward();
    assertEquals(DType.FLOAT32, x.grad().dtype());
    assertValues(new double[] {3, 4}, x.grad(), 0);
  }

  @Test
  void gradOfLeafIsNotAliasedToUpstream() {
    Tensor x = leaf(1, 2);
    Tensor g = Tensor.of(new double[] {1, 1});
    x.mul(1).backward(g);
    assertNotSame(g, x.grad());
    g.fill_(5);
    assertValues(new double[] {1, 1}, x.grad(), 0);
  }

  @Test
  void copyIntoAPlainTensorRecordsTheSourcesHistory() {
    Tensor w = Tensor.of(new double[] {1, 2, 3}).requiresGrad_();
    Tensor buf = Tensor.zeros(DType.FLOAT64, 3);
    buf.copy_(w.mul(2));
    assertTrue(buf.requiresGrad());
    buf.mul(buf).sum().backward(); // d/dw sum((2w)^2) = 8w
    assertArrayEquals(new double[] {8, 16, 24}, w.grad().toDoubleArray(), 1e-12);
  }

  @Test
  void copyUnderNoGradIntoAViewOfAParameterIgnoresTheSourcesHistory() {
    Tensor p = Tensor.zeros(DType.FLOAT64, 2, 2).requiresGrad_();
    Tensor src = Tensor.ones(DType.FLOAT64, 2).requiresGrad_();
    try (var g = Autograd.noGrad()) {
      p.detach().select(0, 1).copy_(src);
    }
    assertArrayEquals(new double[] {0, 0, 1, 1}, p.toDoubleArray(), 0);
    assertTrue(p.isLeaf() && p.gradFn() == null);
  }

  @Test
  void castBetweenFloatDtypesIsDifferentiable() {
    Tensor x = Tensor.of(new double[] {0.5, -1.25, 3}).requiresGrad_();
    Tensor y = x.to(DType.FLOAT32);
    assertEquals("ToCopyBackward0", y.gradFn().name());
    y.mul(Tensor.of(new float[] {2, 3, 4})).sum().backward();
    assertEquals(DType.FLOAT64, x.grad().dtype());
    assertArrayEquals(new double[] {2, 3, 4}, x.grad().toDoubleArray());
    assertNull(
        Tensor.of(new double[] {1.5}).requiresGrad_().to(DType.INT64).gradFn(),
        "no gradient into integers");
  }
}
