package dev.autograd.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Seed 003's static graph, compiled and eager side by side: losses, gradients and weights bit for
 * bit.
 */
class CompiledSeedTest {
  static final int N = 64, D_IN = 1000, H = 100, D_OUT = 10;

  /** The seed's model exactly as written: w2 = w2a if prev_loss < 5.0 else w2b. */
  static Tensor model(Tensor x, Tensor y, Tensor w1, Tensor w2a, Tensor w2b, Tensor prevLoss) {
    Tensor w2 = prevLoss.lt(5.0).toBoolean() ? w2a : w2b;
    Tensor yPred = x.mm(w1).clampMin(0).mm(w2);
    return yPred.sub(y).pow(2).sum();
  }

  /**
   * The seed's data and weights (smaller learning problem so the loss crosses 5.0 within the test).
   */
  static final class Net {
    final Tensor x, y, w1, w2a, w2b;

    Net(long seed) {
      Generator g = new Generator(seed);
      x = Tensor.randn(g, DType.FLOAT32, N, D_IN);
      y = Tensor.randn(g, DType.FLOAT32, N, D_OUT);
      w1 = Tensor.randn(g, DType.FLOAT32, D_IN, H).requiresGrad_();
      w2a = Tensor.randn(g, DType.FLOAT32, H, D_OUT).requiresGrad_();
      w2b = Tensor.randn(g, DType.FLOAT32, H, D_OUT).requiresGrad_();
    }

    /** The seed's loop body around {@code graph}; returns the loss. */
    double step(java.util.function.Function<Tensor[], Tensor> graph, double prevLoss, double lr) {
      Tensor loss =
          graph.apply(new Tensor[] {x, y, w1, w2a, w2b, Tensor.scalar(prevLoss, DType.FLOAT64)});
      double l = loss.item();
      loss.backward();
      try (GradMode.Scope s = Autograd.noGrad()) {
        for (Tensor w : new Tensor[] {w1, w2a, w2b}) {
          if (w.grad() == null) continue;
          w.sub_(w.grad().mul(lr));
          w.grad().zero_();
        }
      }
      return l;
    }
  }

  private static void assertSame(Tensor a, Tensor b, String what) {
    if (a == null || b == null) {
      assertEquals(a == null, b == null, what + ": one side has no gradient");
      return;
    }
    assertArrayEquals(a.shape(), b.shape(), what);
    assertArrayEquals(a.toFloatArray(), b.toFloatArray(), what);
  }

  /** The README's example (Static graphs), line for line. */
  @Test
  void readmeExample() {
    Net net = new Net(0);
    Tensor x = net.x, y = net.y, w1 = net.w1, w2a = net.w2a, w2b = net.w2b;
    double prevLoss = 5.0;
    CompiledFunction graph = Autograd.compile(a -> model(a[0], a[1], a[2], a[3], a[4], a[5]));
    Tensor loss = graph.call(x, y, w1, w2a, w2b, Tensor.scalar(prevLoss, DType.FLOAT64));
    prevLoss = loss.item();
    loss.backward(); // fills w1.grad and w2b.grad (or w2a.grad) as the eager call does
    assertTrue(prevLoss > 5.0 && w1.grad() != null && w2b.grad() != null && w2a.grad() == null);
  }

  @Test
  void trainsLikeEagerThroughBothBranches() {
    Net eager = new Net(3), compiled = new Net(3);
    CompiledFunction graph = Autograd.compile(a -> model(a[0], a[1], a[2], a[3], a[4], a[5]));
    java.util.function.Function<Tensor[], Tensor> plain =
        a -> model(a[0], a[1], a[2], a[3], a[4], a[5]);
    double pe = 5.0, pc = 5.0;
    boolean below = false, above = false;
    for (int t = 0; t < 200; t++) {
      pe = eager.step(plain, pe, 1e-6);
      pc = compiled.step(graph::call, pc, 1e-6);
      assertEquals(pe, pc, 0.0, "loss at step " + t);
      below |= pe < 5.0;
      above |= pe >= 5.0;
      assertSame(eager.w1, compiled.w1, "w1 at step " + t);
      assertSame(eager.w2a, compiled.w2a, "w2a at step " + t);
      assertSame(eager.w2b, compiled.w2b, "w2b at step " + t);
      assertSame(eager.w1.grad(), compiled.w1.grad(), "w1.grad at step " + t);
    }
    System.out.println(graph.explain());
    assertTrue(
        below && above, "the loss should cross 5.0 so that both branches run; last loss " + pe);
    assertEquals(2, graph.traceCount(), graph.explain());
    assertTrue(graph.replayCount() >= 190, "replays: " + graph.replayCount() + "\n" + graph);
  }
}
