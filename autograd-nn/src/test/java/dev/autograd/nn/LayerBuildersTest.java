package dev.autograd.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.autograd.core.DType;
import dev.autograd.core.Generator;
import dev.autograd.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Layers with named options: the same layer as the positional constructor, PyTorch's defaults,
 * checked values.
 */
class LayerBuildersTest {
  @Test
  void conv2dWithNamedOptionsEqualsTheFullConstructor() {
    Conv2d named =
        Conv2d.with(4, 8, 3)
            .stride(2)
            .padding(1)
            .groups(2)
            .bias(false)
            .generator(new Generator(7))
            .build();
    Conv2d positional =
        new Conv2d(
            4,
            8,
            new int[] {3, 3},
            new int[] {2, 2},
            new int[] {1, 1},
            new int[] {1, 1},
            2,
            false,
            new Generator(7));
    assertEquals(positional.toString(), named.toString());
    assertArrayEquals(positional.weight().toDoubleArray(), named.weight().toDoubleArray());
    assertNull(named.bias());
    Tensor x = Tensor.randn(new Generator(1), DType.FLOAT32, 1, 4, 9, 9);
    assertArrayEquals(positional.forward(x).toDoubleArray(), named.forward(x).toDoubleArray());
    assertEquals(
        "Conv2d(1, 8, kernel_size=(3, 3), stride=(1, 1))", Conv2d.with(1, 8, 3).build().toString());
  }

  @Test
  void lstmWithNamedOptionsEqualsTheFullConstructor() {
    LSTM named =
        LSTM.with(10, 20).numLayers(2).batchFirst(true).generator(new Generator(3)).build();
    LSTM positional = new LSTM(10, 20, 2, true, true, new Generator(3));
    assertEquals("LSTM(10, 20, num_layers=2, batch_first=True)", named.toString());
    assertEquals(positional.stateDict().keySet(), named.stateDict().keySet());
    assertArrayEquals(
        positional.parameters().get(5).toDoubleArray(), named.parameters().get(5).toDoubleArray());
  }

  @Test
  void badValuesAreRejectedNamingTheOption() {
    assertEquals(
        "Conv2d: kernel_size must be >= 1, got (0, 0)",
        assertThrows(IllegalArgumentException.class, () -> Conv2d.with(1, 8, 0)).getMessage());
    assertEquals(
        "Conv2d: padding must be >= 0, got (-1, -1)",
        assertThrows(IllegalArgumentException.class, () -> Conv2d.with(1, 8, 3).padding(-1))
            .getMessage());
    assertEquals(
        "Conv2d: in_channels (3) and out_channels (8) must be divisible by groups (2)",
        assertThrows(IllegalArgumentException.class, () -> Conv2d.with(3, 8, 3).groups(2).build())
            .getMessage());
    assertEquals(
        "LSTM: num_layers must be >= 1, got 0",
        assertThrows(IllegalArgumentException.class, () -> LSTM.with(10, 20).numLayers(0))
            .getMessage());
  }
}
