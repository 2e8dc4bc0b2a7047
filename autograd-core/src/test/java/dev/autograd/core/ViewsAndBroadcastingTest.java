package dev.autograd.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.core.internal.Tensors;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** Views share storage; reshape copies only when it must; broadcasting follows NumPy's rules. */
class ViewsAndBroadcastingTest {
  private static Tensor grid() {
    return Tensor.arange(0, 12, 1, DType.FLOAT64).reshape(3, 4);
  }

  /** Writing through {@code view} must show up in the base tensor. */
  private static void assertWritesThrough(UnaryOperator<Tensor> view, int[] changedFlatIndex) {
    Tensor base = grid();
    Tensor v = view.apply(base);
    assertSame(Tensors.storage(base), Tensors.storage(v));
    v.fill_(-1);
    double[] b = base.toDoubleArray();
    for (int i : changedFlatIndex) assertEquals(-1, b[i], "element " + i);
    int changed = 0;
    for (double x : b) if (x == -1) changed++;
    assertEquals(changedFlatIndex.length, changed);
  }

  @Test
  void viewsShareStorageAndWriteThrough() {
    assertWritesThrough(t -> t.transpose(0, 1).select(0, 1), new int[] {1, 5, 9});
    assertWritesThrough(t -> t.permute(1, 0).narrow(0, 3, 1), new int[] {3, 7, 11});
    assertWritesThrough(t -> t.narrow(1, 1, 2).select(0, 0), new int[] {1, 2});
    assertWritesThrough(t -> t.slice(1, 0, 4, 2).select(0, 2), new int[] {8, 10});
    assertWritesThrough(t -> t.select(0, 1), new int[] {4, 5, 6, 7});
    assertWritesThrough(t -> t.unsqueeze(0).squeeze(0).select(1, 3), new int[] {3, 7, 11});
    assertWritesThrough(t -> t.view(12).narrow(0, 10, 2), new int[] {10, 11});
    assertWritesThrough(t -> t.split(2, 1)[1].select(0, 0), new int[] {2, 3});
  }

  @Test
  void expandIsAStrideZeroView() {
    Tensor col = Tensor.of(new double[] {1, 2, 3}, 3, 1);
    Tensor e = col.expand(3, 4);
    assertSame(Tensors.storage(col), Tensors.storage(e));
    assertEquals(0, e.stride()[1]);
    assertArrayEquals(new double[] {1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3}, e.toDoubleArray());
  }

  @Test
  void reshapeOfNonContiguousCopiesAndContiguousIsANoOpWhenPossible() {
    Tensor x = grid();
    Tensor t = x.t();
    assertFalse(t.isContiguous());
    Tensor r = t.reshape(12);
    assertNotSame(Tensors.storage(x), Tensors.storage(r));
    assertArrayEquals(new double[] {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}, r.toDoubleArray());
    assertSame(Tensors.storage(x), Tensors.storage(x.reshape(4, 3)));
    assertSame(x, x.contiguous());
    Tensor c = t.contiguous();
    assertTrue(c.isContiguous());
    assertNotSame(Tensors.storage(x), Tensors.storage(c));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.view(12));
    assertTrue(e.getMessage().contains("Use .reshape(...) instead"), e.getMessage());
  }

  @Test
  void reductionsAndElementwiseOnTransposedAndExpandedInputs() {
    Tensor t = grid().t(); // [4, 3]
    assertArrayEquals(new double[] {12, 15, 18, 21}, t.sum(1).toDoubleArray());
    assertArrayEquals(new double[] {6, 22, 38}, t.sum(0).toDoubleArray());
    assertArrayEquals(new double[] {3, 7, 11}, t.max(0, false).values().toDoubleArray());
    assertArrayEquals(new long[] {3, 3, 3}, t.argmax(0, false).toLongArray());
    assertArrayEquals(
        new double[] {0, 5, 12, 21}, t.select(1, 0).mul(t.select(1, 1)).toDoubleArray());
    Tensor e = Tensor.of(new double[] {1, 2, 3}, 3, 1).expand(3, 4);
    assertArrayEquals(new double[] {4, 8, 12}, e.sum(1).toDoubleArray());
    assertArrayEquals(new double[] {2, 2, 2, 2}, e.mean(0).toDoubleArray(), 1e-12);
    assertArrayEquals(
        grid().toDoubleArray(), t.t().add(Tensor.zeros(DType.FLOAT64, 3, 4)).toDoubleArray());
  }

  @Test
  void broadcastMismatchNamesTheSizesAndTheDimension() {
    Tensor a = Tensor.zeros(2, 3), b = Tensor.zeros(2, 4);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.add(b));
    assertEquals(
        "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1",
        e.getMessage());
  }

  @Test
  void broadcastGradientIsSummedBackToTheInputShape() {
    Tensor a = Tensor.of(new double[] {1, 2, 3}, 3, 1).requiresGrad_();
    Tensor b = Tensor.of(new double[] {10, 20, 30, 40}).requiresGrad_();
    a.mul(b).sum().backward();
    assertArrayEquals(new int[] {3, 1}, a.grad().shape());
    assertArrayEquals(new double[] {100, 100, 100}, a.grad().toDoubleArray());
    assertArrayEquals(new double[] {6, 6, 6, 6}, b.grad().toDoubleArray());
  }

  /** Random broadcast-compatible shapes: result shape, values and gradient shapes follow NumPy. */
  @RepeatedTest(40)
  void randomBroadcastingProperty(org.junit.jupiter.api.RepetitionInfo info) {
    Random r = new Random(info.getCurrentRepetition());
    int rank = 1 + r.nextInt(4);
    int[] out = new int[rank];
    for (int d = 0; d < rank; d++) out[d] = 1 + r.nextInt(3);
    int[] sa = dropAndOne(out, r), sb = dropAndOne(out, r);
    Tensor a = Tensor.randn(new Generator(r.nextLong()), DType.FLOAT64, sa).requiresGrad_();
    Tensor b = Tensor.randn(new Generator(r.nextLong()), DType.FLOAT64, sb).requiresGrad_();
    Tensor y = a.mul(b).add(a);
    int[] expectedShape = dev.autograd.core.tensor.Shapes.broadcast(sa, sb);
    assertArrayEquals(expectedShape, y.shape());
    // the same values through explicit expansion of both operands
    Tensor ea = a.detach().expand(expectedShape).contiguous(),
        eb = b.detach().expand(expectedShape).contiguous();
    double[] va = ea.toDoubleArray(), vb = eb.toDoubleArray(), vy = y.toDoubleArray();
    for (int i = 0; i < vy.length; i++) assertEquals(va[i] * vb[i] + va[i], vy[i], 1e-12);
    y.sum().backward();
    assertArrayEquals(sa, a.grad().shape());
    assertArrayEquals(sb, b.grad().shape());
    // d/db sum(a b + a) = a summed over the broadcast dims
    assertArrayEquals(ea.sumTo(sb).toDoubleArray(), b.grad().toDoubleArray(), 1e-12);
  }

  // drops some leading dims and sets some sizes to 1
  private static int[] dropAndOne(int[] shape, Random r) {
    int drop = r.nextInt(shape.length);
    int[] s = java.util.Arrays.copyOfRange(shape, drop, shape.length);
    for (int d = 0; d < s.length; d++) if (r.nextInt(3) == 0) s[d] = 1;
    return s;
  }
}
