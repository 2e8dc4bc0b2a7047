package dev.autograd.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Fused replays (chains of element-wise ops run block by block, see the compile package) against
 * eager: outputs and gradients within 1e-6 relative in float32 and 1e-12 in float64; with {@code
 * -Dautograd.compile.fuse=false} bit for bit. Sizes are a few blocks plus a tail.
 */
class CompiledFusionTest {
  private static final int N = 3 * 4096 + 1001;

  /** The element-wise unary ops of OpCases (inputs kept in (0.5, 1.5), where all are defined). */
  private static final List<UnaryOperator<Tensor>> UNARY =
      List.of(
          Tensor::neg,
          Tensor::exp,
          Tensor::log,
          Tensor::sqrt,
          Tensor::abs,
          Tensor::sin,
          Tensor::cos,
          Tensor::tanh,
          Tensor::sigmoid,
          Tensor::relu,
          Tensor::reciprocal,
          Tensor::square,
          Tensor::softplus,
          Tensor::gelu,
          Tensor::silu,
          Tensor::log1p,
          Tensor::expm1,
          Tensor::rsqrt,
          Tensor::tan,
          Tensor::erf,
          t -> t.pow(1.5),
          t -> t.leakyRelu(0.1));

  private static Tensor positive(DType dt, int seed, int... shape) {
    return Tensor.rand(new Generator(seed), dt, shape).add(0.5).detach().requiresGrad_();
  }

  private static double tolerance(DType dt) {
    return dt == DType.FLOAT32 ? 1e-6 : 1e-12;
  }

  /**
   * Each unary op twice in a chain with a tensor operand, a number, and the next op: pairs of
   * OpCases rows run as one fused group.
   */
  @ParameterizedTest
  @EnumSource(
      value = DType.class,
      names = {"FLOAT32", "FLOAT64"})
  void unaryRowsCombinedIntoChains(DType dt) {
    for (int i = 0; i < UNARY.size(); i++) {
      UnaryOperator<Tensor> f = UNARY.get(i), g = UNARY.get((i + 1) % UNARY.size());
      Function<Tensor[], Tensor> fn =
          a -> g.apply(f.apply(a[0]).mul(a[1]).add(0.25).abs().add(0.5)).sub(a[0]).div(a[1].add(1));
      compare(
          "unary chain " + i, fn, dt, new Tensor[] {positive(dt, 1, N), positive(dt, 2, N)}, true);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = DType.class,
      names = {"FLOAT32", "FLOAT64"})
  void binaryRowsCombinedIntoChains(DType dt) {
    Function<Tensor[], Tensor> fn =
        a -> {
          Tensor x = a[0], y = a[1];
          Tensor s = x.add(y).mul(x.sub(y)).div(y).maximum(x).minimum(y.mul(2)).pow(y).atan2(x);
          return s.mul(3).sub(1).div(2.5).rsub(4);
        };
    compare(
        "binary chain",
        fn,
        dt,
        new Tensor[] {positive(dt, 3, 64, 250), positive(dt, 4, 64, 250)},
        true);
  }

  @ParameterizedTest
  @EnumSource(
      value = DType.class,
      names = {"FLOAT32", "FLOAT64"})
  void chainsEndingInSumAndMean(DType dt) {
    compare(
        "sum",
        a -> a[0].mul(a[1]).exp().add(a[0]).sum(),
        dt,
        new Tensor[] {positive(dt, 5, N), positive(dt, 6, N)},
        true);
    compare(
        "mean",
        a -> a[0].sub(a[1]).square().mean(),
        dt,
        new Tensor[] {positive(dt, 7, 97, 131), positive(dt, 8, 97, 131)},
        true);
    compare(
        "mean of a 2-d chain, one input constant",
        a -> a[0].tanh().mul(a[1]).sigmoid().mean(),
        dt,
        new Tensor[] {positive(dt, 9, 40, 300), positive(dt, 10, 40, 300).detach()},
        true);
  }

  /** The benchmark's 20-op chain on 1e6 floats, forward and backward. */
  @Test
  void twentyOpChainOnAMillionFloats() {
    Function<Tensor[], Tensor> chain =
        a -> {
          Tensor y = a[0];
          for (int i = 0; i < 20; i++) {
            int k = i % 3;
            y = k == 0 ? y.mul(-0.5) : k == 1 ? y.exp() : y.add(a[0]);
          }
          return y.sum();
        };
    Tensor x =
        Tensor.randn(new Generator(1), DType.FLOAT32, 1_000_000).mul(0.1).detach().requiresGrad_();
    CompiledFunction cf = compare("20-op chain", chain, DType.FLOAT32, new Tensor[] {x}, true);
    String text = cf.toString();
    assertTrue(
        text.contains("2 fused groups (41 steps"), text); // 20 ops + sum forward, 20 ops backward
    assertTrue(text.contains("20 element-wise ops + sum"), text);
    assertTrue(cf.explain().contains("fused group"), cf.explain());
    String dot = cf.toDot(1);
    assertTrue(
        dot.contains("subgraph cluster_fused1") && dot.contains("subgraph cluster_fused2"), dot);
  }

  /**
   * Values of a chain that are returned, or saved for the backward (exp's output), are written; the
   * others never are.
   */
  @Test
  void intermediatesThatAreOutputsOrSavedAreKept() {
    Function<Tensor[], Tensor[]> fn =
        a -> {
          Tensor e = a[0].mul(2).exp(); // saved by exp for the backward
          Tensor mid = e.add(a[1]).mul(0.5); // returned
          Tensor end = mid.sin().add(1).mul(a[1]); // sin's input is saved
          return new Tensor[] {mid, end.sum(), end};
        };
    for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
      Tensor[] in = {positive(dt, 11, N), positive(dt, 12, N)};
      Tensor[] expected = fn.apply(in);
      CompiledFunction cf = Autograd.compileMulti(fn);
      for (int call = 0; call < 3; call++) {
        Tensor[] out = cf.callMulti(in);
        for (int i = 0; i < out.length; i++) {
          close("output " + i + " call " + call, expected[i], out[i], tolerance(dt));
          // each output's gradients on their own (the order in which the engine adds several
          // outputs' gradients is not fusion's business)
          Tensor[] expectedGrads = grads(new Tensor[] {expected[i]}, in, true);
          Tensor[] g = grads(new Tensor[] {out[i]}, in, true);
          for (int j = 0; j < g.length; j++)
            close(
                "gradient " + j + " of output " + i + " call " + call,
                expectedGrads[j],
                g[j],
                tolerance(dt));
        }
      }
      assertEquals(2, cf.replayCount());
      String text = cf.toString();
      assertTrue(text.contains("fused group 1"), text);
      assertTrue(text.contains("exp(%") && text.contains("block register (no buffer)"), text);
    }
  }

  /**
   * A bias broadcast over rows is fused (see {@link #broadcastOperandsFuse}); a transposed operand
   * is not (or read as laid out): the values are still eager's.
   */
  @Test
  void broadcastingAndStridedOperands() {
    DType dt = DType.FLOAT32;
    Function<Tensor[], Tensor> bias = a -> a[0].mul(1.5).add(a[1]).tanh().mul(a[0]).sum();
    compare(
        "bias broadcast",
        bias,
        dt,
        new Tensor[] {positive(dt, 13, 300, 70), positive(dt, 14, 70)},
        true);
    Function<Tensor[], Tensor> transposed = a -> a[0].t().mul(a[1]).exp().add(a[0].t()).mean();
    compare(
        "transposed operand",
        transposed,
        dt,
        new Tensor[] {positive(dt, 15, 90, 80), positive(dt, 16, 80, 90)},
        true);
    Tensor strided =
        positive(dt, 17, 80, 90)
            .t(); // a non-contiguous argument: its strides are guarded, and it is not read flat
    compare(
        "strided argument",
        a -> a[0].exp().mul(a[1]).sigmoid().sum(),
        dt,
        new Tensor[] {strided, positive(dt, 18, 90, 80)},
        true);
    Function<Tensor[], Tensor> rows = a -> a[0].mul(a[1].sum(1, true)).exp().sub(1).sum();
    compare(
        "keepdim column",
        rows,
        dt,
        new Tensor[] {positive(dt, 19, 64, 200), positive(dt, 20, 64, 200)},
        true);
  }

  /**
   * Operands of the result's shape that are not laid out flat (a transposed argument or view, a
   * strided argument, a slice with a step, a permuted 3-d view) are gathered by their strides into
   * block registers, forward and backward, when read by correctly rounded arithmetic (add, sub,
   * mul, div, neg, abs: eager's strided kernels give the same bits); {@code exp} of a strided
   * operand is not fused (eager's strided exp differs from its flat one by an ulp at places).
   */
  @ParameterizedTest
  @EnumSource(
      value = DType.class,
      names = {"FLOAT32", "FLOAT64"})
  void stridedOperandsAreGathered(DType dt) {
    CompiledFunction transposed =
        compare(
            "transposed view",
            a -> a[0].t().mul(a[1]).exp().add(a[0].t()).mul(-0.5).sum(),
            dt,
            new Tensor[] {positive(dt, 51, 90, 80), positive(dt, 52, 80, 90)},
            true);
    String text = transposed.toString();
    assertTrue(text.contains("strided operands gathered into block registers"), text);
    Tensor strided = positive(dt, 53, 80, 90).t(); // a non-contiguous argument
    CompiledFunction arg =
        compare(
            "strided argument",
            a -> a[0].mul(a[1]).sigmoid().mul(a[0]).sub(a[0]).sum(),
            dt,
            new Tensor[] {strided, positive(dt, 54, 90, 80)},
            true);
    assertTrue(arg.toString().contains("strided operands gathered"), arg.toString());
    compare(
        "every other column, a permuted 3-d view",
        a -> {
          Tensor cols = a[0].slice(1, 0, 200, 2);
          Tensor p = a[1].permute(2, 0, 1).reshape(-1, 100);
          return cols.mul(p).tanh().add(cols).mul(p).mean();
        },
        dt,
        new Tensor[] {positive(dt, 55, 60, 200), positive(dt, 56, 6, 100, 10)},
        true);
  }

  /**
   * Operands broadcast along some dims (a row, a column, a middle dim; as first or second operand;
   * requiring grad or not) fuse, copied into block registers; a last dim shorter than 16 does not.
   */
  @ParameterizedTest
  @EnumSource(
      value = DType.class,
      names = {"FLOAT32", "FLOAT64"})
  void broadcastOperandsFuse(DType dt) {
    CompiledFunction row =
        compare(
            "row bias",
            a -> a[0].mul(1.5).add(a[1]).tanh().mul(a[0]).sub(a[1]).sum(),
            dt,
            new Tensor[] {positive(dt, 31, 300, 70), positive(dt, 32, 70)},
            true);
    assertTrue(row.toString().contains("1 broadcast operands copied"), row.toString());
    compare(
        "column, first operand",
        a -> a[1].div(a[0].exp()).sigmoid().mul(a[0]).mean(),
        dt,
        new Tensor[] {positive(dt, 33, 129, 33), positive(dt, 34, 129, 1)},
        true);
    CompiledFunction middle =
        compare(
            "middle dim, constant",
            a -> a[0].mul(a[1]).exp().add(a[1]).mul(-0.25).sum(),
            dt,
            new Tensor[] {positive(dt, 35, 5, 40, 64), positive(dt, 36, 5, 1, 64).detach()},
            true);
    assertTrue(middle.toString().contains("broadcast operands copied"), middle.toString());
    CompiledFunction shortRows =
        compare(
            "short last dim",
            a -> a[0].exp().add(a[1]).exp().sin().add(a[0]).sum(),
            dt,
            new Tensor[] {positive(dt, 37, 3000, 5), positive(dt, 38, 5)},
            true);
    assertFalse(shortRows.toString().contains("broadcast operands"), shortRows.toString());
  }

  /**
   * A product with one value folds into the add, sub, mul or div before it when nothing else reads
   * that op's value (one kernel call: {@code (a op b)·c}); values and gradients stay eager's, with
   * edge values (±0, ±inf, NaN, subnormals, overflow) among the inputs.
   */
  @ParameterizedTest
  @EnumSource(
      value = DType.class,
      names = {"FLOAT32", "FLOAT64"})
  void productsFoldIntoTheOpBeforeThem(DType dt) {
    Tensor x = positive(dt, 41, N), y = positive(dt, 42, N);
    double[] edges = {
      0,
      -0.0,
      Double.NaN,
      Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY,
      1e-40,
      -1e-40,
      100,
      -100,
      1e30
    };
    try (GradMode.Scope s = Autograd.noGrad()) {
      for (int i = 0; i < edges.length; i++) {
        x.narrow(0, 17 * i, 1).fill_(edges[i]);
        y.narrow(0, 4096 + 5 * i, 1).fill_(edges[edges.length - 1 - i]);
      }
    }
    CompiledFunction cf =
        compare(
            "folded products",
            a -> {
              Tensor t = a[0].add(a[1]).mul(0.5).exp();
              Tensor u = a[0].sub(t).mul(-2).tanh().add(a[1].div(a[0]).mul(3));
              return a[0].mul(u).mul(0.125).sigmoid().sum();
            },
            dt,
            new Tensor[] {x, y},
            true);
    assertTrue(cf.toString().contains("computed inside the product after them"), cf.toString());
  }

  /**
   * clamp (both bounds, min only, max only) fuses, and so do the backward kernels of clamp, relu,
   * tanh and sigmoid; inputs on the bounds, ±0, ±inf and NaN among them.
   */
  @ParameterizedTest
  @EnumSource(
      value = DType.class,
      names = {"FLOAT32", "FLOAT64"})
  void clampAndActivationBackwardsFuse(DType dt) {
    Tensor x = Tensor.randn(new Generator(51), dt, N).detach().requiresGrad_();
    Tensor y = positive(dt, 52, N);
    double[] edges = {
      0.25,
      -0.25,
      0.5,
      0,
      -0.0,
      Double.NaN,
      Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY,
      1e-40
    };
    try (GradMode.Scope s = Autograd.noGrad()) {
      for (int i = 0; i < edges.length; i++) x.narrow(0, 31 * i + 7, 1).fill_(edges[i]);
    }
    CompiledFunction cf =
        compare(
            "clamp chain",
            a -> {
              Tensor c = a[0].mul(a[1]).clamp(-0.25, 0.5).add(a[0]).clampMin(0).mul(a[1]);
              return c.clampMax(0.75).tanh().sub(a[0].relu()).sigmoid().mul(a[1]).sum();
            },
            dt,
            new Tensor[] {x, y},
            true);
    String text = cf.toString();
    // one group forward (with the three clamps), one backward (with every backward kernel)
    assertTrue(text.contains("2 fused groups"), text);
    String forward = text.substring(text.indexOf("fused group 1"), text.indexOf("backward of"));
    assertEquals(3, forward.split("= clamp\\(").length - 1, text);
    String backward = text.substring(text.indexOf("fused group 2"), text.indexOf("outputs:"));
    for (String op : new String[] {"threshold_backward(", "tanh_backward(", "sigmoid_backward("})
      assertTrue(backward.contains(op), op + "\n" + text);
  }

  /**
   * A closing sum or mean over trailing dims (keepDim or not) fuses: blocks hold whole rows, each
   * summed as eager sums it; its gradient, expanded back over the rows, is read as a broadcast
   * operand by the backward chain. Rows longer than a block end the chain before the reduction.
   */
  @ParameterizedTest
  @EnumSource(
      value = DType.class,
      names = {"FLOAT32", "FLOAT64"})
  void reductionsOverTrailingDimsFuse(DType dt) {
    CompiledFunction rows =
        compare(
            "sum(-1)",
            a -> a[0].mul(a[1]).exp().add(a[0]).sum(new int[] {-1}, false),
            dt,
            new Tensor[] {positive(dt, 61, 200, 70), positive(dt, 62, 200, 70)},
            true);
    String text = rows.toString();
    assertTrue(text.contains("+ sum over rows of 70"), text);
    assertTrue(
        text.substring(text.indexOf("backward of")).contains("broadcast operands copied"), text);
    assertTrue(
        compare(
                "mean(-1, keepDim) of a column chain",
                a -> a[0].sigmoid().mul(a[1]).mean(new int[] {1}, true),
                dt,
                new Tensor[] {positive(dt, 63, 333, 17), positive(dt, 64, 333, 17)},
                true)
            .toString()
            .contains("+ mean over rows of 17"));
    assertTrue(
        compare(
                "sum over the last two dims",
                a -> a[0].tanh().sub(a[1]).square().sum(new int[] {-1, -2}, true),
                dt,
                new Tensor[] {positive(dt, 65, 6, 30, 50), positive(dt, 66, 6, 30, 50)},
                true)
            .toString()
            .contains("+ sum over rows of 1500"));
    String longRows =
        compare(
                "rows longer than a block",
                a -> a[0].exp().mul(a[1]).sum(new int[] {-1}, false),
                dt,
                new Tensor[] {positive(dt, 67, 3, 5000), positive(dt, 68, 3, 5000)},
                true)
            .toString();
    assertFalse(longRows.contains("over rows"), longRows);
  }

  /**
   * A closing sum or mean over leading dims (a bias gradient's reduction) fuses: column sums in
   * double, row after row, rounded once, as eager's.
   */
  @ParameterizedTest
  @EnumSource(
      value = DType.class,
      names = {"FLOAT32", "FLOAT64"})
  void reductionsOverLeadingDimsFuse(DType dt) {
    CompiledFunction cols =
        compare(
            "sum over dim 0",
            a -> a[0].mul(a[1]).tanh().add(a[0]).sum(new int[] {0}, false),
            dt,
            new Tensor[] {positive(dt, 61, 300, 70), positive(dt, 62, 300, 70)},
            true);
    assertTrue(cols.toString().contains("over leading dims into 70 columns"), cols.toString());
    CompiledFunction mean =
        compare(
            "mean over dims 0 and 1, keepDim",
            a -> a[0].exp().mul(-0.5).add(a[0]).mean(new int[] {0, 1}, true),
            dt,
            new Tensor[] {positive(dt, 63, 8, 30, 40)},
            true);
    assertTrue(mean.toString().contains("over leading dims into 40 columns"), mean.toString());
    CompiledFunction bias =
        compare(
            "bias and its gradient",
            a -> a[0].add(a[1]).sigmoid().mul(a[0]).sum(),
            dt,
            new Tensor[] {positive(dt, 64, 257, 33), positive(dt, 65, 33)},
            true);
    String few =
        compare(
                "8 columns: not fused",
                a -> a[0].mul(2).exp().sum(new int[] {0}, false),
                dt,
                new Tensor[] {positive(dt, 66, 100, 8)},
                false)
            .toString();
    assertFalse(few.contains("over leading dims"), few);
    String text = bias.toString(); // the bias gradient's sum closes the backward group
    assertTrue(text.contains("sum over leading dims into 33 columns"), text);
  }

  /**
   * By default the backward group recomputes the forward values that cost less to recompute than to
   * write and read back (here all it reads: exp's output and sin's input, from the arguments), so
   * the forward writes none of them; {@code -Dautograd.compile.recompute=false} writes them all. An
   * argument only a recomputation reads, written in place between forward and backward, is named by
   * the version check.
   */
  @ParameterizedTest
  @EnumSource(
      value = DType.class,
      names = {"FLOAT32", "FLOAT64"})
  void backwardRecomputesCheapForwardValues(DType dt) {
    Function<Tensor[], Tensor> fn =
        a -> a[0].mul(-0.5).exp().add(a[0]).mul(a[1]).sin().add(a[1]).mean();
    Tensor[] in = {positive(dt, 23, N), positive(dt, 24, N)};
    String saved = withRecompute("false", () -> compare("saved values", fn, dt, in, true));
    assertFalse(saved.contains("recomputes"), saved);
    CompiledFunction cf = compare("recomputed values", fn, dt, in, true);
    String text = cf.toString();
    assertTrue(text.contains("recomputes the 4 forward ops of steps 0..3"), text);
    assertTrue(
        bytesPerCall(text) < bytesPerCall(saved) / 2,
        saved + "\n" + text); // exp's output and sin's input are not kept
    Tensor out = cf.call(in);
    try (GradMode.Scope s = Autograd.noGrad()) {
      in[0].mul_(1.0); // an in-place write, between forward and backward, to an argument only the
      // recomputation reads
    }
    try {
      out.backward();
      fail("expected the version check to name the modified argument");
    } catch (IllegalStateException e) {
      assertTrue(e.getMessage().contains("modified by an inplace operation"), e.getMessage());
      assertTrue(e.getMessage().contains("-Dautograd.compile.recompute=false"), e.getMessage());
    }
  }

  /**
   * Values dear to recompute (a chain of sin and cos) are written and read back; cheap ones before
   * them are recomputed; {@code -Dautograd.compile.recompute=true} recomputes everything.
   */
  @ParameterizedTest
  @EnumSource(
      value = DType.class,
      names = {"FLOAT32", "FLOAT64"})
  void recomputationIsDecidedPerValueByCost(DType dt) {
    Tensor[] in = {positive(dt, 25, N)};
    String dear =
        compare("sin, cos chain", a -> a[0].sin().cos().sin().cos().sum(), dt, in, true).toString();
    assertFalse(dear.contains("recomputes"), dear);
    Function<Tensor[], Tensor> mixed = a -> a[0].mul(2).sin().mul(3).exp().sum();
    String text = compare("mixed", mixed, dt, in, true).toString();
    // sin's input (x * 2) is recomputed; exp's output (sin, mul, exp over again) is read back
    assertTrue(text.contains("recomputes the 1 forward op of step 0 "), text);
    String all = withRecompute("true", () -> compare("all recomputed", mixed, dt, in, true));
    assertTrue(all.contains("recomputes the 4 forward ops of steps 0..3"), all);
  }

  /**
   * Forward values that are also returned, or read by a step outside the fused groups, keep their
   * buffers (and are read back, not recomputed wrongly or dropped); a value the function writes in
   * place is never read by a recomputation.
   */
  @Test
  void recomputedChainsKeepWhatOthersRead() {
    for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
      Function<Tensor[], Tensor[]> fn =
          a -> {
            Tensor e = a[0].mul(-0.5).exp(); // returned
            Tensor f = e.add(a[0]).mul(0.5).exp(); // read by a matrix product too
            Tensor g = f.add(a[0]).mul(-0.5).exp().sum();
            Tensor side = f.reshape(-1, 1).t().mm(a[1].reshape(-1, 1));
            return new Tensor[] {g, e, side};
          };
      Tensor[] in = {positive(dt, 26, N), positive(dt, 27, N)};
      Tensor[] expected = fn.apply(in);
      CompiledFunction cf = Autograd.compileMulti(fn);
      for (int call = 0; call < 3; call++) {
        Tensor[] out = cf.callMulti(in);
        for (int i = 0; i < out.length; i++) {
          close("output " + i + " call " + call, expected[i], out[i], tolerance(dt));
          Tensor[] eg = grads(new Tensor[] {expected[i]}, in, true);
          Tensor[] g = grads(new Tensor[] {out[i]}, in, true);
          for (int j = 0; j < g.length; j++) {
            String what = "gradient " + j + " of output " + i + " call " + call;
            if (eg[j] == null) assertEquals(null, g[j], what); // e does not depend on a[1]
            else close(what, eg[j], g[j], tolerance(dt));
          }
        }
      }
      assertEquals(2, cf.replayCount(), cf.explain());
      assertTrue(cf.toString().contains("recomputes"), cf.toString());
    }
    // the function writes its argument in place after the chain: eager's backward uses the saved
    // exps, so must the replay (never a recomputation from the new x)
    Function<Tensor[], Tensor> writes =
        a -> {
          Tensor y = a[0].mul(-0.5).exp().add(a[0]).mul(-0.5).exp().sum();
          try (GradMode.Scope s = Autograd.noGrad()) {
            a[0].add_(0.25);
          }
          return y;
        };
    Tensor xe = positive(DType.FLOAT32, 28, N), xc = xe.detach().clone().requiresGrad_();
    CompiledFunction cf = Autograd.compile(writes);
    for (int call = 0; call < 4; call++) {
      Tensor e = writes.apply(new Tensor[] {xe});
      Tensor c = cf.call(xc);
      close("written argument, call " + call, e, c, 1e-6);
      e.backward();
      c.backward();
      close("gradient of the written argument, call " + call, xe.grad(), xc.grad(), 1e-6);
      xe.setGrad(null);
      xc.setGrad(null);
    }
    assertFalse(cf.toString().contains("recomputes"), cf.toString());
  }

  /**
   * Edge values (±0, ±inf, NaN, exp overflowing to inf and underflowing to 0) through recomputed
   * chains, float32 and float64: eager's values and gradients (NaN where eager has NaN).
   */
  @ParameterizedTest
  @EnumSource(
      value = DType.class,
      names = {"FLOAT32", "FLOAT64"})
  void recomputedChainsWithEdgeValues(DType dt) {
    Tensor x = edgeValues(dt);
    Function<Tensor[], Tensor> chain =
        a -> a[0].mul(-0.5).exp().add(a[0]).mul(0.5).exp().add(a[0]).sigmoid().mul(a[0]).sum();
    CompiledFunction cf = compare("edge values", chain, dt, new Tensor[] {x}, true);
    assertTrue(cf.toString().contains("recomputes"), cf.toString());
  }

  /**
   * A chain ending in a sum, then {@code loss.backward()}: the forward runs the backward group in
   * the same pass (upstream gradient 1) and the backward hands its gradient out: eager's bits. Any
   * other upstream gradient, a second backward (retained graph) or a call whose backward never ran
   * take the ordinary path, with eager's values.
   */
  @ParameterizedTest
  @EnumSource(
      value = DType.class,
      names = {"FLOAT32", "FLOAT64"})
  void forwardAndBackwardInOnePass(DType dt) {
    Function<Tensor[], Tensor> fn =
        a -> {
          Tensor y = a[0];
          for (int i = 0; i < 9; i++)
            y = i % 3 == 0 ? y.mul(-0.5) : i % 3 == 1 ? y.exp() : y.add(a[0]);
          return y.mul(a[1]).sum();
        };
    Tensor x = positive(dt, 41, N), w = positive(dt, 42, N);
    Tensor[] in = {x, w};
    Tensor expected = fn.apply(in);
    expected.backward(null, true);
    Tensor gx = x.grad(), gw = w.grad();
    CompiledFunction cf = Autograd.compile(fn);
    for (int call = 0; call < 4; call++) {
      x.setGrad(null);
      w.setGrad(null);
      Tensor out = cf.call(in);
      close("loss, call " + call, expected, out, tolerance(dt));
      if (call == 2) continue; // a call whose backward never runs
      out.backward();
      close("x gradient, call " + call, gx, x.grad(), 0);
      close("w gradient, call " + call, gw, w.grad(), 0);
    }
    String text = cf.toString();
    assertTrue(text.contains("runs the backward of group 2 in the same pass"), text);
    // an in-place write to x between forward and backward: eager's backward does not read x, and
    // the gradients were made in the forward, so nothing is recomputed from the new x
    x.setGrad(null);
    w.setGrad(null);
    Tensor early = cf.call(in), before = x.detach().clone();
    try (GradMode.Scope s = Autograd.noGrad()) {
      x.add_(1.0);
    }
    early.backward();
    close("x gradient, x written before backward", gx, x.grad(), 0);
    try (GradMode.Scope s = Autograd.noGrad()) {
      x.copy_(before);
    }
    // upstream gradient 2: the backward group runs (recomputing), eager's 2 * gradient
    x.setGrad(null);
    cf.call(in).backward(Tensor.scalar(2.0, dt));
    close("x gradient for 2", gx.mul(2), x.grad(), tolerance(dt));
    // twice through a retained graph: the second backward recomputes; the gradients add up
    x.setGrad(null);
    w.setGrad(null);
    Tensor out = cf.call(in);
    out.backward(null, true);
    out.backward();
    close("x gradient, twice", gx.mul(2), x.grad(), tolerance(dt));
    close("w gradient, twice", gw.mul(2), w.grad(), tolerance(dt));
    // a mean has no such pass (its gradient is not the upstream itself); its values are eager's
    String mean =
        compare(
                "mean",
                a -> a[0].mul(-0.5).exp().add(a[0]).mean(),
                dt,
                new Tensor[] {positive(dt, 43, N)},
                true)
            .toString();
    assertFalse(mean.contains("same pass"), mean);
  }

  /**
   * Two threads calling one compiled chain (each call its own arena): every backward takes the
   * gradients its own forward made, eager's bits.
   */
  @Test
  void onePassFromTwoThreads() throws Exception {
    Function<Tensor[], Tensor> fn = a -> a[0].mul(-0.5).exp().add(a[0]).mul(0.5).exp().sum();
    CompiledFunction cf = Autograd.compile(fn);
    Tensor[] xs = {positive(DType.FLOAT32, 71, N), positive(DType.FLOAT32, 72, N)};
    Tensor[] expected = new Tensor[2];
    for (int t = 0; t < 2; t++) {
      fn.apply(new Tensor[] {xs[t]}).backward();
      expected[t] = xs[t].grad();
      xs[t].setGrad(null);
    }
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      List<java.util.concurrent.Future<Integer>> done = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        Tensor x = xs[t], e = expected[t];
        done.add(
            pool.submit(
                () -> {
                  int same = 0;
                  for (int i = 0; i < 20; i++) {
                    x.setGrad(null);
                    cf.call(x).backward();
                    if (java.util.Arrays.equals(x.grad().toFloatArray(), e.toFloatArray())) same++;
                  }
                  return same;
                }));
      }
      for (java.util.concurrent.Future<Integer> f : done) assertEquals(20, f.get());
    } finally {
      pool.shutdownNow();
    }
    assertTrue(cf.toString().contains("same pass"), cf.toString());
  }

  /** Edge values through a chain whose backward runs in the forward's pass: eager's bits. */
  @ParameterizedTest
  @EnumSource(
      value = DType.class,
      names = {"FLOAT32", "FLOAT64"})
  void onePassWithEdgeValues(DType dt) {
    Tensor x = edgeValues(dt);
    Function<Tensor[], Tensor> fn =
        a -> a[0].mul(-0.5).exp().add(a[0]).mul(0.5).exp().add(a[0]).sigmoid().mul(a[0]).sum();
    Tensor expected = fn.apply(new Tensor[] {x});
    expected.backward();
    Tensor g = x.grad();
    CompiledFunction cf = Autograd.compile(fn);
    for (int call = 0; call < 3; call++) {
      x.setGrad(null);
      Tensor out = cf.call(x);
      close("edge loss, call " + call, expected, out, tolerance(dt));
      out.backward();
      close("edge gradient, call " + call, g, x.grad(), 0);
    }
    assertTrue(cf.toString().contains("same pass"), cf.toString());
  }

  // ±0, ±inf, NaN, values whose exp overflows or underflows, and ordinary values
  private static Tensor edgeValues(DType dt) {
    double[] v = new double[N];
    double[] edge = {0.0, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN};
    double big = dt == DType.FLOAT32 ? 100 : 800; // exp overflows
    for (int i = 0; i < N; i++)
      v[i] =
          i % 97 < edge.length
              ? edge[i % 97]
              : i % 89 == 0 ? big : i % 83 == 0 ? -big : (i % 13) * 0.1 - 0.6;
    return Tensor.of(v, N).to(dt).detach().requiresGrad_();
  }

  private static String withRecompute(String value, java.util.function.Supplier<Object> body) {
    String before = System.getProperty("autograd.compile.recompute");
    System.setProperty("autograd.compile.recompute", value);
    try {
      return body.get().toString();
    } finally {
      if (before == null) System.clearProperty("autograd.compile.recompute");
      else System.setProperty("autograd.compile.recompute", before);
    }
  }

  private static long bytesPerCall(String text) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\\((\\d+) bytes per call\\)").matcher(text);
    assertTrue(m.find(), text);
    return Long.parseLong(m.group(1));
  }

  /**
   * {@code -Dautograd.compile.fuse=false}: each step its own kernel, bit-identical to eager, and
   * toString says so.
   */
  @Test
  void fusionCanBeTurnedOff() {
    String before = System.getProperty("autograd.compile.fuse");
    System.setProperty("autograd.compile.fuse", "false");
    try {
      Function<Tensor[], Tensor> fn = a -> a[0].mul(a[1]).exp().add(a[0]).mul(-0.5).sum();
      Tensor[] in = {positive(DType.FLOAT32, 21, N), positive(DType.FLOAT32, 22, N)};
      CompiledFunction cf = compare("unfused", fn, DType.FLOAT32, in, false);
      assertTrue(cf.toString().contains("fusion off"), cf.toString());
      assertFalse(cf.toString().contains("fused group"), cf.toString());
    } finally {
      if (before == null) System.clearProperty("autograd.compile.fuse");
      else System.setProperty("autograd.compile.fuse", before);
    }
  }

  /**
   * Eager once, then the compiled function three times (trace, two replays); within tolerance, or
   * bit for bit when {@code !fused}.
   */
  private static CompiledFunction compare(
      String name, Function<Tensor[], Tensor> fn, DType dt, Tensor[] in, boolean fused) {
    for (int i = 0; i < in.length; i++)
      in[i] =
          in[i].dtype() == dt ? in[i] : in[i].to(dt).detach().requiresGrad_(in[i].requiresGrad());
    Tensor expected = fn.apply(in);
    Tensor[] expectedGrads = grads(new Tensor[] {expected}, in);
    CompiledFunction cf = Autograd.compile(fn);
    double tol = fused ? tolerance(dt) : 0;
    for (int call = 0; call < 3; call++) {
      Tensor out = cf.call(in);
      close(name + " output (call " + call + ")", expected, out, tol);
      Tensor[] g = grads(new Tensor[] {out}, in);
      for (int i = 0; i < g.length; i++)
        close(name + " gradient " + i + " (call " + call + ")", expectedGrads[i], g[i], tol);
    }
    if (cf.replayCount() != 2) fail(name + ": expected 2 replays\n" + cf.explain() + "\n" + cf);
    if (fused && !cf.toString().contains("fused group"))
      fail(name + ": expected a fused group\n" + cf);
    return cf;
  }

  private static Tensor[] grads(Tensor[] outs, Tensor[] in) {
    return grads(outs, in, false);
  }

  private static Tensor[] grads(Tensor[] outs, Tensor[] in, boolean retain) {
    List<Tensor> diff = new ArrayList<>();
    for (Tensor t : in) if (t.requiresGrad()) diff.add(t);
    Tensor loss = null;
    for (Tensor o : outs) {
      if (!o.requiresGrad()) continue;
      Tensor w = Tensor.randn(new Generator(7), o.dtype(), o.shape());
      Tensor term = o.mul(w).sum();
      loss = loss == null ? term : loss.add(term);
    }
    if (loss == null || diff.isEmpty()) return new Tensor[0];
    return Autograd.grad(
        new Tensor[] {loss}, diff.toArray(new Tensor[0]), null, retain, false, true);
  }

  private static void close(String what, Tensor expected, Tensor actual, double rtol) {
    assertEquals(expected.dtype(), actual.dtype(), what + " dtype");
    assertEquals(
        java.util.Arrays.toString(expected.shape()),
        java.util.Arrays.toString(actual.shape()),
        what + " shape");
    double[] e = expected.toDoubleArray(), a = actual.toDoubleArray();
    for (int i = 0; i < e.length; i++) {
      boolean ok =
          rtol == 0
              ? Double.compare(e[i], a[i]) == 0 || e[i] == a[i]
              : Math.abs(e[i] - a[i]) <= rtol * Math.max(Math.abs(e[i]), 1e-3)
                  || (Double.isNaN(e[i]) && Double.isNaN(a[i]))
                  || e[i] == a[i];
      if (!ok)
        fail(
            what
                + ": element "
                + i
                + " is "
                + a[i]
                + ", eager "
                + e[i]
                + " (relative tolerance "
                + rtol
                + ")");
    }
  }
}
