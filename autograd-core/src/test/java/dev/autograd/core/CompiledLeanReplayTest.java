package dev.autograd.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.core.tensor.StridedLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The paths that let a replayed training step run without allocating: amax into a planned buffer,
 * flat loops for comparisons and where, a per-row loop for a column operand, and shared reduction
 * masks. Each must give what the general path gives, bit for bit.
 */
class CompiledLeanReplayTest {
  private static void sameBits(String what, Tensor expected, Tensor actual) {
    assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
    assertArrayEquals(expected.toDoubleArray(), actual.toDoubleArray(), 0.0, what);
  }

  /** amax over each kind of dims replays into a buffer, with eager's values and gradients. */
  @Test
  void amaxReplaysIntoABufferWithEagersBits() {
    Generator gen = new Generator(11);
    Tensor w = Tensor.randn(gen, DType.FLOAT32, 4, 6).requiresGrad_();
    Function<Tensor[], Tensor> fn =
        a -> {
          Tensor z = a[0].mm(w);
          Tensor rowMax = z.amax(new int[] {1}, true);
          Tensor colMax = z.amax(new int[] {0}, false);
          return z.sub(rowMax).exp().sum().add(colMax.sum()).add(z.max());
        };
    CompiledFunction f = Autograd.compile(fn);
    for (int call = 0; call < 4; call++) {
      Tensor x = Tensor.randn(gen, DType.FLOAT32, 5, 4);
      if (call == 2) x = x.round(); // ties: the gradient splits among them
      Tensor expected = fn.apply(new Tensor[] {x});
      Tensor expectedGrad = Autograd.grad(expected, w)[0];
      Tensor out = f.call(x);
      sameBits("value, call " + call, expected, out);
      sameBits("gradient, call " + call, expectedGrad, Autograd.grad(out, w)[0]);
    }
    assertEquals(3, f.replayCount());
    String text = f.toString();
    assertTrue(text.contains("amax(%"), text);
    assertFalse(text.contains("(computed, allocates)"), text);
  }

  /** amax of a NaN row is NaN, with and without compiling. */
  @Test
  void amaxReplayKeepsNaN() {
    Function<Tensor[], Tensor> fn = a -> a[0].amax(new int[] {1}, false).mul(2);
    CompiledFunction f = Autograd.compile(fn);
    Tensor x = Tensor.of(new float[] {1, Float.NaN, 3, 4, 5, 6}, 2, 3);
    for (int call = 0; call < 3; call++) {
      Tensor out = f.call(x);
      assertTrue(Double.isNaN(out.toDoubleArray()[0]));
      assertEquals(12.0, out.toDoubleArray()[1]);
    }
  }

  /**
   * int64 labels against a 0-dim float32 tensor compare in float32 (the result type): 2^24 + 1
   * rounds to 2^24 there, as a converted copy of the labels would hold it, flat or strided.
   */
  @Test
  void mixedDtypeComparisonsRoundToTheResultType() {
    Tensor c = Tensor.scalar(16777216.0, DType.FLOAT32);
    Tensor labels = Tensor.of(new long[] {16777217L, 3L, -100L}, 3);
    assertArrayEquals(new boolean[] {true, false, false}, labels.eq(c).toBooleanArray());
    assertArrayEquals(
        new boolean[] {false, false, true},
        labels.lt(Tensor.scalar(0.0, DType.FLOAT32)).toBooleanArray());
    Tensor strided = Tensor.of(new long[] {16777217L, 0, 3L, 0}, 2, 2).t(); // a strided walk
    assertArrayEquals(new boolean[] {true, false, false, false}, strided.eq(c).toBooleanArray());
  }

  /** Float comparisons (scalar loops now) keep NaN's rules, contiguous or strided. */
  @Test
  void floatComparisonsFlatAndStridedAgree() {
    Tensor x = Tensor.of(new float[] {1, Float.NaN, 0, -0f, 2, 3}, 2, 3);
    assertArrayEquals(
        new boolean[] {true, true, false, false, true, true}, x.ne(0.0).toBooleanArray());
    assertArrayEquals(
        new boolean[] {true, false, true, true, false, true},
        x.t().ne(0.0).toBooleanArray()); // x.t() is [[1, -0], [NaN, 2], [0, 3]]
    Tensor y = Tensor.of(new float[] {1, Float.NaN, 1, 0, 2, 4}, 2, 3);
    assertArrayEquals(
        new boolean[] {true, false, false, true, true, false}, x.eq(y).toBooleanArray());
  }

  /** where in one flat loop (mask, value and a single fill) equals the strided walk. */
  @Test
  void whereFlatEqualsStrided() {
    Generator gen = new Generator(12);
    Tensor x = Tensor.randn(gen, DType.FLOAT32, 6, 5);
    Tensor cond = x.gt(0);
    Tensor flat = Tensor.where(cond, x, Tensor.scalar(-1.0, DType.FLOAT32));
    Tensor viaTranspose =
        Tensor.where(
            cond.t().contiguous().t(), x.t().contiguous().t(), Tensor.scalar(-1.0, DType.FLOAT32));
    sameBits("where", flat, viaTranspose);
    float[] xs = x.toFloatArray(), out = flat.toFloatArray();
    for (int i = 0; i < xs.length; i++) assertEquals(xs[i] > 0 ? xs[i] : -1f, out[i]);
  }

  /**
   * x - x.amax(-1, keepDim) runs one flat loop per row; every element is the float difference, as
   * the strided walk gives (here forced by a transposed copy).
   */
  @Test
  void columnOperandRowLoopEqualsStridedWalk() {
    Generator gen = new Generator(13);
    Tensor x = Tensor.randn(gen, DType.FLOAT32, 7, 37);
    Tensor col = Tensor.randn(gen, DType.FLOAT32, 7, 1);
    Tensor rows = x.sub(col), reversed = col.mul(x);
    Tensor strided = x.t().contiguous().t().sub(col);
    sameBits("sub", strided, rows);
    float[] xs = x.toFloatArray(), cs = col.toFloatArray();
    float[] r = rows.toFloatArray(), m = reversed.toFloatArray();
    for (int i = 0; i < 7; i++) {
      for (int j = 0; j < 37; j++) {
        assertEquals(xs[i * 37 + j] - cs[i], r[i * 37 + j]);
        assertEquals(cs[i] * xs[i * 37 + j], m[i * 37 + j]);
      }
    }
  }

  /** Shared reduction masks: the same dims twice, all dims, and a repeated dim still an error. */
  @Test
  void reductionMasksAreSharedButCorrect() {
    Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    assertArrayEquals(new double[] {6, 15}, x.sum(new int[] {1}, false).toDoubleArray(), 0.0);
    assertArrayEquals(new double[] {5, 7, 9}, x.sum(new int[] {0}, false).toDoubleArray(), 0.0);
    assertArrayEquals(new double[] {6, 15}, x.sum(new int[] {-1}, false).toDoubleArray(), 0.0);
    assertEquals(21.0, x.sum().item());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> x.sum(new int[] {1, 1}, false));
    assertTrue(e.getMessage().contains("appears multiple times"), e.getMessage());
    Tensor big = Tensor.ones(DType.FLOAT32, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2); // rank 10: no table
    assertEquals(2.0, big.sum(new int[] {9, 0}, false).sum().item());
  }

  /** A walk started inside another walk's callback gets its own working arrays. */
  @Test
  void nestedStridedWalksDoNotShareArrays() {
    List<String> seen = new ArrayList<>();
    int[] shape = {2, 3};
    int[][] strides = {{1, 2}, {3, 1}};
    StridedLoop.forEachRow(
        shape,
        strides,
        new int[] {0, 10},
        (o, in, n) -> {
          int outerA = o[0], outerB = o[1];
          StridedLoop.forEachRow(
              new int[] {2, 2},
              new int[][] {{2, 1}},
              new int[] {100},
              (o2, in2, n2) -> seen.add("inner " + o2[0] + "/" + in2[0] + "/" + n2));
          seen.add(
              "outer " + outerA + "," + outerB + " " + o[0] + "," + o[1] + " " + in[0] + "," + in[1]
                  + " " + n);
        });
    assertEquals(
        List.of("inner 100/1/4", "outer 0,10 0,10 2,1 3", "inner 100/1/4", "outer 1,13 1,13 2,1 3"),
        seen);
  }
}
