package dev.autograd.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.core.internal.Tensors;
import dev.autograd.core.internal.optim.Grads;
import dev.autograd.core.tensor.Storage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Tries to break the two ways eager training reuses gradient memory: a matmul's weight gradient
 * added straight into an existing {@code .grad}, and an engine-made {@code .grad} recycled when
 * replaced before anyone read it. Every gradient the user can reach must keep its values; every
 * gradient must equal the one computed without reuse. Sizes are above {@link Storage#POOLED_MIN} so
 * the arrays are really recycled (the scalar-kernel test run pools every size).
 */
class GradReuseTest {
  private static final int K = 80,
      M = 70,
      N = Math.max(100, Storage.POOLED_MIN / K + 1); // w is K×N: pooled

  private static Tensor randn(int seed, int... shape) {
    return Tensor.randn(new Generator(seed), DType.FLOAT32, shape);
  }

  /**
   * x·w's gradient at w for the loss sum((x·w)²), computed without any reuse (Autograd.grad while
   * recording).
   */
  private static double[] expectedGrad(Tensor x, Tensor w) {
    return Autograd.grad(
        new Tensor[] {x.mm(w).pow(2).sum()}, new Tensor[] {w}, null, false, true, false)[0]
        .toDoubleArray();
  }

  private static void step(Tensor x, Tensor w) {
    x.mm(w).pow(2).sum().backward();
  }

  private static double[] plus(double[] a, double[] b) {
    double[] c = a.clone();
    for (int i = 0; i < c.length; i++) c[i] += b[i];
    return c;
  }

  @Test
  void theWeightGradientIsAddedIntoTheExistingGradInPlace() {
    Tensor x = randn(1, M, K), w = randn(2, K, N).requiresGrad_();
    double[] once = expectedGrad(x, w);
    step(x, w);
    Tensor g = w.grad();
    assertArrayEquals(once, g.toDoubleArray(), 1e-3);
    int version = Tensors.storage(g).version();
    step(x, w);
    assertSame(g, w.grad(), "accumulated into the same .grad, as PyTorch's grad += new");
    assertTrue(Tensors.storage(g).version() > version, "the in-place add is counted");
    assertArrayEquals(plus(once, once), g.toDoubleArray(), 2e-3);
  }

  @Test
  void bothOperandsAndBothOrdersAccumulate() {
    Tensor a = randn(3, M, K).requiresGrad_(), b = randn(4, K, N).requiresGrad_();
    Tensor[] fresh =
        Autograd.grad(
            new Tensor[] {a.mm(b).tanh().sum()}, new Tensor[] {a, b}, null, false, true, false);
    a.mm(b).tanh().sum().backward();
    a.mm(b).tanh().sum().backward();
    assertArrayEquals(
        plus(fresh[0].toDoubleArray(), fresh[0].toDoubleArray()), a.grad().toDoubleArray(), 1e-4);
    assertArrayEquals(
        plus(fresh[1].toDoubleArray(), fresh[1].toDoubleArray()), b.grad().toDoubleArray(), 1e-4);
  }

  @Test
  void aGradSharingAnOperandsStorageIsNotWrittenWhileRead() {
    // w.grad aliases x (a square product): adding in place would read a half-written operand
    Tensor x = randn(5, N, N).requiresGrad_(), w = randn(6, N, N).requiresGrad_();
    Tensor alias = x.detach();
    double[] xBefore = alias.toDoubleArray();
    double[] fresh =
        Autograd.grad(new Tensor[] {x.mm(w).sum()}, new Tensor[] {w}, null, false, true, false)[0]
            .toDoubleArray();
    w.setGrad(alias);
    x.mm(w).sum().backward();
    assertArrayEquals(plus(xBefore, fresh), w.grad().toDoubleArray(), 1e-3);
  }

  @Test
  void hooksAnomalyModeAndCreateGraphStillSeeTheGradient() {
    Tensor x = randn(7, M, K), w = randn(8, K, N).requiresGrad_();
    double[] once = expectedGrad(x, w);
    List<Tensor> seen = new ArrayList<>();
    step(x, w);
    RemovableHandle h =
        w.registerHook(
            g -> {
              seen.add(g);
              return null;
            });
    step(x, w);
    h.remove();
    assertEquals(1, seen.size(), "the leaf's hook ran on the gradient");
    assertArrayEquals(once, seen.get(0).toDoubleArray(), 1e-3);
    Autograd.setDetectAnomaly(true);
    try {
      step(x, w);
    } finally {
      Autograd.setDetectAnomaly(false);
    }
    x.mm(w).pow(2).sum().backward(null, false, true);
    double[] four = plus(plus(once, once), plus(once, once));
    assertArrayEquals(four, w.grad().toDoubleArray(), 4e-3);
    assertArrayEquals(once, seen.get(0).toDoubleArray(), 1e-3, "the hook's tensor kept its values");
  }

  @Test
  void aGradTheUserReadIsNeverRecycled() {
    Tensor x = randn(9, M, K), w = randn(10, K, N).requiresGrad_();
    double[] once = expectedGrad(x, w);
    step(x, w);
    Tensor kept = w.grad();
    Tensor view = kept.view(-1);
    w.setGrad(null); // like zeroGrad(): kept was read, so its array stays the user's
    for (int i = 0; i < 5; i++) { // new gradients, other arrays from the pool
      step(x, w);
      w.setGrad(null);
    }
    assertArrayEquals(once, kept.toDoubleArray(), 1e-3);
    assertArrayEquals(once, view.toDoubleArray(), 1e-3);
  }

  @Test
  void anUnreadGradIsRecycledAndTheNextBackwardReusesItsArray() {
    Tensor x = randn(11, M, K), w = randn(12, K, N).requiresGrad_();
    double[] once = expectedGrad(x, w);
    step(x, w);
    Storage first = Tensors.storage(Grads.forUpdate(w)); // an optimizer's read: not the user's
    w.setGrad(null);
    step(x, w);
    Tensor g = w.grad();
    assertArrayEquals(
        once, g.toDoubleArray(), 1e-3, "the reused array holds the new gradient only");
    assertNotSame(first, Tensors.storage(g));
  }

  @Test
  void retainedGradsOfNonLeavesStayReadable() {
    Tensor x = randn(13, M, K), w = randn(14, K, N).requiresGrad_();
    Tensor y = x.mm(w);
    y.retainGrad();
    y.pow(2).sum().backward();
    Tensor yg = y.grad();
    double[] values = yg.toDoubleArray();
    y.setGrad(null);
    w.setGrad(null);
    for (int i = 0; i < 3; i++) {
      step(x, w);
      w.setGrad(null);
    }
    assertArrayEquals(values, yg.toDoubleArray(), 0);
  }

  @Test
  void aReaderThreadNeverGetsARecycledGrad() throws Exception {
    Tensor x = randn(15, M, K), w = randn(16, K, N).requiresGrad_();
    double[] once = expectedGrad(x, w);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread trainer =
        new Thread(
            () -> {
              try {
                for (int i = 0; i < 300; i++) {
                  w.setGrad(null); // zeroGrad
                  step(x, w);
                  Grads.forUpdate(w); // an optimizer's read
                  java.util.concurrent.locks.LockSupport.parkNanos(
                      50_000); // leave the reader a window on this gradient
                }
              } catch (Throwable t) {
                failure.compareAndSet(null, t);
              }
            });
    trainer.start();
    int checked = 0;
    while (trainer.isAlive()) {
      Tensor g = w.grad();
      if (g == null) continue;
      assertArrayEquals(
          once, g.toDoubleArray(), 1e-3, "a gradient read by another thread keeps its values");
      checked++;
    }
    trainer.join();
    if (failure.get() != null)
      throw new AssertionError("the training thread failed", failure.get());
    assertTrue(checked > 0);
    assertArrayEquals(once, w.grad().toDoubleArray(), 1e-3);
  }

  @Test
  void setGradToTheSameTensorKeepsIt() {
    Tensor x = randn(17, M, K), w = randn(18, K, N).requiresGrad_();
    step(x, w);
    Tensor g = Grads.forUpdate(w);
    w.setGrad(g);
    assertSame(g, w.grad());
    w.setGrad(null);
    assertNull(w.grad());
    double[] values = g.toDoubleArray(); // read after setGrad(g) above: never recycled
    step(x, w);
    assertArrayEquals(values, g.toDoubleArray(), 0);
  }
}
