package dev.autograd.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Whole training steps inside a compiled function: backward(), reading and clearing .grad, and
 * in-place updates replay with the same effects as eager, bit for bit, step after step.
 */
class CompiledTrainingStepTest {
  static final int N = 16, D_IN = 40, H = 12, D_OUT = 5;

  /** The seed's data and weights; {@link #step} is its loop body written inside one function. */
  static final class Seed {
    final Tensor x, y, w1, w2a, w2b;

    Seed(long seed) {
      Generator g = new Generator(seed);
      x = Tensor.randn(g, DType.FLOAT32, N, D_IN);
      y = Tensor.randn(g, DType.FLOAT32, N, D_OUT);
      w1 = Tensor.randn(g, DType.FLOAT32, D_IN, H).requiresGrad_();
      w2a = Tensor.randn(g, DType.FLOAT32, H, D_OUT).requiresGrad_();
      w2b = Tensor.randn(g, DType.FLOAT32, H, D_OUT).requiresGrad_();
    }

    Tensor[] args(double prevLoss) {
      return new Tensor[] {x, y, w1, w2a, w2b, Tensor.scalar(prevLoss, DType.FLOAT64)};
    }
  }

  /**
   * Forward (with the seed's branch), backward, SGD under noGrad and zeroing, as the seed's loop;
   * returns the loss.
   */
  static Tensor step(Tensor[] a, double lr) {
    Tensor w2 = a[5].lt(5.0).toBoolean() ? a[3] : a[4];
    Tensor loss = a[0].mm(a[2]).clampMin(0).mm(w2).sub(a[1]).pow(2).sum();
    loss.backward();
    try (GradMode.Scope s = Autograd.noGrad()) {
      for (Tensor w : new Tensor[] {a[2], a[3], a[4]}) {
        if (w.grad() == null) continue;
        w.sub_(w.grad().mul(lr));
        w.grad().zero_();
      }
    }
    return loss;
  }

  private static void same(String what, Tensor expected, Tensor actual) {
    if (expected == null || actual == null) {
      assertEquals(expected == null, actual == null, what + ": null on one side");
      return;
    }
    assertArrayEquals(expected.shape(), actual.shape(), what);
    assertArrayEquals(expected.toDoubleArray(), actual.toDoubleArray(), what);
  }

  @Test
  void theSeedsWholeStepReplaysLikeEagerThroughBothBranches() {
    Seed eager = new Seed(3), compiled = new Seed(3);
    CompiledFunction graph = Autograd.compile(a -> step(a, 1e-3));
    double pe = 5.0, pc = 5.0;
    boolean below = false, above = false;
    for (int t = 0; t < 300; t++) {
      pe = step(eager.args(pe), 1e-3).item();
      pc = graph.call(compiled.args(pc)).item();
      assertEquals(pe, pc, 0.0, "loss at step " + t);
      below |= pe < 5.0;
      above |= pe >= 5.0;
      same("w1 at step " + t, eager.w1, compiled.w1);
      same("w2a at step " + t, eager.w2a, compiled.w2a);
      same("w2b at step " + t, eager.w2b, compiled.w2b);
      same("w1.grad at step " + t, eager.w1.grad(), compiled.w1.grad());
      same("w2a.grad at step " + t, eager.w2a.grad(), compiled.w2a.grad());
    }
    assertTrue(
        below && above, "the loss should cross 5.0 so that both branches run; last loss " + pe);
    assertTrue(graph.replayCount() >= 290, "replays: " + graph.replayCount() + "\n" + graph);
    String listing = graph.toString();
    assertTrue(
        listing.contains("in place: grad +=")
            && listing.contains("in place: sub_")
            && listing.contains("in place: zero_"),
        listing);
  }

  /**
   * Captured weights, .grad cleared to null (set_to_none) before each step, Autograd.grad inside,
   * out= forms.
   */
  @Test
  void capturedWeightsClearedGradsAndGradInsideReplay() {
    List<Tensor> eagerW = weights(5), compiledW = weights(5);
    Tensor x = Tensor.randn(new Generator(9), DType.FLOAT32, N, D_IN),
        y = Tensor.randn(new Generator(10), DType.FLOAT32, N, D_OUT);
    Tensor eagerBuf = Tensor.zeros(DType.FLOAT32, D_IN, H),
        compiledBuf = Tensor.zeros(DType.FLOAT32, D_IN, H);
    java.util.function.BiFunction<List<Tensor>, Tensor, Tensor> body =
        (w, buf) -> {
          for (Tensor p : w) p.setGrad(null); // zeroGrad(), PyTorch 2's default
          Tensor h = x.mm(w.get(0)).tanh();
          Tensor loss = h.mm(w.get(1)).sub(y).square().mean();
          Tensor dh =
              Autograd.grad(new Tensor[] {loss}, new Tensor[] {w.get(0)}, null, true, false, false)[
                  0];
          loss.backward();
          try (GradMode.Scope s = Autograd.noGrad()) {
            dh.mul(0.5, buf); // an out= form: buf = 0.5 * dh
            for (Tensor p : w) p.add_(p.grad(), -0.05);
            w.get(0).sub_(buf);
          }
          return loss;
        };
    CompiledFunction step = Autograd.compile(a -> body.apply(compiledW, compiledBuf));
    for (int t = 0; t < 30; t++) {
      Tensor le = body.apply(eagerW, eagerBuf), lc = step.call();
      same("loss at step " + t, le, lc);
      for (int i = 0; i < 2; i++) {
        same("w" + i + " at step " + t, eagerW.get(i), compiledW.get(i));
        same("w" + i + ".grad at step " + t, eagerW.get(i).grad(), compiledW.get(i).grad());
      }
      same("buf at step " + t, eagerBuf, compiledBuf);
    }
    assertTrue(step.replayCount() >= 27, step.explain() + "\n" + step);
  }

  private static List<Tensor> weights(long seed) {
    Generator g = new Generator(seed);
    List<Tensor> w = new ArrayList<>();
    w.add(Tensor.randn(g, DType.FLOAT32, D_IN, H).mul(0.2).detach().requiresGrad_());
    w.add(Tensor.randn(g, DType.FLOAT32, H, D_OUT).mul(0.2).detach().requiresGrad_());
    return w;
  }

  /**
   * A branch after an update cannot be undone by a failed replay: that path runs eagerly, and says
   * why.
   */
  @Test
  void aBranchAfterAnUpdateRunsEagerlyWithTheReason() {
    Tensor w = Tensor.of(new double[] {1, 2, 3}).requiresGrad_();
    CompiledFunction f =
        Autograd.compile(
            a -> {
              Tensor loss = a[0].mul(w).sum();
              loss.backward();
              try (GradMode.Scope s = Autograd.noGrad()) {
                w.sub_(w.grad().mul(0.1));
                if (w.sum().gt(5).toBoolean()) w.grad().zero_();
              }
              return loss;
            });
    Tensor wEager = Tensor.of(new double[] {1, 2, 3}).requiresGrad_();
    Tensor x = Tensor.of(new double[] {1, 1, 1});
    for (int t = 0; t < 4; t++) {
      Tensor le = x.mul(wEager).sum();
      le.backward();
      try (GradMode.Scope s = Autograd.noGrad()) {
        wEager.sub_(wEager.grad().mul(0.1));
        if (wEager.sum().gt(5).toBoolean()) wEager.grad().zero_();
      }
      same("loss", le, f.call(x));
      same("w", wEager, w);
      same("w.grad", wEager.grad(), w.grad());
    }
    assertEquals(0, f.replayCount());
    assertTrue(f.explain().contains("decides a branch after the in-place write"), f.explain());
  }

  /**
   * Java state that changes every call (a counter baked into the update) never settles: eager, with
   * one warning.
   */
  @Test
  void javaStateThatChangesEveryCallRunsEagerly() {
    Tensor w = Tensor.of(new double[] {1, 2, 3});
    int[] calls = {0};
    CompiledFunction f =
        Autograd.compile(
            a -> {
              calls[0]++;
              return w.add_(a[0], calls[0]).sum(); // alpha differs on each call
            });
    double[] expected = {1, 2, 3};
    List<String> warned =
        warnings(
            () -> {
              for (int t = 1; t <= 8; t++) {
                f.call(Tensor.of(new double[] {1, 1, 1}));
                for (int i = 0; i < 3; i++) expected[i] += t;
                assertArrayEquals(expected, w.toDoubleArray());
              }
            });
    assertEquals(0, f.replayCount());
    assertEquals(1, warned.size(), warned.toString());
    assertTrue(warned.get(0).contains("recordings keep differing"), warned.get(0));
  }

  /**
   * State made lazily on the first call (a momentum buffer) is read as captured afterwards: replays
   * match eager.
   */
  @Test
  void stateMadeOnTheFirstCallIsCapturedAfterwards() {
    Tensor[] momentum = {null, null};
    Tensor wc = Tensor.of(new double[] {1, -2, 3}).requiresGrad_(),
        we = Tensor.of(new double[] {1, -2, 3}).requiresGrad_();
    java.util.function.BiFunction<Tensor, Integer, Tensor> body =
        (w, slot) -> {
          Tensor loss = w.pow(2).sum();
          loss.backward();
          try (GradMode.Scope s = Autograd.noGrad()) {
            if (momentum[slot] == null) momentum[slot] = Tensor.zeros(DType.FLOAT64, 3);
            momentum[slot].mul_(0.9).add_(w.grad());
            w.sub_(momentum[slot].mul(0.1));
            w.grad().zero_();
          }
          return loss;
        };
    CompiledFunction f = Autograd.compile(a -> body.apply(wc, 1));
    for (int t = 0; t < 10; t++) {
      same("loss at step " + t, body.apply(we, 0), f.call());
      same("w at step " + t, we, wc);
      same("momentum at step " + t, momentum[0], momentum[1]);
    }
    assertNotNull(momentum[1]);
    assertTrue(f.replayCount() >= 7, f.explain() + "\n" + f);
  }

  private static List<String> warnings(Runnable body) {
    Logger log = Logger.getLogger("dev.autograd");
    List<String> got = new ArrayList<>();
    Handler h =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            got.add(r.getMessage());
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    log.addHandler(h);
    try {
      body.run();
    } finally {
      log.removeHandler(h);
    }
    return got;
  }
}
