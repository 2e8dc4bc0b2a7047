package dev.autograd.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.core.display.GraphView;
import dev.autograd.core.display.Graphs;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Compiled functions: guards and retraces, captured tensors, fallbacks, errors, gradients, threads.
 */
class CompiledFunctionTest {
  private static Tensor vec(double... v) {
    return Tensor.of(v);
  }

  private static void same(Tensor expected, Tensor actual) {
    assertArrayEquals(expected.shape(), actual.shape());
    assertArrayEquals(expected.toDoubleArray(), actual.toDoubleArray());
  }

  /** Captures the library's warnings while {@code body} runs. */
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

  @Test
  void toBooleanIsPythonsBool() {
    assertFalse(Tensor.scalar(0).toBoolean());
    assertTrue(Tensor.scalar(-2).toBoolean());
    assertTrue(Tensor.scalar(Double.NaN).toBoolean());
    assertTrue(vec(3).gt(2).toBoolean());
    assertFalse(Tensor.of(new double[] {1}, 1, 1).lt(0).toBoolean());
    String m = assertThrows(IllegalStateException.class, () -> vec(1, 2).toBoolean()).getMessage();
    assertTrue(m.contains("Boolean value of Tensor with 2 elements is ambiguous"), m);
  }

  @Test
  void aGuardThatFlipsEveryStepTracesBothPathsOnce() {
    CompiledFunction f = Autograd.compile(a -> a[1].toBoolean() ? a[0].mul(2) : a[0].div(2));
    Tensor x = vec(1, 2, 3);
    for (int step = 0; step < 10; step++) {
      boolean flag = step % 2 == 0;
      Tensor y = f.call(x, Tensor.scalar(flag ? 1 : 0));
      same(flag ? x.mul(2) : x.div(2), y);
    }
    assertEquals(2, f.traceCount());
    assertEquals(8, f.replayCount());
    assertTrue(
        f.explain().contains("toBoolean() at dev.autograd.core.CompiledFunctionTest"), f.explain());
  }

  @Test
  void itemGuardsOnTheExactValueAndTheBoundRunsEagerlyWithOneWarning() {
    CompiledFunction f = Autograd.compile(a -> a[0].mul(a[1].item()));
    Tensor x = vec(1, 2);
    List<String> warned =
        warnings(
            () -> {
              for (int v = 0; v < 12; v++) same(x.mul(v), f.call(x, Tensor.scalar(v)));
              same(x.mul(3), f.call(x, Tensor.scalar(3))); // a recorded value replays
            });
    assertEquals(CompiledFunction.MAX_TRACES, f.traceCount());
    assertEquals(1, f.replayCount());
    assertEquals(12, f.eagerCount());
    assertEquals(1, warned.size(), warned.toString());
    assertTrue(
        warned.get(0).contains("called from dev.autograd.core.CompiledFunctionTest"),
        warned.get(0));
    assertTrue(f.explain().contains("specialized to item() == 2.0"), f.explain());
  }

  @Test
  void argumentShapesDtypesAndGradModeAreGuards() {
    CompiledFunction f = Autograd.compile(a -> a[0].exp().sum());
    f.call(vec(1, 2));
    f.call(vec(1, 2, 3));
    f.call(Tensor.of(new float[] {1, 2}));
    try (GradMode.Scope s = Autograd.noGrad()) {
      f.call(vec(1, 2).requiresGrad_());
    }
    f.call(vec(1, 2).requiresGrad_());
    f.call(Tensor.of(new double[] {1, 2, 3, 4}, 2, 2));
    f.call(Tensor.of(new double[] {1, 2, 3, 4}, 2, 2).t()); // strides
    String e = f.explain();
    assertEquals(7, f.traceCount(), e);
    assertTrue(e.contains("argument 0 has shape [3] (trace 1: [2])"), e);
    assertTrue(e.contains("argument 0 has dtype torch.float32"), e);
    assertTrue(e.contains("argument 0 has requiresGrad true"), e);
    assertTrue(e.contains("argument 0 has strides"), e);
  }

  @Test
  void capturedWeightsAreReadByReference() {
    Tensor w = vec(1, 2, 3).requiresGrad_();
    CompiledFunction f = Autograd.compile(a -> a[0].mul(w).sum());
    Tensor x = vec(4, 5, 6);
    for (int step = 0; step < 4; step++) {
      Tensor expected = x.mul(w).sum();
      Tensor y = f.call(x);
      same(expected, y);
      y.backward();
      same(x.mul(step + 1), w.grad()); // accumulates like eager
      try (GradMode.Scope s = Autograd.noGrad()) {
        w.sub_(vec(0.5, 0.5, 0.5));
      }
    }
    assertEquals(3, f.replayCount());
    assertEquals("CompiledFunctionBackward", f.call(x).gradFn().name());
  }

  @Test
  void anInPlaceWriteInsideReplays() {
    CompiledFunction f =
        Autograd.compile(
            a -> {
              Tensor h = a[0].mul(2);
              h.add_(1);
              return h.sum();
            });
    Tensor x = vec(1, 2, 3).requiresGrad_();
    List<String> warned =
        warnings(
            () -> {
              for (int i = 0; i < 3; i++) {
                Tensor y = f.call(x);
                same(Tensor.scalar(15, DType.FLOAT64), y);
                y.backward();
              }
            });
    same(vec(6, 6, 6), x.grad());
    assertEquals(2, f.replayCount(), f.toString());
    assertTrue(warned.isEmpty(), warned.toString());
    assertTrue(f.toString().contains("in place: add_"), f.toString());
  }

  /** A reduction's dims print by content in the trace's text, not as an array's identity. */
  @Test
  void traceTextPrintsArrayAttributesByContent() {
    CompiledFunction f = Autograd.compile(a -> a[0].sum(new int[] {0, 2}, true));
    Tensor x = Tensor.zeros(DType.FLOAT32, 2, 3, 4);
    for (int i = 0; i < 2; i++) f.call(x);
    String text = f.toString();
    assertTrue(text.contains("dims=[0, 2], keepDim=true"), text);
    assertFalse(text.contains("[I@"), text);
  }

  /**
   * A custom function, randomness, values read into Java, backward(): each runs eagerly, with its
   * reason.
   */
  @Test
  void whatCannotBeReplayedFallsBackWithItsReason() {
    Function square =
        new Function() {
          @Override
          protected Tensor forward(Context ctx, Tensor... in) {
            ctx.saveForBackward(in[0]);
            return in[0].mul(in[0]);
          }

          @Override
          protected Tensor[] backward(Context ctx, Tensor g) {
            return new Tensor[] {g.mul(ctx.savedTensors()[0]).mul(2)};
          }
        };
    Object[][] cases = {
      {
        (java.util.function.Function<Tensor[], Tensor>) a -> square.apply(a[0]).sum(),
        "custom Function"
      },
      {
        (java.util.function.Function<Tensor[], Tensor>)
            a -> a[0].add(Tensor.randn(3).to(DType.FLOAT64)),
        "is not traced"
      },
      {
        (java.util.function.Function<Tensor[], Tensor>) a -> a[0].mul(a[0].toDoubleArray()[0]),
        "toDoubleArray() reads"
      },
      {
        (java.util.function.Function<Tensor[], Tensor>)
            a -> {
              Tensor l = a[0].mul(a[0]).sum();
              l.backward(null, false, true);
              return l;
            },
        "backward(createGraph) inside"
      },
      {
        (java.util.function.Function<Tensor[], Tensor>)
            a -> a[0].mul(2).uniform_(0, 1, new Generator(1)).add(a[0]).sum(),
        "is not traced"
      },
      {
        (java.util.function.Function<Tensor[], Tensor>)
            a -> {
              Tensor l = a[0].mul(a[0]).sum();
              l.backward(null, false, false, a[0]);
              return l;
            },
        "backward(inputs=...)"
      },
      {
        (java.util.function.Function<Tensor[], Tensor>)
            a -> {
              try (var hooks = Autograd.savedTensorsHooks(t -> t, (Tensor o) -> o)) {
                return a[0].mul(a[0]).sum();
              }
            },
        "saved-tensor hooks"
      },
    };
    for (Object[] c : cases) {
      @SuppressWarnings("unchecked")
      java.util.function.Function<Tensor[], Tensor> fn =
          (java.util.function.Function<Tensor[], Tensor>) c[0];
      CompiledFunction f = Autograd.compile(fn);
      warnings(
          () -> {
            for (int i = 0; i < 2; i++) f.call(vec(1, 2, 3).requiresGrad_());
          });
      assertEquals(0, f.replayCount(), f.explain());
      assertTrue(f.explain().contains((String) c[1]), f.explain());
      assertTrue(
          f.toString().contains("trace 1"),
          "an eager path still describes itself"); // its steps may be unplanned
    }
  }

  @Test
  void errorsNameTheProblem() {
    CompiledFunction f = Autograd.compile(a -> a[0].neg());
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> f.call(vec(1), null))
            .getMessage()
            .contains("argument 1 is null"));
    CompiledFunction nul = Autograd.compile(a -> null);
    assertTrue(
        assertThrows(IllegalStateException.class, () -> nul.call(vec(1)))
            .getMessage()
            .contains("output 0 of the compiled function is null"));
    CompiledFunction two = Autograd.compileMulti(a -> new Tensor[] {a[0].neg(), a[0].exp()});
    assertTrue(
        assertThrows(IllegalStateException.class, () -> two.call(vec(1)))
            .getMessage()
            .contains("callMulti"));
    assertThrows(IllegalArgumentException.class, () -> Autograd.compile(null));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> f.toDot(1))
            .getMessage()
            .contains("0 trace(s)"));
    CompiledFunction bad = Autograd.compile(a -> a[0].mm(a[0]));
    assertThrows(
        IllegalArgumentException.class,
        () -> bad.call(vec(1, 2))); // the op's own error, from the trace
    assertEquals(0, bad.traceCount());
  }

  @Test
  void severalOutputsReplayAndTheArgumentComesBackItself() {
    CompiledFunction f = Autograd.compileMulti(a -> new Tensor[] {a[0], a[0].t(), a[0].sum(0)});
    Tensor x = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2);
    for (int i = 0; i < 3; i++) {
      Tensor[] out = f.callMulti(x);
      assertSame(x, out[0]);
      same(x.t(), out[1]);
      assertTrue(x.sharesStorageWith(out[1])); // a view of the argument, as eager
      same(x.sum(0), out[2]);
    }
    assertEquals(2, f.replayCount());
  }

  @Test
  void severalOutputsThatRequireGradEachGetTheirNode() {
    java.util.function.Function<Tensor[], Tensor[]> fn =
        a -> {
          Tensor h = a[0].mul(a[1]);
          return new Tensor[] {h.sin().sum(), h.exp().sum(0), a[1].square()};
        };
    CompiledFunction f = Autograd.compileMulti(fn);
    Tensor x = Tensor.of(new double[] {0.5, 1, 1.5, 2}, 2, 2).requiresGrad_(),
        y = vec(2, -1).requiresGrad_();
    Tensor[] e = fn.apply(new Tensor[] {x, y});
    Tensor[] eg =
        Autograd.grad(
            new Tensor[] {e[0], e[1], e[2]},
            new Tensor[] {x, y},
            new Tensor[] {null, vec(1, 2), vec(3, 4)},
            false,
            false,
            false);
    for (int i = 0; i < 3; i++) {
      Tensor[] out = f.callMulti(x, y);
      for (int k = 0; k < 3; k++) same(e[k], out[k]);
      Tensor[] g =
          i == 2 // the outputs' backwards in another order, one at a time
              ? sumOf(
                  Autograd.grad(
                      new Tensor[] {out[2]},
                      new Tensor[] {x, y},
                      new Tensor[] {vec(3, 4)},
                      false,
                      false,
                      true),
                  Autograd.grad(
                      new Tensor[] {out[0], out[1]},
                      new Tensor[] {x, y},
                      new Tensor[] {null, vec(1, 2)},
                      false,
                      false,
                      true))
              : Autograd.grad(
                  new Tensor[] {out[0], out[1], out[2]},
                  new Tensor[] {x, y},
                  new Tensor[] {null, vec(1, 2), vec(3, 4)},
                  false,
                  false,
                  false);
      same(eg[0], g[0]);
      same(eg[1], g[1]);
    }
    assertEquals(2, f.replayCount(), f.explain());
    assertTrue(f.toString().contains("backward of output 2"), f.toString());
  }

  private static Tensor[] sumOf(Tensor[] a, Tensor[] b) {
    Tensor[] s = new Tensor[a.length];
    for (int i = 0; i < a.length; i++)
      s[i] = a[i] == null ? b[i] : b[i] == null ? a[i] : a[i].add(b[i]);
    return s;
  }

  @Test
  void gradientsOfArgumentsMatchEagerIncludingRetainGraphAndCreateGraph() {
    java.util.function.Function<Tensor[], Tensor> fn = a -> a[0].mul(a[1]).sin().sum();
    CompiledFunction f = Autograd.compile(fn);
    Tensor x = vec(0.5, 1, 1.5).requiresGrad_(), y = vec(2, -1, 0.25).requiresGrad_();
    Tensor[] expected =
        Autograd.grad(
            new Tensor[] {fn.apply(new Tensor[] {x, y})},
            new Tensor[] {x, y},
            null,
            false,
            true,
            false);
    for (int i = 0; i < 3; i++) {
      Tensor out = f.call(x, y);
      Tensor[] g = Autograd.grad(new Tensor[] {out}, new Tensor[] {x, y}, null, true, false, false);
      same(expected[0], g[0]);
      same(expected[1], g[1]);
      Tensor[] again =
          Autograd.grad(
              new Tensor[] {out}, new Tensor[] {x, y}, null, false, false, false); // retained
      same(expected[0], again[0]);
      assertThrows(IllegalStateException.class, () -> out.backward()); // freed now, as eager
      // createGraph: gradients with history (an eager rerun), so second derivatives work
      Tensor[] withGraph = Autograd.grad(new Tensor[] {f.call(x, y)}, new Tensor[] {x, y}, true);
      Tensor second = Autograd.grad(withGraph[0].sum(), x)[0];
      Tensor secondEager = Autograd.grad(expected[0].sum(), x)[0];
      same(secondEager, second);
      expected =
          Autograd.grad(
              new Tensor[] {fn.apply(new Tensor[] {x, y})},
              new Tensor[] {x, y},
              null,
              false,
              true,
              false);
    }
    assertTrue(f.replayCount() >= 5, f.toString());
  }

  @Test
  void anInPlaceChangeBetweenForwardAndBackwardIsAnErrorAsEager() {
    Tensor w = vec(1, 2, 3).requiresGrad_();
    CompiledFunction f = Autograd.compile(a -> a[0].mul(w).sum());
    f.call(vec(1, 1, 1)); // trace
    Tensor y = f.call(vec(1, 1, 1).requiresGrad_()); // trace with grad for the argument
    y = f.call(vec(1, 1, 1).requiresGrad_()); // replay
    try (GradMode.Scope s = Autograd.noGrad()) {
      w.add_(1);
    }
    Tensor out = y;
    String m = assertThrows(IllegalStateException.class, out::backward).getMessage();
    assertTrue(m.contains("modified by an inplace operation"), m);
  }

  @Test
  void noGradCallsHaveNoHistoryAndDerivativeBranchesFallBackCorrectly() {
    CompiledFunction f = Autograd.compile(a -> a[0].prod());
    Tensor x = vec(1, 2, 3).requiresGrad_();
    try (GradMode.Scope s = Autograd.noGrad()) {
      assertFalse(f.call(x).requiresGrad());
      assertFalse(f.call(x).requiresGrad());
    }
    for (double[] v : new double[][] {{1, 2, 3}, {1, 0, 3}, {0, 0, 3}, {2, 2, 2}}) {
      Tensor xv = vec(v).requiresGrad_();
      Tensor out = f.call(xv);
      out.backward();
      Tensor xe = vec(v).requiresGrad_();
      xe.prod().backward();
      same(
          xe.grad(),
          xv.grad()); // prod's derivative counts zeros: a differing count is computed eagerly
    }
    assertNull(f.call(vec(1, 2)).gradFn());
  }

  @Test
  void describesItsTracesAndRendersDot() {
    CompiledFunction f = Autograd.compile(a -> a[0].mm(a[1]).clampMin(0).sum());
    f.call(Tensor.randn(4, 3).requiresGrad_(), Tensor.randn(3, 2));
    String s = f.toString();
    assertTrue(s.contains("mm(arg0, arg1)"), s);
    assertTrue(s.contains("backward of output 0 (upstream gradient"), s);
    assertTrue(s.contains("buffers"), s);
    String dot = f.toDot(1);
    assertTrue(dot.startsWith("digraph trace1 {"), dot);
    assertTrue(dot.contains("mm\\ntorch.float32[4, 2]"), dot);
  }

  @Test
  void drawsATraceAsSvgWithItsBackwardWritesAndGuards() {
    Tensor w = Tensor.randn(3, 2).requiresGrad_();
    CompiledFunction f =
        Autograd.compile(
            a -> {
              Tensor loss = a[0].mm(w).tanh().sum();
              if (a[1].lt(5.0).toBoolean()) loss = loss.mul(2.0);
              loss.backward();
              try (var off = Autograd.noGrad()) {
                w.sub_(w.grad().mul(0.1));
                w.setGrad(null);
              }
              return loss;
            });
    Tensor x = Tensor.randn(4, 3);
    for (int i = 0; i < 3; i++) f.call(x, Tensor.scalar(1.0));
    GraphView view = f.view(1);
    String svg = view.svg();
    assertTrue(svg.startsWith("<svg "), svg);
    assertTrue(
        svg.contains("class=\"node op\"") && svg.contains("mm"), "forward ops are drawn\n" + svg);
    assertTrue(
        svg.contains("class=\"node effect\"") && svg.contains("in place: "),
        "writes are drawn\n" + svg);
    assertTrue(
        svg.contains("class=\"node guard\"") && svg.contains("toBoolean"),
        "the guard is drawn\n" + svg);
    assertTrue(svg.contains("class=\"node output\""), svg);
    assertEquals(f.toDot(1), view.dot());
    assertNull(view.tensor());
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> f.view(2))
            .getMessage()
            .contains("1 trace(s)"));
    assertThrows(NullPointerException.class, () -> Graphs.view((CompiledFunction) null, 1));

    CompiledFunction g =
        Autograd.compile(
            a -> a[0].mm(w).tanh().sum()); // its output requires grad: a traced backward
    g.call(x);
    String withBackward = g.view(1).svg();
    assertTrue(
        withBackward.contains("class=\"node backward\""),
        "the traced backward is drawn, shaded\n" + withBackward);
  }

  @Test
  void twoThreadsCallOneCompiledFunction() throws Exception {
    CompiledFunction f = Autograd.compile(a -> a[0].mm(a[1]).tanh().sum());
    int threads = 2, iters = 200;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long seed = t;
        results.add(
            pool.submit(
                () -> {
                  Generator g = new Generator(seed);
                  start.await();
                  for (int i = 0; i < iters; i++) {
                    Tensor x = Tensor.randn(g, DType.FLOAT32, 8, 16).requiresGrad_();
                    Tensor w = Tensor.randn(g, DType.FLOAT32, 16, 4);
                    Tensor y = f.call(x, w);
                    y.backward();
                    Tensor xe = x.detach().requiresGrad_();
                    Tensor ye = xe.mm(w).tanh().sum();
                    ye.backward();
                    if (y.item() != ye.item()
                        || !java.util.Arrays.equals(
                            x.grad().toFloatArray(), xe.grad().toFloatArray())) return false;
                  }
                  return true;
                }));
      }
      start.countDown();
      for (Future<Boolean> r : results) assertTrue(r.get());
    } finally {
      pool.shutdownNow();
    }
    assertTrue(f.replayCount() >= threads * iters - 2, f.explain());
  }
}
