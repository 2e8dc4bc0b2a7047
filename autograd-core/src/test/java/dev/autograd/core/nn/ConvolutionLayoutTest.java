package dev.autograd.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.autograd.core.DType;
import dev.autograd.core.Generator;
import dev.autograd.core.Tensor;
import dev.autograd.core.internal.nn.NnOps;
import org.junit.jupiter.api.Test;

/**
 * conv2d, pooling and embedding read their inputs' storage directly: views must give the same
 * values and gradients.
 */
class ConvolutionLayoutTest {
  private static final int[] ONE = {1, 1};

  @Test
  void conv2dOfATransposedOffsetViewEqualsConv2dOfItsContiguousCopy() {
    for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
      Generator gen = new Generator(3);
      Tensor big = Tensor.randn(gen, dtype, 3, 2, 6, 5);
      Tensor w = Tensor.randn(gen, dtype, 4, 2, 3, 3);
      Tensor view = big.narrow(0, 1, 2).transpose(2, 3).requiresGrad_(true); // offset and strides
      Tensor copy = view.detach().contiguous().requiresGrad_(true);
      Tensor a = NnOps.conv2d(view, w, null, ONE, ONE, ONE, 1);
      Tensor b = NnOps.conv2d(copy, w, null, ONE, ONE, ONE, 1);
      assertArrayEquals(b.toDoubleArray(), a.toDoubleArray(), 1e-6);
      Tensor g = Tensor.randn(gen, dtype, a.shape());
      a.backward(
          g.transpose(0, 1).contiguous().transpose(0, 1)); // a non-contiguous upstream gradient
      b.backward(g);
      assertArrayEquals(copy.grad().toDoubleArray(), view.grad().toDoubleArray(), 1e-5);

      Tensor p = NnOps.maxPool2d(view, new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0}, ONE);
      Tensor q = NnOps.maxPool2d(copy, new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0}, ONE);
      assertArrayEquals(q.toDoubleArray(), p.toDoubleArray(), 0);

      Tensor table = Tensor.randn(gen, dtype, 4, 6).t(); // [6, 4], not contiguous
      Tensor idx = Tensor.of(new long[] {5, 0, 5, 2}, 2, 2);
      assertArrayEquals(
          NnOps.embedding(table.contiguous(), idx).toDoubleArray(),
          NnOps.embedding(table, idx).toDoubleArray(),
          0);
    }
  }
}
