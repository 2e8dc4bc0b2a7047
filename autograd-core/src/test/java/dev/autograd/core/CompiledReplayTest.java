package dev.autograd.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * What a replay runs instead of eager code: composite entries as their kernel parts, {@code mm}
 * with {@code out=} as a recorded write, and multi-output gradients that come out the same on every
 * replay.
 */
class CompiledReplayTest {
  private static void sameBits(String what, Tensor expected, Tensor actual) {
    assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
    assertArrayEquals(expected.toDoubleArray(), actual.toDoubleArray(), 0.0, what);
  }

  /**
   * log_softmax and softmax are written with other ops: a replay runs those ops into planned
   * buffers, with eager's values and gradients bit for bit.
   */
  @Test
  void compositeEntriesReplayAsTheirKernels() {
    Generator gen = new Generator(3);
    Tensor w = Tensor.randn(gen, DType.FLOAT32, 6, 5).requiresGrad_();
    Function<Tensor[], Tensor> fn =
        a -> {
          Tensor logits = a[0].mm(w);
          return logits.logSoftmax(1).mul(a[1]).sum().add(logits.softmax(0).square().sum());
        };
    CompiledFunction f = Autograd.compile(fn);
    for (int call = 0; call < 4; call++) {
      Tensor x = Tensor.randn(gen, DType.FLOAT32, 7, 6), y = Tensor.randn(gen, DType.FLOAT32, 7, 5);
      Tensor expected = fn.apply(new Tensor[] {x, y});
      Tensor expectedGrad = Autograd.grad(expected, w)[0];
      Tensor out = f.call(x, y);
      sameBits("value, call " + call, expected, out);
      sameBits("gradient, call " + call, expectedGrad, Autograd.grad(out, w)[0]);
    }
    assertEquals(3, f.replayCount());
    String text = f.toString();
    assertFalse(text.contains("softmax("), text); // no step computes a softmax: its parts run
    assertTrue(text.contains("exp(%") && text.contains("log(%"), text);
  }

  /**
   * A composite whose parts cannot all be traced stays one step that computes its output (here: var
   * and std, whatever their parts).
   */
  @Test
  void compositeEntriesStillReplayWhenTheyCannotBeSplit() {
    Function<Tensor[], Tensor> fn =
        a -> a[0].var(1, true, false).sum().add(a[0].std(0, true, true).sum());
    CompiledFunction f = Autograd.compile(fn);
    Generator gen = new Generator(4);
    for (int call = 0; call < 3; call++) {
      Tensor x = Tensor.randn(gen, DType.FLOAT64, 5, 4).requiresGrad_();
      Tensor expected = fn.apply(new Tensor[] {x});
      sameBits("value, call " + call, expected, f.call(x));
    }
    assertEquals(2, f.replayCount());
  }

  /** {@code mm} into {@code out=} inside the function is a write the replay repeats. */
  @Test
  void mmIntoOutReplays() {
    Generator gen = new Generator(5);
    Tensor w = Tensor.randn(gen, DType.FLOAT32, 3, 4);
    Tensor out = Tensor.zeros(DType.FLOAT32, 2, 4), eagerOut = Tensor.zeros(DType.FLOAT32, 2, 4);
    CompiledFunction f =
        Autograd.compile(
            a -> {
              try (var off = Autograd.noGrad()) {
                a[0].mm(w, out);
              }
              return out.mul(2).sum();
            });
    for (int call = 0; call < 4; call++) {
      Tensor x = Tensor.randn(gen, DType.FLOAT32, 2, 3);
      Tensor expected;
      try (var off = Autograd.noGrad()) {
        expected = x.mm(w, eagerOut).mul(2).sum();
      }
      sameBits("value, call " + call, expected, f.call(x));
      sameBits("out, call " + call, eagerOut, out);
    }
    assertEquals(2, f.replayCount()); // a lasting write: the second recording settles the trace
    assertTrue(f.toString().contains("in place: mm(out=)"), f.toString());
  }

  /**
   * Several outputs backwarded together: each output's traced backward runs on its own and the
   * engine adds their gradients at the arguments, so the sum is rounded in another place than
   * eager's (within float32 rounding) but the same on every replay; one output's gradient alone is
   * eager's bit for bit.
   */
  @Test
  void multiOutputGradientsAreTheSameOnEveryReplay() {
    Function<Tensor[], Tensor[]> fn =
        a -> {
          Tensor mid = a[0].mul(2).exp().add(a[1]).mul(0.5);
          Tensor end = mid.sin().add(1).mul(a[1]);
          return new Tensor[] {mid, end.sum(), end};
        };
    Generator gen = new Generator(6);
    Tensor x = Tensor.rand(gen, DType.FLOAT32, 10_000).add(0.1).detach().requiresGrad_();
    Tensor y = Tensor.rand(gen, DType.FLOAT32, 10_000).add(0.1).detach().requiresGrad_();
    Tensor[] in = {x, y};
    Tensor[] eager = fn.apply(in);
    Tensor[] eagerTogether = together(eager, in);
    Tensor eagerAlone =
        Autograd.grad(new Tensor[] {fn.apply(in)[2].sum()}, in, null, false, false, false)[0];
    CompiledFunction f = Autograd.compileMulti(fn);
    Tensor[] firstReplay = null;
    for (int call = 0; call < 5; call++) {
      Tensor[] out = f.callMulti(in);
      Tensor[] g = together(out, in);
      for (int i = 0; i < 2; i++) {
        float[] e = eagerTogether[i].toFloatArray(), c = g[i].toFloatArray();
        for (int k = 0; k < e.length; k++)
          assertEquals(
              e[k], c[k], 2e-6 * Math.max(1, Math.abs(e[k])), "gradient " + i + " at " + k);
      }
      if (call == 1) firstReplay = g;
      if (call > 1)
        for (int i = 0; i < 2; i++)
          sameBits("replay " + call + ", gradient " + i, firstReplay[i], g[i]);
      Tensor[] alone =
          Autograd.grad(new Tensor[] {f.callMulti(in)[2].sum()}, in, null, false, false, false);
      sameBits("one output alone, call " + call, eagerAlone, alone[0]);
    }
    assertTrue(f.replayCount() >= 8, f.toString());
  }

  /**
   * A weight gradient goes straight into {@code .grad}: into the trace's buffer when the step
   * clears {@code .grad} to null, added by the GEMM when it keeps it (a batch of 300 makes the
   * product's inner dimension span several GEMM slabs); replayed steps give eager's weights and
   * gradients bit for bit (the SGD update, one pass per weight, too).
   */
  @Test
  void weightGradientsGoStraightIntoGrad() {
    for (boolean clearToNull : new boolean[] {true, false}) {
      Generator gen = new Generator(7);
      Tensor x = Tensor.randn(gen, DType.FLOAT32, 300, 20),
          y = Tensor.randn(gen, DType.FLOAT32, 300, 3);
      Tensor w1 = Tensor.randn(gen, DType.FLOAT32, 20, 16),
          w2 = Tensor.randn(gen, DType.FLOAT32, 16, 3);
      Tensor[] eager = {w1.clone().requiresGrad_(), w2.clone().requiresGrad_()};
      Tensor[] compiled = {w1.clone().requiresGrad_(), w2.clone().requiresGrad_()};
      Function<Tensor[], Tensor> step =
          a -> {
            if (clearToNull) for (int i = 2; i < 4; i++) a[i].setGrad(null);
            Tensor loss = a[0].mm(a[2]).relu().mm(a[3]).sub(a[1]).square().mean();
            loss.backward();
            try (var off = Autograd.noGrad()) {
              for (int i = 2; i < 4; i++) {
                a[i].sub_(a[i].grad().mul(0.01));
                if (!clearToNull) a[i].grad().mul_(0.5); // kept, and added to next step
              }
            }
            return loss;
          };
      CompiledFunction f = Autograd.compile(step);
      for (int t = 0; t < 6; t++) {
        Tensor le = step.apply(new Tensor[] {x, y, eager[0], eager[1]});
        Tensor lc = f.call(x, y, compiled[0], compiled[1]);
        if (t < 2) { // the recording calls trace the backward with the product and the sum apart
          for (int i = 0; i < 2; i++) {
            try (var off = Autograd.noGrad()) {
              eager[i].copy_(compiled[i]);
              eager[i].grad().copy_(compiled[i].grad());
            }
          }
          continue;
        }
        sameBits("loss at step " + t, le, lc);
        for (int i = 0; i < 2; i++) {
          sameBits("weight " + i + " at step " + t, eager[i], compiled[i]);
          sameBits("gradient " + i + " at step " + t, eager[i].grad(), compiled[i].grad());
        }
      }
      assertTrue(f.replayCount() >= 3, f.toString());
      assertTrue(f.toString().contains("straight into .grad"), f.toString());
      assertTrue(f.toString().contains("(SGD update)"), f.toString()); // w -= g * lr in one pass
    }
  }

  /**
   * The one-pass SGD update ({@code w.sub_(w.grad().mul(lr))}, {@code w.grad().zero_()}) gives
   * eager's bits for float64 weights too, and for a weight that starts inside a larger storage (an
   * offset), with a length that is no multiple of the vector width.
   */
  @Test
  void sgdUpdateInOnePassMatchesEagerForDoublesAndOffsets() {
    for (DType dt : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
      Generator gen = new Generator(12);
      Tensor x = Tensor.randn(gen, dt, 9, 7), y = Tensor.randn(gen, dt, 9, 5);
      Tensor init = Tensor.randn(gen, dt, 7, 5);
      Tensor[] w = new Tensor[2];
      for (int i = 0; i < 2; i++) {
        Tensor big = Tensor.zeros(dt, 10, 5);
        try (var off = Autograd.noGrad()) {
          big.narrow(0, 2, 7).copy_(init);
        }
        w[i] = big.narrow(0, 2, 7).detach().requiresGrad_(); // a leaf at storage offset 10
      }
      Function<Tensor[], Tensor> step =
          a -> {
            Tensor loss = a[0].mm(a[2]).tanh().sub(a[1]).square().sum();
            loss.backward();
            try (var off = Autograd.noGrad()) {
              a[2].sub_(a[2].grad().mul(0.05));
              a[2].grad().zero_();
            }
            return loss;
          };
      CompiledFunction f = Autograd.compile(step);
      for (int t = 0; t < 8; t++) {
        Tensor le = step.apply(new Tensor[] {x, y, w[0]});
        Tensor lc = f.call(x, y, w[1]);
        sameBits(dt + " loss at step " + t, le, lc);
        sameBits(dt + " weight at step " + t, w[0], w[1]);
        sameBits(dt + " gradient at step " + t, w[0].grad(), w[1].grad());
      }
      assertTrue(f.replayCount() >= 5, f.toString());
      assertTrue(f.toString().contains("(SGD update)"), f.toString());
    }
  }

  private static Tensor[] together(Tensor[] out, Tensor[] in) {
    return Autograd.grad(
        out,
        in,
        new Tensor[] {Tensor.onesLike(out[0]), null, Tensor.onesLike(out[2])},
        false,
        false,
        false);
  }
}
