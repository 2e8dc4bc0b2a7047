package dev.autograd.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.autograd.core.internal.nn.NnOps;
import org.junit.jupiter.api.Test;

/** The dispatch shortcuts give the same values, versions and gradients as the general paths. */
class FastPathTest {
  private static Tensor f64(double... v) {
    return Tensor.of(v);
  }

  @Test
  void oneElementOpsMatchTheKernelPath() {
    Tensor a = Tensor.scalar(0.3), b = Tensor.scalar(-1.7);
    Tensor va = Tensor.of(new float[] {0.3f, 0f}), vb = Tensor.of(new float[] {-1.7f, 0f});
    assertEquals(va.add(vb).toFloatArray()[0], (float) a.add(b).item());
    assertEquals(va.mul(vb).toFloatArray()[0], (float) a.mul(b).item());
    assertEquals(va.div(vb).toFloatArray()[0], (float) a.div(b).item());
    assertEquals(va.sub(vb).toFloatArray()[0], (float) a.sub(b).item());
    assertEquals(
        5L, (long) Tensor.scalar(2, DType.INT64).add(Tensor.scalar(3, DType.INT64)).item());
    // a 0-dim operand expanded to 3 elements is not a one-element op
    assertArrayEquals(new float[] {0.6f, 0.6f, 0.6f}, a.expand(3).mul(2).toFloatArray());
  }

  @Test
  void inPlaceUpdatesMatchOutOfPlaceAndBumpTheVersion() {
    Tensor p = f64(1, 2, 3), g = f64(0.5, -1, 4);
    Tensor expected = p.add(g, -0.1);
    int v0 = p.version();
    try (GradMode.Scope s = Autograd.noGrad()) {
      p.add_(g, -0.1);
    }
    assertArrayEquals(expected.toDoubleArray(), p.toDoubleArray(), 0);
    assertEquals(v0 + 1, p.version());
    Tensor q = Tensor.of(new float[] {1, 2, 3});
    q.mul_(2).sub_(1).div_(4).add_(Tensor.scalar(1));
    assertArrayEquals(new float[] {1.25f, 1.75f, 2.25f}, q.toFloatArray());
  }

  @Test
  void inPlaceWithAShiftedOverlapReadsTheOldValues() {
    Tensor x = Tensor.of(new float[] {1, 2, 3, 4});
    x.narrow(0, 1, 3).add_(x.narrow(0, 0, 3));
    assertArrayEquals(new float[] {1, 3, 5, 7}, x.toFloatArray());
    Tensor y = Tensor.of(new float[] {1, 2});
    y.add_(y);
    assertArrayEquals(new float[] {2, 4}, y.toFloatArray());
  }

  @Test
  void savedTensorModifiedByTheDirectPathIsDetected() {
    Tensor w = f64(1, 2).requiresGrad_();
    Tensor c = f64(3, 4);
    Tensor y = w.mul(c).sum();
    c.add_(f64(1, 1));
    IllegalStateException e =
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, y::backward);
    assertEquals(true, e.getMessage().contains("modified by an inplace operation"));
  }

  @Test
  void linearOnAMatrixIsOneAddmmNodeWithCorrectGradients() {
    Generator gen = new Generator(3);
    Tensor x = Tensor.randn(gen, DType.FLOAT64, 4, 3).requiresGrad_();
    Tensor w = Tensor.randn(gen, DType.FLOAT64, 2, 3).requiresGrad_();
    Tensor b = Tensor.randn(gen, DType.FLOAT64, 2).requiresGrad_();
    assertEquals("AddmmBackward0", NnOps.linear(x, w, b).gradFn().name());
    Gradcheck.assertGradients(in -> NnOps.linear(in[0], in[1], in[2]), x, w, b);
    Gradcheck.assertGradients(in -> NnOps.linear(in[0], in[1], null), x, w);
    Gradcheck.assertSecondOrder(in -> NnOps.linear(in[0], in[1], in[2]).square(), x, w, b);
    // a transposed (non-contiguous) weight and input
    Tensor wt = Tensor.randn(gen, DType.FLOAT64, 3, 2).requiresGrad_();
    Tensor xt = Tensor.randn(gen, DType.FLOAT64, 3, 4).requiresGrad_();
    Gradcheck.assertGradients(in -> NnOps.linear(in[0].t(), in[1].t(), in[2]), xt, wt, b);
    Tensor ref = x.matmul(w.t()).add(b);
    assertArrayEquals(ref.toDoubleArray(), NnOps.linear(x, w, b).toDoubleArray(), 1e-12);
  }

  @Test
  void backwardWithManyPendingGradientsAccumulatesEveryPath() {
    int n = 300;
    Tensor[] leaves = new Tensor[n];
    Tensor total = Tensor.scalar(0, DType.FLOAT64);
    Tensor shared = Tensor.scalar(2, DType.FLOAT64).requiresGrad_();
    Tensor[] mids = new Tensor[n];
    for (int i = 0; i < n; i++) {
      leaves[i] = Tensor.scalar(i, DType.FLOAT64).requiresGrad_();
      mids[i] = leaves[i].mul(shared); // every mid feeds shared: 300 pending contributions
    }
    for (int i = n - 1; i >= 0; i--) total = total.add(mids[i].mul(i % 5));
    total.backward();
    double expectShared = 0;
    for (int i = 0; i < n; i++) {
      assertEquals(2.0 * (i % 5), leaves[i].grad().item(), 0);
      expectShared += i * (i % 5);
    }
    assertEquals(expectShared, shared.grad().item(), 0);
  }

  @Test
  void summedGradientsNeverWriteIntoTheCallersGradient() {
    Tensor x = f64(1, 2).requiresGrad_();
    Tensor y = x.mul(1);
    Tensor out = y.add(y).add(y).add(y); // four contributions reach y's node, then x
    Tensor g = f64(0.5, -1);
    out.backward(g);
    assertArrayEquals(new double[] {0.5, -1}, g.toDoubleArray(), 0);
    assertArrayEquals(new double[] {2, -4}, x.grad().toDoubleArray(), 0);
  }
}
