package dev.autograd.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Advanced indexing as PyTorch 1.13 does it (values printed by torch for the same inputs): the
 * layout rule, masks, index_put with and without accumulation, in-place writes and the errors.
 * Numbers and gradients of many more cases are in indexing.json (GoldenOpsTest).
 */
class AdvancedIndexingTest {
  private static Tensor arange(int... shape) {
    return Tensor.arange(dev.autograd.core.tensor.Shapes.numel(shape))
        .to(DType.FLOAT64)
        .reshape(shape);
  }

  private static Tensor longs(long... v) {
    return Tensor.of(v);
  }

  /** The README's example (values printed by PyTorch 1.13 for the same calls). */
  @Test
  void readmeExample() {
    Tensor x = Tensor.arange(0, 12, 1, DType.FLOAT64).reshape(3, 4).requiresGrad_();
    Tensor rows = Tensor.of(new long[] {0, 2, -1});
    Tensor cols = Tensor.of(new long[] {1, 3, 3});
    Tensor picked = x.index(rows, cols); // x[rows, cols]: [1., 11., 11.]
    Tensor columns = x.index(null, Tensor.of(new long[] {3, 0})); // x[:, [3, 0]]: shape [3, 2]
    Tensor large = x.index(x.gt(8)); // x[x > 8]: [9., 10., 11.]
    picked.sum().backward(); // x.grad: 1 at [0, 1], 2 at [2, 3] (picked twice)
    Tensor counts = Tensor.zeros(DType.FLOAT64, 3);
    counts.indexPut_(
        new Tensor[] {Tensor.of(new long[] {0, 2, 0})},
        Tensor.ones(DType.FLOAT64, 3),
        true); // [2., 0., 1.]
    assertArrayEquals(new double[] {1, 11, 11}, picked.toDoubleArray());
    assertArrayEquals(new double[] {3, 0, 7, 4, 11, 8}, columns.toDoubleArray());
    assertArrayEquals(new double[] {9, 10, 11}, large.toDoubleArray());
    assertArrayEquals(new double[] {0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2}, x.grad().toDoubleArray());
    assertArrayEquals(new double[] {2, 0, 1}, counts.toDoubleArray());
    assertEquals("IndexBackward0", picked.gradFn().name());
  }

  @Test
  void severalIndexTensorsBroadcastTogether() {
    Tensor x = arange(3, 4);
    Tensor y = x.index(Tensor.of(new long[] {0, 2}, 2, 1), longs(1, -1, 3));
    assertArrayEquals(new int[] {2, 3}, y.shape());
    assertArrayEquals(new double[] {1, 3, 3, 9, 11, 11}, y.toDoubleArray());
  }

  @Test
  void adjacentIndicesStayInPlaceAndSeparatedOnesGoFirst() {
    Tensor x = Tensor.zeros(2, 3, 4, 5);
    assertArrayEquals(new int[] {2, 2, 5}, x.index(null, longs(0, 1), longs(1, 2)).shape());
    assertArrayEquals(new int[] {2, 2, 4}, x.index(null, longs(0, 1), null, longs(1, 2)).shape());
    assertArrayEquals(new int[] {2, 3, 5}, x.index(longs(0, 1), null, longs(1, 2)).shape());
    assertArrayEquals(new int[] {3, 4, 5}, x.index(Tensor.scalar(1, DType.INT64)).shape());
  }

  @Test
  void aMaskSelectsWithItsShapeAsPrefix() {
    Tensor x = arange(2, 3);
    Tensor mask = Tensor.of(new boolean[] {true, false, true, false, true, false}, 2, 3);
    assertArrayEquals(new double[] {0, 2, 4}, x.index(mask).toDoubleArray());
    Tensor rows = x.index(Tensor.of(new boolean[] {false, true}));
    assertArrayEquals(new int[] {1, 3}, rows.shape());
    Tensor cols = x.index(null, Tensor.of(new boolean[] {true, false, true}));
    assertArrayEquals(new double[] {0, 2, 3, 5}, cols.toDoubleArray());
  }

  @Test
  void gradientOfIndexAccumulatesRepeatedIndices() {
    Tensor x = arange(3, 2).requiresGrad_();
    x.index(longs(0, 2, 0, -1)).sum().backward();
    assertArrayEquals(new double[] {2, 2, 0, 0, 2, 2}, x.grad().toDoubleArray());
    assertEquals("IndexBackward0", x.index(longs(0)).gradFn().name());
  }

  @Test
  void indexPutWritesOrAccumulates() {
    Tensor x = Tensor.zeros(DType.FLOAT64, 4);
    Tensor v = Tensor.of(new double[] {1, 2, 3});
    assertArrayEquals(
        new double[] {4, 2, 0, 0},
        x.indexPut(new Tensor[] {longs(0, 1, 0)}, v, true).toDoubleArray());
    assertArrayEquals(
        new double[] {0, 0, 0, 7},
        x.indexPut(new Tensor[] {longs(-1)}, Tensor.scalar(7.0, DType.FLOAT64), false)
            .toDoubleArray());
    assertArrayEquals(new double[] {0, 0, 0, 0}, x.toDoubleArray(), "out of place");
    x.indexPut_(
        new Tensor[] {Tensor.of(new boolean[] {true, false, true, false})},
        Tensor.of(new double[] {5, 6}),
        false);
    assertArrayEquals(new double[] {5, 0, 6, 0}, x.toDoubleArray());
    x.indexPut_(new Tensor[] {longs(0, 0)}, Tensor.of(new double[] {1, 1}), true);
    assertArrayEquals(new double[] {7, 0, 6, 0}, x.toDoubleArray());
  }

  @Test
  void indexPutGradients() {
    Tensor x = Tensor.of(new double[] {1, 2, 3, 4}).requiresGrad_();
    Tensor v = Tensor.of(new double[] {10, 20}).requiresGrad_();
    Tensor y = x.indexPut(new Tensor[] {longs(1, 3)}, v, false);
    y.mul(Tensor.of(new double[] {1, 2, 3, 4})).sum().backward();
    assertArrayEquals(
        new double[] {1, 0, 3, 0}, x.grad().toDoubleArray(), "written positions get no gradient");
    assertArrayEquals(new double[] {2, 4}, v.grad().toDoubleArray());
    assertEquals("IndexPutBackward0", y.gradFn().name());
  }

  @Test
  void inPlaceIndexPutOnANonLeafRebasesItsHistory() {
    Tensor a = Tensor.of(new double[] {1, 2, 3}).requiresGrad_();
    Tensor v = Tensor.scalar(5.0, DType.FLOAT64).requiresGrad_();
    Tensor h = a.mul(2);
    h.indexPut_(new Tensor[] {longs(0, 2)}, v, true);
    h.sum().backward();
    assertArrayEquals(new double[] {2, 2, 2}, a.grad().toDoubleArray());
    assertEquals(2.0, v.grad().item(), "one scalar broadcast to two positions");
  }

  @Test
  void errorsNameTheOpAndTheValues() {
    Tensor x = Tensor.zeros(3, 4);
    Exception e = assertThrows(IndexOutOfBoundsException.class, () -> x.index(longs(3)));
    assertTrue(
        e.getMessage().contains("index(): index 3 is out of bounds for dimension 0 with size 3"),
        e.getMessage());
    e = assertThrows(IndexOutOfBoundsException.class, () -> x.index(null, longs(-5)));
    assertTrue(
        e.getMessage().contains("index -5 is out of bounds for dimension 1 with size 4"),
        e.getMessage());
    e =
        assertThrows(
            IndexOutOfBoundsException.class,
            () -> x.index(Tensor.of(new boolean[] {true, false, true, true}, 1, 4)));
    assertTrue(
        e.getMessage()
            .contains(
                "The shape of the mask [1, 4] at index 0 does not match the shape of the indexed tensor [3, 4] at index 0"),
        e.getMessage());
    e = assertThrows(IndexOutOfBoundsException.class, () -> x.index(longs(0), longs(0), longs(0)));
    assertTrue(
        e.getMessage().contains("too many indices for tensor of dimension 2 (got 3)"),
        e.getMessage());
    e = assertThrows(IndexOutOfBoundsException.class, () -> x.index(longs(0, 1), longs(0, 1, 2)));
    assertTrue(
        e.getMessage().contains("could not be broadcast together with shapes [2], [3]"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> x.index(Tensor.of(new float[] {1})));
    assertTrue(
        e.getMessage().contains("must be long or bool tensors, got torch.float32"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> x.index((Tensor) null));
    assertTrue(e.getMessage().contains("at least one index tensor"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> x.indexPut(new Tensor[] {longs(0)}, Tensor.ones(2), false));
    assertTrue(
        e.getMessage()
            .contains(
                "value tensor of shape [2] cannot be broadcast to indexing result of shape [1, 4]"),
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> x.indexPut(new Tensor[] {longs(0)}, Tensor.ones(DType.FLOAT64, 4), false));
    assertTrue(
        e.getMessage()
            .contains("dtypes match, got torch.float32 for the destination and torch.float64"),
        e.getMessage());
    Tensor w = Tensor.ones(3).requiresGrad_();
    assertThrows(
        IllegalStateException.class,
        () -> w.indexPut_(new Tensor[] {longs(0)}, Tensor.zeros(1), false));
    Tensor before = Tensor.zeros(3);
    assertThrows(
        IndexOutOfBoundsException.class,
        () -> before.indexPut_(new Tensor[] {longs(0, 7)}, Tensor.ones(2), false));
    assertArrayEquals(
        new float[] {0, 0, 0}, before.toFloatArray(), "nothing written before the check");
  }
}
