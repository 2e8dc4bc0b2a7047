package dev.autograd.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.core.engine.OpNode;
import dev.autograd.core.ops.OpDef;
import dev.autograd.core.tensor.Shapes;
import java.util.ArrayList;
import java.util.List;
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

  @Test
  void aNodeThatSavedOneValueReadsItAtItsPositionAndFreesIt() {
    Tensor x = Tensor.scalar(0.3).requiresGrad_(true);
    Tensor c = Tensor.scalar(2.0); // a constant factor: mul saves only c (position 1)
    Tensor y = x.tanh(); // tanh saves only its output (position 1)
    Tensor z = y.mul(c);
    OpNode mul = (OpNode) z.gradFn(), tanh = (OpNode) y.gradFn();
    assertEquals(1, mul.savedShapes().size());
    assertNull(mul.saved(0));
    assertSame(c, mul.saved(1));
    assertNull(tanh.saved(0));
    assertSame(y, tanh.saved(1));
    z.backward(null, true); // retained: the saved values stay readable
    z.backward();
    double t = Math.tanh(0.3);
    assertEquals(2 * 2 * (1 - t * t), x.grad().item(), 1e-6);
    assertTrue(tanh.savedShapes().isEmpty(), "freed after a backward without retainGraph");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> tanh.saved(1));
    assertTrue(e.getMessage().contains("backward through the graph a second time"), e.getMessage());
    assertThrows(IllegalStateException.class, z::backward);
  }

  @Test
  void hooksAndRetainedGradsStillReachScalarNodes() {
    Tensor x = Tensor.scalar(1.5).requiresGrad_(true);
    Tensor y = x.mul(x);
    y.retainGrad();
    List<Double> seen = new ArrayList<>();
    y.gradFn()
        .registerPrehook(
            g -> {
              seen.add(g.item());
              return g.mul(3.0);
            });
    y.gradFn().registerHook((in, out) -> null);
    y.add(1.0).backward();
    assertEquals(List.of(1.0), seen);
    assertTrue(y.grad() != null, "the retained gradient is filled");
    assertEquals(3 * 2 * 1.5, x.grad().item(), 1e-6);
  }

  @Test
  void zeroDimOutputSpecsAreSharedAndOthersAreNot() {
    assertSame(
        OpDef.OutSpec.of(DType.FLOAT32, new int[0]), OpDef.OutSpec.of(DType.FLOAT32, new int[0]));
    assertSame(Shapes.SCALAR, OpDef.OutSpec.of(DType.FLOAT64, new int[0]).shape());
    int[] shape = {2, 3};
    OpDef.OutSpec spec = OpDef.OutSpec.of(DType.FLOAT32, shape);
    assertSame(shape, spec.shape());
    assertEquals(DType.FLOAT32, spec.dtype());
  }
}
