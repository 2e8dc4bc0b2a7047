package dev.autograd.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Nodes of 0-dim graphs share their input shapes and dtypes (one array per arity and dtype): the
 * gradients must still get each input's own dtype and shape, whatever the node was recorded with.
 */
class ScalarGraphNodesTest {
  @Test
  void mixedDtypesKeepTheirOwnGradientDtypes() {
    Tensor a = Tensor.scalar(1.5, DType.FLOAT32).requiresGrad_(true);
    Tensor b = Tensor.scalar(-2.0, DType.FLOAT64).requiresGrad_(true);
    Tensor y = a.mul(b).add(a.mul(a)); // a·b + a²: float32 × float64 promotes to float64
    y.backward();
    assertEquals(DType.FLOAT32, a.grad().dtype());
    assertEquals(DType.FLOAT64, b.grad().dtype());
    assertEquals(-2.0 + 2 * 1.5, a.grad().item(), 1e-6);
    assertEquals(1.5, b.grad().item(), 0);
  }

  @Test
  void aScalarNodeBesideAVectorSumsItsGradientBackToZeroDims() {
    Tensor s = Tensor.scalar(3.0, DType.FLOAT32).requiresGrad_(true);
    Tensor t = Tensor.scalar(0.5, DType.FLOAT32).requiresGrad_(true);
    Tensor v = Tensor.ones(4).requiresGrad_(true);
    Tensor y = s.mul(t).mul(v).sum(); // a 0-dim node (s·t), then a broadcast one
    y.backward();
    assertArrayEquals(new int[0], s.grad().shape());
    assertEquals(0.5 * 4, s.grad().item(), 1e-6);
    assertEquals(3.0 * 4, t.grad().item(), 1e-6);
    assertEquals(6.0, v.grad().sum().item(), 1e-6); // each element: s·t = 1.5
  }

  @Test
  void aLongScalarChainMatchesTheClosedForm() {
    Tensor w = Tensor.scalar(0.9).requiresGrad_(true);
    Tensor y = Tensor.scalar(0.5);
    double expectY = 0.5, dydw = 0;
    for (int i = 0; i < 50; i++) {
      y = y.mul(w).tanh();
      double pre = expectY * 0.9, th = Math.tanh(pre);
      dydw = (1 - th * th) * (expectY + 0.9 * dydw);
      expectY = th;
    }
    y.backward();
    assertEquals(expectY, y.item(), 1e-5);
    assertEquals(dydw, w.grad().item(), 1e-4);
  }
}
