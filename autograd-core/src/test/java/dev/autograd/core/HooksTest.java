package dev.autograd.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tensor hooks and node pre/post hooks, as PyTorch's register_hook / register_prehook behave. */
class HooksTest {
  private static Tensor leaf(double... v) {
    return Tensor.of(v).requiresGrad_();
  }

  @Test
  void aLeafHookSeesAndCanReplaceItsGradientBeforeItIsAccumulated() {
    Tensor x = leaf(1, 2, 3);
    List<double[]> seen = new ArrayList<>();
    RemovableHandle h =
        x.registerHook(
            g -> {
              seen.add(g.toDoubleArray());
              return g.mul(2);
            });
    x.mul(3).sum().backward();
    assertArrayEquals(new double[] {3, 3, 3}, seen.get(0));
    assertArrayEquals(
        new double[] {6, 6, 6}, x.grad().toDoubleArray(), "the hook's result is what accumulates");
    h.remove();
    h.remove(); // twice is fine
    x.mul(3).sum().backward();
    assertArrayEquals(
        new double[] {9, 9, 9}, x.grad().toDoubleArray(), "a removed hook no longer runs");
    assertEquals(1, seen.size());
  }

  @Test
  void aNonLeafHookChangesWhatFlowsOnAndWhatIsRetained() {
    Tensor x = leaf(1, 2);
    Tensor y = x.mul(x); // dy/dx = 2x
    y.retainGrad();
    y.registerHook(g -> g.mul(10));
    y.sum().backward();
    assertArrayEquals(new double[] {20, 40}, x.grad().toDoubleArray());
    assertArrayEquals(
        new double[] {10, 10}, y.grad().toDoubleArray(), "retain_grad sees the hooked gradient");
  }

  @Test
  void hooksRunInAutogradGradAndInOrder() {
    Tensor x = leaf(1, 2);
    Tensor y = x.exp();
    List<String> order = new ArrayList<>();
    y.registerHook(
        g -> {
          order.add("first");
          return null; // keep the gradient
        });
    y.registerHook(
        g -> {
          order.add("second");
          return g.mul(0);
        });
    Tensor[] g = Autograd.grad(new Tensor[] {y.sum()}, new Tensor[] {x}, false);
    assertArrayEquals(new double[] {0, 0}, g[0].toDoubleArray());
    assertEquals(List.of("first", "second"), order);
  }

  @Test
  void nodePreAndPostHooks() {
    Tensor a = leaf(2), b = leaf(3);
    Tensor c = a.mul(b);
    List<Integer> counts = new ArrayList<>();
    c.gradFn().registerPrehook(g -> g.mul(2));
    c.gradFn()
        .registerHook(
            (gradInputs, gradOutput) -> {
              counts.add(gradInputs.length);
              return new Tensor[] {gradInputs[0], gradInputs[1].mul(0)};
            });
    c.backward();
    assertArrayEquals(
        new double[] {6}, a.grad().toDoubleArray(), "g = 2 after the pre-hook, times b");
    assertArrayEquals(
        new double[] {0}, b.grad().toDoubleArray(), "the post-hook zeroed b's gradient");
    assertEquals(List.of(2), counts);
  }

  @Test
  void errors() {
    Exception e =
        assertThrows(IllegalStateException.class, () -> Tensor.ones(2).registerHook(g -> g));
    assertTrue(e.getMessage().contains("doesn't require gradient"), e.getMessage());
    Tensor x = leaf(1, 2);
    x.registerHook(g -> Tensor.ones(DType.FLOAT64, 3));
    Exception shape = assertThrows(IllegalStateException.class, () -> x.sum().backward());
    assertTrue(shape.getMessage().contains("expected [2]"), shape.getMessage());
  }
}
