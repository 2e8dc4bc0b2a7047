package dev.autograd.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.core.internal.Tensors;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The out= forms write exactly what the allocating forms return, and refuse what PyTorch refuses.
 */
class OutFormsTest {
  private static final Generator GEN = new Generator(7);

  private static Tensor positive(DType dt, int... shape) {
    return Tensor.rand(GEN, dt, shape).add(0.5);
  }

  @Test
  void unaryFormsMatchTheAllocatingOnesInBothDtypes() {
    List<BiFunction<Tensor, Tensor, Tensor>> outForms =
        List.of(
            Tensor::neg,
            Tensor::exp,
            Tensor::log,
            Tensor::sqrt,
            Tensor::tanh,
            Tensor::sigmoid,
            Tensor::relu);
    List<Function<Tensor, Tensor>> plain =
        List.of(
            Tensor::neg,
            Tensor::exp,
            Tensor::log,
            Tensor::sqrt,
            Tensor::tanh,
            Tensor::sigmoid,
            Tensor::relu);
    for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
      for (int n : new int[] {1, 5, 17, 1000}) {
        Tensor x = positive(dt, n).sub(0.7);
        Tensor xp = positive(dt, n);
        for (int i = 0; i < outForms.size(); i++) {
          Tensor in = i == 2 || i == 3 ? xp : x; // log and sqrt on positive inputs
          Tensor out = Tensor.empty(dt, n);
          assertSame(out, outForms.get(i).apply(in, out));
          assertArrayEquals(
              plain.get(i).apply(in).toDoubleArray(),
              out.toDoubleArray(),
              0,
              "op " + i + " n " + n);
        }
      }
    }
  }

  @Test
  void binaryFormsBroadcastAndMatch() {
    Tensor a = positive(DType.FLOAT32, 3, 4);
    Tensor row = positive(DType.FLOAT32, 4);
    Tensor out = Tensor.empty(DType.FLOAT32, 3, 4);
    assertArrayEquals(a.add(row).toDoubleArray(), a.add(row, out).toDoubleArray(), 0);
    assertArrayEquals(a.sub(row).toDoubleArray(), a.sub(row, out).toDoubleArray(), 0);
    assertArrayEquals(a.mul(row).toDoubleArray(), a.mul(row, out).toDoubleArray(), 0);
    assertArrayEquals(a.div(row).toDoubleArray(), a.div(row, out).toDoubleArray(), 0);
    assertArrayEquals(a.mul(-0.5).toDoubleArray(), a.mul(-0.5, out).toDoubleArray(), 0);
    assertArrayEquals(a.add(2).toDoubleArray(), a.add(2, out).toDoubleArray(), 0);
  }

  @Test
  void writesIntoStridedAndOffsetViews() {
    Tensor a = positive(DType.FLOAT64, 3, 4);
    Tensor base = Tensor.zeros(DType.FLOAT64, 4, 3);
    a.exp(base.t()); // a transposed view: non-contiguous rows
    assertArrayEquals(a.exp().t().toDoubleArray(), base.toDoubleArray(), 0);
    Tensor big = Tensor.zeros(DType.FLOAT32, 2, 6);
    Tensor x = positive(DType.FLOAT32, 6);
    x.mul(2.0, big.select(0, 1)); // an offset into the storage
    assertArrayEquals(new double[6], big.select(0, 0).toDoubleArray(), 0);
    assertArrayEquals(x.mul(2.0).toDoubleArray(), big.select(0, 1).toDoubleArray(), 0);
  }

  @Test
  void exactAliasingIsAllowedAsInPyTorch() {
    Tensor x = positive(DType.FLOAT32, 8);
    double[] expected = x.exp().toDoubleArray();
    x.exp(x);
    assertArrayEquals(expected, x.toDoubleArray(), 0);
    Tensor y = positive(DType.FLOAT32, 8);
    double[] sum = y.add(y).toDoubleArray();
    y.add(y, y);
    assertArrayEquals(sum, y.toDoubleArray(), 0);
  }

  @Test
  void matrixProductForm() {
    for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
      Tensor a = positive(dt, 5, 7), b = positive(dt, 7, 3);
      Tensor out =
          Tensor.full(
              new int[] {5, 3}, Double.NaN, dt); // stale values must not leak into the result
      assertSame(out, a.mm(b, out));
      assertArrayEquals(a.mm(b).toDoubleArray(), out.toDoubleArray(), 0);
      Tensor wide =
          Tensor.zeros(dt, 5, 6); // rows with a stride larger than n, and a transposed target
      a.mm(b, wide.narrow(1, 2, 3));
      assertArrayEquals(a.mm(b).toDoubleArray(), wide.narrow(1, 2, 3).toDoubleArray(), 0);
      Tensor t = Tensor.zeros(dt, 3, 5);
      a.mm(b, t.t());
      assertArrayEquals(a.mm(b).t().toDoubleArray(), t.toDoubleArray(), 0);
      Tensor sq = positive(dt, 4, 4), other = positive(dt, 4, 4);
      double[] expected = sq.mm(other).toDoubleArray();
      sq.mm(other, sq); // out is an operand: computed aside, then written
      assertArrayEquals(expected, sq.toDoubleArray(), 0);
    }
    Tensor a = positive(DType.FLOAT32, 2, 3);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> a.mm(positive(DType.FLOAT32, 3, 4), Tensor.empty(DType.FLOAT32, 4, 2)));
    assertTrue(
        e.getMessage().startsWith("mm(): out has shape [4, 2] but the result has shape [2, 4]"),
        e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> a.mm(positive(DType.FLOAT32, 4, 4), Tensor.empty(DType.FLOAT32, 2, 4)));
  }

  @Test
  void sumForms() {
    Tensor a = positive(DType.FLOAT64, 3, 4);
    Tensor total = Tensor.empty(DType.FLOAT64);
    assertEquals(a.sum().item(), a.sum(total).item(), 0);
    Tensor cols = Tensor.empty(DType.FLOAT64, 4);
    assertArrayEquals(a.sum(0).toDoubleArray(), a.sum(0, false, cols).toDoubleArray(), 0);
    Tensor kept = Tensor.empty(DType.FLOAT64, 3, 1);
    assertArrayEquals(a.sum(1, true).toDoubleArray(), a.sum(1, true, kept).toDoubleArray(), 0);
    Tensor ints = Tensor.of(new long[] {1, 2, 3}, 3);
    assertEquals(6, ints.sum(Tensor.empty(DType.INT64)).item());
  }

  @Test
  void theWriteIsAnInPlaceChangeThatSavedTensorsNotice() {
    Tensor w = positive(DType.FLOAT32, 4).requiresGrad_();
    Tensor y = w.exp(); // ExpBackward0 saves y
    Tensor loss = y.sum();
    int before = Tensors.storage(y).version();
    try (var g = Autograd.noGrad()) {
      w.detach().mul(3.0, y);
    }
    assertEquals(before + 1, Tensors.storage(y).version());
    RuntimeException e = assertThrows(RuntimeException.class, loss::backward);
    assertTrue(e.getMessage().contains("modified by an inplace operation"), e.getMessage());
  }

  @Test
  void refusedWhereAGradientWouldBeNeeded() {
    Tensor w = positive(DType.FLOAT32, 4).requiresGrad_();
    Tensor out = Tensor.empty(DType.FLOAT32, 4);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.exp(out));
    assertTrue(
        e.getMessage()
            .startsWith(
                "exp(): functions with out=... arguments don't support automatic differentiation"),
        e.getMessage());
    assertTrue(e.getMessage().contains("Autograd.noGrad()"), e.getMessage());
    try (var g = Autograd.noGrad()) { // PyTorch allows it without grad mode, and so do we
      w.exp(out);
      assertArrayEquals(w.detach().exp().toDoubleArray(), out.toDoubleArray(), 0);
    }
    assertNull(out.gradFn());
  }

  @Test
  void badShapesDtypesAndOverlapsAreNamed() {
    Tensor a = positive(DType.FLOAT32, 2, 3);
    IllegalArgumentException shape =
        assertThrows(
            IllegalArgumentException.class, () -> a.add(a, Tensor.empty(DType.FLOAT32, 3)));
    assertEquals(
        "add(): out has shape [3] but the result has shape [2, 3]; allocate out with"
            + " Tensor.empty(FLOAT32, 2, 3)",
        shape.getMessage());
    IllegalArgumentException dtype =
        assertThrows(
            IllegalArgumentException.class, () -> a.tanh(Tensor.empty(DType.FLOAT64, 2, 3)));
    assertEquals(
        "tanh(): out has dtype FLOAT64 but the result is FLOAT32; allocate out with dtype FLOAT32",
        dtype.getMessage());
    Tensor buf = positive(DType.FLOAT32, 7);
    IllegalArgumentException overlap =
        assertThrows(
            IllegalArgumentException.class, () -> buf.narrow(0, 0, 6).exp(buf.narrow(0, 1, 6)));
    assertTrue(
        overlap
            .getMessage()
            .startsWith(
                "exp(): some elements of the input (shape [6]) and of out"
                    + " (shape [6]) refer to a single memory location"),
        overlap.getMessage());
    Tensor expanded = Tensor.zeros(DType.FLOAT32, 1, 3).expand(2, 3);
    IllegalArgumentException internal =
        assertThrows(IllegalArgumentException.class, () -> a.relu(expanded));
    assertTrue(
        internal.getMessage().startsWith("relu(): more than one element of out"),
        internal.getMessage());
    Tensor s = Tensor.empty(DType.FLOAT32, 1);
    assertThrows(IllegalArgumentException.class, () -> a.sum(s));
  }
}
