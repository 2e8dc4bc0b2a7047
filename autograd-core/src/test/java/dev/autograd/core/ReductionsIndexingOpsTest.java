package dev.autograd.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.core.internal.Tensors;
import org.junit.jupiter.api.Test;

/**
 * Values, indices, edge cases and error messages of the statistics, indexing, softmax and reorder
 * ops.
 */
class ReductionsIndexingOpsTest {
  private static Tensor m() {
    return Tensor.of(new double[][] {{1, 5, 3}, {4, 2, 6}});
  }

  @Test
  void maxAndMinAlongADimReturnValuesAndIndices() {
    Tensor.ValuesIndices r = m().max(1, false);
    assertArrayEquals(new double[] {5, 6}, r.values().toDoubleArray());
    assertArrayEquals(new long[] {1, 2}, r.indices().toLongArray());
    assertEquals(DType.INT64, r.indices().dtype());
    Tensor.ValuesIndices k = m().min(0, true);
    assertArrayEquals(new int[] {1, 3}, k.values().shape());
    assertArrayEquals(new double[] {1, 2, 3}, k.values().toDoubleArray());
    assertArrayEquals(new long[] {0, 1, 0}, k.indices().toLongArray());
  }

  @Test
  void maxDimGradientGoesToTheIndexAndFirstTieWins() {
    Tensor x = Tensor.of(new double[] {2, 7, 7, 1}, 1, 4).requiresGrad_();
    Tensor.ValuesIndices r = x.max(1, false);
    assertArrayEquals(new long[] {1}, r.indices().toLongArray());
    r.values().sum().backward();
    assertArrayEquals(new double[] {0, 1, 0, 0}, x.grad().toDoubleArray());
  }

  @Test
  void maxOverAllSplitsTheGradientAmongTies() {
    Tensor x = Tensor.of(new double[] {3, 1, 3, 3}).requiresGrad_();
    Tensor y = x.max();
    assertEquals(0, y.dim());
    assertEquals(3, y.item());
    y.backward();
    assertArrayEquals(new double[] {1 / 3.0, 0, 1 / 3.0, 1 / 3.0}, x.grad().toDoubleArray(), 1e-15);
    Tensor z = Tensor.of(new double[] {3, 1, 3, 3}).requiresGrad_();
    z.amin(new int[] {0}, false).backward();
    assertArrayEquals(new double[] {0, 1, 0, 0}, z.grad().toDoubleArray());
  }

  @Test
  void argmaxAndArgminAreInt64WithoutGradient() {
    Tensor x = m().requiresGrad_();
    assertEquals(5, x.argmax().item());
    assertEquals(0, x.argmin().item());
    assertEquals(0, x.argmax().dim());
    assertArrayEquals(new long[] {1, 2}, x.argmax(1, false).toLongArray());
    assertArrayEquals(new int[] {2, 1}, x.argmin(-1, true).shape());
    assertFalse(x.argmax(1, false).requiresGrad());
    assertEquals(DType.INT64, x.argmax().dtype());
  }

  @Test
  void emptyReductionIsAnError() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(0).max());
    assertTrue(e.getMessage().contains("numel() == 0"), e.getMessage());
  }

  @Test
  void logsumexpIsStableForLargeAndInfiniteValues() {
    Tensor x = Tensor.of(new double[] {1000, 1000, Double.NEGATIVE_INFINITY});
    assertEquals(1000 + Math.log(2), x.logsumexp(0, false).item(), 1e-9);
    Tensor allNegInf = Tensor.full(new int[] {2}, Double.NEGATIVE_INFINITY, DType.FLOAT64);
    assertEquals(Double.NEGATIVE_INFINITY, allNegInf.logsumexp(0, false).item());
    Tensor f = Tensor.of(new float[] {100, 100}).requiresGrad_();
    Tensor y = f.logsumexp(0, true);
    assertArrayEquals(new int[] {1}, y.shape());
    y.sum().backward();
    assertArrayEquals(new double[] {0.5, 0.5}, f.grad().toDoubleArray(), 1e-6);
  }

  @Test
  void varAndStdWithAndWithoutBesselsCorrection() {
    Tensor x = Tensor.of(new double[] {1, 2, 3, 4});
    assertEquals(5 / 3.0, x.var(true).item(), 1e-12);
    assertEquals(1.25, x.var(false).item(), 1e-12);
    assertEquals(Math.sqrt(5 / 3.0), x.std(true).item(), 1e-12);
    assertArrayEquals(new double[] {4, 4}, m().var(1, true, false).toDoubleArray(), 1e-12);
    assertArrayEquals(new int[] {2, 1}, m().std(1, false, true).shape());
  }

  @Test
  void normValuesAndZeroGradientAtTheOrigin() {
    Tensor x = Tensor.of(new double[] {3, -4});
    assertEquals(5, x.norm().item(), 1e-12);
    assertEquals(7, x.norm(1).item(), 1e-12);
    assertEquals(4, x.norm(Double.POSITIVE_INFINITY).item(), 1e-12);
    assertEquals(Math.cbrt(27 + 64), x.norm(3).item(), 1e-12);
    Tensor z = Tensor.zeros(DType.FLOAT64, 3).requiresGrad_();
    z.norm().backward();
    assertArrayEquals(new double[] {0, 0, 0}, z.grad().toDoubleArray());
    assertArrayEquals(
        new double[] {Math.sqrt(35), Math.sqrt(56)}, m().norm(2, 1, false).toDoubleArray(), 1e-12);
  }

  @Test
  void prodGradientWithZerosIsTheProductOfTheOthers() {
    Tensor x = Tensor.of(new double[] {2, 0, 3}).requiresGrad_();
    Tensor y = x.prod();
    assertEquals(0, y.item());
    y.backward();
    assertArrayEquals(new double[] {0, 6, 0}, x.grad().toDoubleArray());
    Tensor two = Tensor.of(new double[] {0, 5, 0, 2}, 1, 4).requiresGrad_();
    two.prod(1, false).sum().backward();
    assertArrayEquals(new double[] {0, 0, 0, 0}, two.grad().toDoubleArray());
    assertArrayEquals(new double[] {15, 48}, m().prod(1, false).toDoubleArray());
  }

  @Test
  void cumsumAndItsReversedGradient() {
    Tensor x = Tensor.of(new double[] {1, 2, 3}).requiresGrad_();
    Tensor y = x.cumsum(0);
    assertArrayEquals(new double[] {1, 3, 6}, y.toDoubleArray());
    y.backward(Tensor.of(new double[] {1, 10, 100}));
    assertArrayEquals(new double[] {111, 110, 100}, x.grad().toDoubleArray());
    assertArrayEquals(new double[] {1, 5, 3, 5, 7, 9}, m().cumsum(0).toDoubleArray());
  }

  @Test
  void indexSelectAndIndexAdd() {
    Tensor x = m().requiresGrad_();
    Tensor idx = Tensor.of(new long[] {2, 0, 2});
    Tensor y = x.indexSelect(1, idx);
    assertArrayEquals(new double[] {3, 1, 3, 6, 4, 6}, y.toDoubleArray());
    y.sum().backward();
    assertArrayEquals(new double[] {1, 0, 2, 1, 0, 2}, x.grad().toDoubleArray());
    Tensor added =
        Tensor.zeros(DType.FLOAT64, 3)
            .indexAdd(0, Tensor.of(new long[] {1, 1, 0}), Tensor.of(new double[] {1, 2, 5}));
    assertArrayEquals(new double[] {5, 3, 0}, added.toDoubleArray());
  }

  @Test
  void gatherAndScatterAdd() {
    Tensor x = m();
    Tensor idx = Tensor.of(new long[] {2, 2, 0, 1}, 2, 2);
    assertArrayEquals(new double[] {3, 3, 4, 2}, x.gather(1, idx).toDoubleArray());
    Tensor s =
        Tensor.zeros(DType.FLOAT64, 2, 3)
            .scatterAdd(1, idx, Tensor.of(new double[] {1, 2, 3, 4}, 2, 2));
    assertArrayEquals(new double[] {0, 0, 3, 3, 4, 0}, s.toDoubleArray());
  }

  @Test
  void scatterAddGradientReachesAZeroDimSrcOrThroughAZeroDimIndex() {
    // a 0-dim src or index counts as [1]: the gradient keeps src's shape (found by the API fuzzer)
    Tensor w = Tensor.of(new double[] {1, 2, 3}, 3);
    Tensor src = Tensor.scalar(5.0, DType.FLOAT64).requiresGrad_(true);
    Tensor.zeros(DType.FLOAT64, 3)
        .scatterAdd(0, Tensor.of(new long[] {1}, 1), src)
        .mul(w)
        .sum()
        .backward();
    assertEquals(0, src.grad().dim());
    assertEquals(2.0, src.grad().item());

    Tensor src3 = Tensor.of(new double[] {1, 1, 1}, 3).requiresGrad_(true);
    Tensor index0d = Tensor.of(new long[] {2}, 1).reshape();
    Tensor.zeros(DType.FLOAT64, 3).scatterAdd(0, index0d, src3).mul(w).sum().backward();
    assertArrayEquals(new double[] {3, 0, 0}, src3.grad().toDoubleArray());
  }

  @Test
  void indicesAreBoundsCheckedWithPyTorchMessages() {
    IndexOutOfBoundsException e =
        assertThrows(
            IndexOutOfBoundsException.class, () -> m().indexSelect(1, Tensor.of(new long[] {3})));
    assertEquals(
        "index_select(): index 3 is out of bounds for dimension 1 with size 3", e.getMessage());
    e =
        assertThrows(
            IndexOutOfBoundsException.class,
            () -> m().gather(0, Tensor.of(new long[] {0, 2, 1}, 1, 3)));
    assertEquals("gather(): index 2 is out of bounds for dimension 0 with size 2", e.getMessage());
    IllegalArgumentException d =
        assertThrows(
            IllegalArgumentException.class,
            () -> m().gather(0, Tensor.of(new float[] {0}).reshape(1, 1)));
    assertTrue(d.getMessage().contains("Expected dtype int64 for index"), d.getMessage());
    d =
        assertThrows(
            IllegalArgumentException.class, () -> m().gather(0, Tensor.of(new long[] {0})));
    assertTrue(
        d.getMessage().contains("Index tensor must have the same number of dimensions"),
        d.getMessage());
  }

  @Test
  void softmaxRowsSumToOneAndStayFiniteForLargeInputs() {
    Tensor x = Tensor.of(new double[][] {{1000, 1001, 1002}, {-5, 0, 5}});
    Tensor y = x.softmax(1);
    assertArrayEquals(new double[] {1, 1}, y.sum(1).toDoubleArray(), 1e-12);
    assertFalse(y.hasNaN());
    Tensor l = x.logSoftmax(1);
    assertArrayEquals(y.log().toDoubleArray(), l.toDoubleArray(), 1e-9);
    Tensor f = Tensor.of(new float[] {0, 1, 2}).requiresGrad_();
    f.softmax(0).select(0, 2).backward();
    double[] p = f.softmax(0).toDoubleArray();
    assertArrayEquals(
        new double[] {-p[2] * p[0], -p[2] * p[1], p[2] * (1 - p[2])},
        f.grad().toDoubleArray(),
        1e-6);
  }

  @Test
  void splitAndChunkAreViews() {
    Tensor x = Tensor.arange(0, 10, 1, DType.FLOAT64).reshape(5, 2);
    Tensor[] parts = x.split(2, 0);
    assertEquals(3, parts.length);
    assertArrayEquals(new int[] {1, 2}, parts[2].shape());
    assertArrayEquals(new double[] {8, 9}, parts[2].toDoubleArray());
    Tensor[] chunks = x.chunk(2, 0);
    assertEquals(2, chunks.length);
    assertArrayEquals(new int[] {3, 2}, chunks[0].shape());
    assertEquals(Tensors.storage(x), Tensors.storage(chunks[1]));
    assertEquals(2, x.chunk(6, 1).length); // never more pieces than elements
  }

  @Test
  void repeatAndFlip() {
    Tensor x = Tensor.of(new double[] {1, 2});
    assertArrayEquals(new double[] {1, 2, 1, 2, 1, 2, 1, 2}, x.repeat(2, 2).toDoubleArray());
    assertArrayEquals(new int[] {2, 4}, x.repeat(2, 2).shape());
    assertArrayEquals(new double[] {6, 2, 4, 3, 5, 1}, m().flip(0, 1).toDoubleArray());
    assertArrayEquals(new double[] {3, 5, 1, 6, 2, 4}, m().flip(-1).toDoubleArray());
    assertArrayEquals(new double[] {5, 2, 1, 4}, m().t().flip(0).narrow(0, 1, 2).toDoubleArray());
  }

  @Test
  void sortAndTopk() {
    Tensor x = Tensor.of(new double[] {3, 1, 2, 1});
    Tensor.ValuesIndices s = x.sort(0, false);
    assertArrayEquals(new double[] {1, 1, 2, 3}, s.values().toDoubleArray());
    assertArrayEquals(new long[] {1, 3, 2, 0}, s.indices().toLongArray()); // stable
    Tensor.ValuesIndices t = m().topk(2, 1, true, true);
    assertArrayEquals(new double[] {5, 3, 6, 4}, t.values().toDoubleArray());
    assertArrayEquals(new long[] {1, 2, 2, 0}, t.indices().toLongArray());
    Tensor.ValuesIndices low = m().topk(1, 0, false, true);
    assertArrayEquals(new double[] {1, 2, 3}, low.values().toDoubleArray());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m().topk(4));
    assertTrue(e.getMessage().contains("selected index k out of range"), e.getMessage());
  }

  @Test
  void newOpsHavePyTorchNodeNames() {
    Tensor x = m().requiresGrad_();
    assertEquals("MaxBackward1", x.max().gradFn().name());
    assertEquals("AmaxBackward0", x.amax(new int[] {1}, false).gradFn().name());
    assertEquals("LogsumexpBackward0", x.logsumexp(1, false).gradFn().name());
    assertEquals("VarBackward0", x.var(true).gradFn().name());
    assertEquals("StdBackward0", x.std(true).gradFn().name());
    assertEquals("ProdBackward1", x.prod(1, false).gradFn().name());
    assertEquals("CumsumBackward0", x.cumsum(1).gradFn().name());
    assertEquals(
        "IndexSelectBackward0", x.indexSelect(0, Tensor.of(new long[] {0})).gradFn().name());
    assertEquals("FlipBackward0", x.flip(0).gradFn().name());
    assertEquals("RepeatBackward0", x.repeat(1, 2).gradFn().name());
    assertEquals("SortBackward0", x.sort(1, true).values().gradFn().name());
    assertEquals("TopkBackward0", x.topk(1).values().gradFn().name());
  }
}
