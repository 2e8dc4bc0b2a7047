package dev.autograd.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * In-place ops on views, PyTorch's way (CopySlices): the base's history is rewritten, so it
 * requires grad afterwards and gradients reach every tensor written into it; views taken earlier
 * see the new history. Expected values are PyTorch 1.13's for the same programs.
 */
class InPlaceOnViewsTest {
  private static Tensor leaf(double... v) {
    return Tensor.of(v).requiresGrad_();
  }

  @Test
  void buildingATensorRowByRow() {
    Tensor y = leaf(1, 2, 3), z = leaf(4, 5, 6);
    Tensor x = Tensor.zeros(DType.FLOAT64, 2, 3);
    x.select(0, 0).copy_(y);
    x.select(0, 1).copy_(z.mul(2));
    assertTrue(x.requiresGrad(), "x[0] = y makes x require grad");
    assertEquals("CopySlices", x.gradFn().name());
    x.mul(Tensor.of(new double[] {1, 10, 100}, 1, 3)).sum().backward();
    assertArrayEquals(new double[] {1, 10, 100}, y.grad().toDoubleArray());
    assertArrayEquals(new double[] {2, 20, 200}, z.grad().toDoubleArray());
  }

  @Test
  void inPlaceOnASliceOfANonLeaf() {
    Tensor w = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2).requiresGrad_();
    Tensor h = w.mul(1);
    Tensor early = h.select(1, 1);
    h.narrow(1, 0, 1).mul_(3);
    assertEquals(
        "AsStridedBackward0", early.gradFn().name(), "a view taken earlier sees the new history");
    h.sum().backward();
    assertArrayEquals(new double[] {3, 1, 3, 1}, w.grad().toDoubleArray());
    Tensor v = leaf(-1, 2, -3, 4);
    Tensor u = v.mul(1);
    u.narrow(0, 0, 2).relu_();
    u.sum().backward();
    assertArrayEquals(new double[] {0, 1, 1, 1}, v.grad().toDoubleArray());
  }

  @Test
  void viewsOfViewsAndNonContiguousViews() {
    Tensor w = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad_();
    Tensor h = w.mul(1);
    h.t()
        .select(0, 2)
        .narrow(0, 1, 1)
        .mul_(10); // h[1, 2] *= 10 through a transposed view of a view
    h.sum().backward();
    assertArrayEquals(new double[] {1, 1, 1, 1, 1, 10}, w.grad().toDoubleArray());
  }

  @Test
  void retainedGradientOfARebasedTensor() {
    Tensor q = leaf(1, 2);
    Tensor r = q.mul(1);
    r.retainGrad();
    r.mul_(2);
    r.sum().backward();
    assertArrayEquals(
        new double[] {1, 1}, r.grad().toDoubleArray(), "the gradient of r's new value, as PyTorch");
    assertArrayEquals(new double[] {2, 2}, q.grad().toDoubleArray());
  }

  @Test
  void pyTorchsErrors() {
    Exception leafView =
        assertThrows(
            IllegalStateException.class,
            () -> Tensor.ones(4).requiresGrad_().narrow(0, 0, 2).mul_(2));
    assertTrue(
        leafView.getMessage().contains("a view of a leaf Variable that requires grad"),
        leafView.getMessage());
    Exception split =
        assertThrows(
            IllegalStateException.class,
            () -> Tensor.ones(4).requiresGrad_().mul(1).split(2)[0].mul_(2));
    assertTrue(split.getMessage().contains("split or chunk"), split.getMessage());
    Exception detach =
        assertThrows(IllegalStateException.class, () -> Tensor.ones(4).narrow(0, 0, 2).detach_());
    assertTrue(detach.getMessage().contains("Can't detach views in-place"), detach.getMessage());
    Tensor x = Tensor.ones(DType.FLOAT64, 2).requiresGrad_();
    assertThrows(
        IllegalArgumentException.class,
        () -> x.setGrad(Tensor.ones(DType.FLOAT32, 2)),
        ".grad keeps the dtype");
    assertThrows(
        IllegalArgumentException.class,
        () -> x.setGrad(Tensor.ones(DType.FLOAT64, 3)),
        ".grad keeps the shape");
  }

  @Test
  void withoutGradNothingIsRecordedAndDetachedAliasesStayDetached() {
    Tensor x = Tensor.zeros(DType.FLOAT64, 2, 2);
    Tensor d = x.detach();
    x.select(0, 0).copy_(leaf(1, 2).mul(1));
    assertTrue(x.requiresGrad());
    assertFalse(d.requiresGrad(), "detach() shares memory, never history");
    Tensor y = Tensor.zeros(DType.FLOAT64, 2);
    try (GradMode.Scope s = Autograd.noGrad()) {
      y.narrow(0, 0, 1).copy_(leaf(5));
    }
    assertFalse(y.requiresGrad());
    assertArrayEquals(new double[] {5, 0}, y.toDoubleArray());
  }

  @Test
  void readmeExample() {
    Tensor y = Tensor.of(new double[] {1, 2, 3}).requiresGrad_();
    Tensor x = Tensor.zeros(DType.FLOAT64, 2, 3);
    x.select(0, 0).copy_(y); // x[0] = y
    x.select(1, 1).mul_(2);
    System.out.println(
        x.gradFn()); // <CopySlices>; x.requiresGrad() is true, y.grad() is filled by backward
    assertEquals("CopySlices", x.gradFn().name());
    x.sum().backward();
    assertArrayEquals(
        new double[] {1, 2, 1}, y.grad().toDoubleArray(), "y[1] was doubled in place");
  }
}
