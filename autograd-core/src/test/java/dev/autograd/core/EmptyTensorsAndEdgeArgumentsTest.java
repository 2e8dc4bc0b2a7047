package dev.autograd.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Zero-element tensors work everywhere, including views at a non-zero offset (whose offset may lie
 * past the end of their storage), and edge arguments get PyTorch's errors instead of crashes.
 */
class EmptyTensorsAndEdgeArgumentsTest {
  /** [1, 0, 3] at offset 2 of a [4, 0, 3] tensor: no elements, offset past the (empty) array. */
  private static Tensor emptyView() {
    return Tensor.zeros(4, 0, 3).narrow(0, 2, 1);
  }

  static Stream<Arguments> opsOnEmptyViews() {
    Map<String, Function<Tensor, Tensor>> ops = new LinkedHashMap<>();
    ops.put("clone", Tensor::clone);
    ops.put("contiguous of transposed", t -> t.transpose(1, 2).contiguous());
    ops.put("fill_", t -> t.fill_(1));
    ops.put("zero_", Tensor::zero_);
    ops.put("copy_", t -> t.copy_(Tensor.zeros(1, 0, 3)));
    ops.put("add_", t -> t.add_(Tensor.zeros(1, 0, 3)));
    ops.put("mul_ scalar", t -> t.mul_(2));
    ops.put("exp_", Tensor::exp_);
    ops.put("relu_", Tensor::relu_);
    ops.put("uniform_", t -> t.uniform_(0, 1, new Generator(1)));
    ops.put("normal_", t -> t.normal_(0, 1, new Generator(1)));
    ops.put("stack", t -> Tensor.stack(0, t, t));
    ops.put("cat", t -> Tensor.cat(1, t, t));
    ops.put("exp", Tensor::exp);
    ops.put("add broadcast", t -> t.add(Tensor.ones(3)));
    ops.put("sum dim", t -> t.sum(2));
    ops.put("cumsum", t -> t.cumsum(1));
    ops.put("logcumsumexp", t -> t.logcumsumexp(1));
    ops.put("softmax", t -> t.softmax(1));
    ops.put("flip", t -> t.flip(1));
    ops.put("repeat", t -> t.repeat(2, 1, 1));
    ops.put("sort", t -> t.sort(2, false).values());
    ops.put("gather", t -> t.gather(1, Tensor.zeros(DType.INT64, 1, 0, 3)));
    ops.put("scatterAdd", t -> t.scatterAdd(1, Tensor.zeros(DType.INT64, 1, 0, 3), t));
    ops.put("indexAdd", t -> t.indexAdd(1, Tensor.zeros(DType.INT64, 0), t));
    ops.put("indexSelect", t -> t.indexSelect(0, Tensor.of(new long[] {0})));
    ops.put("matmul", t -> t.matmul(Tensor.ones(3, 2)));
    ops.put("where", t -> Tensor.where(t.gt(0), t, t));
    return ops.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("opsOnEmptyViews")
  void opsWorkOnEmptyViewsAtAnOffset(String name, Function<Tensor, Tensor> op) {
    Tensor y = op.apply(emptyView());
    assertEquals(0, y.numel(), name);
    assertEquals(0, y.toFloatArray().length, name);
  }

  @Test
  void gradientsFlowThroughEmptyViews() {
    Tensor x = Tensor.zeros(DType.FLOAT64, 4, 0, 3).requiresGrad_();
    x.narrow(0, 2, 1).softmax(2).mul(2).sum().backward();
    assertArrayEquals(new int[] {4, 0, 3}, x.grad().shape());
    assertEquals(0, Tensor.zeros(2, 0).indexSelect(0, Tensor.of(new long[] {1})).numel());
  }

  @Test
  void edgeArgumentsGetClearErrors() {
    Exception size = assertThrows(IndexOutOfBoundsException.class, () -> Tensor.scalar(1).size(-1));
    assertTrue(size.getMessage().contains("tensor has no dimensions"), size.getMessage());
    Exception cat =
        assertThrows(
            IllegalArgumentException.class,
            () -> Tensor.cat(0, Tensor.scalar(1), Tensor.scalar(2)));
    assertTrue(
        cat.getMessage().contains("zero-dimensional tensor (at position 0) cannot be concatenated"),
        cat.getMessage());
    Exception rank =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Tensor.zeros(3, 4).scatterAdd(1, Tensor.zeros(DType.INT64, 3), Tensor.zeros(3, 4)));
    assertTrue(rank.getMessage().contains("same number of dimensions"), rank.getMessage());
    Exception expand =
        assertThrows(IllegalArgumentException.class, () -> Tensor.ones(1).expand(-5));
    assertTrue(expand.getMessage().contains("(-5)"), expand.getMessage());
    Exception big = assertThrows(IllegalArgumentException.class, () -> Tensor.arange(0, 3e9, 1));
    assertTrue(big.getMessage().contains("3000000000 elements"), big.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Tensor.arange(0, Double.NaN, 1));
    assertThrows(
        IllegalArgumentException.class, () -> Tensor.arange(0, Double.POSITIVE_INFINITY, 1));
    assertArrayEquals(
        new float[] {0},
        Tensor.linspace(0, 1, 1).toFloatArray(),
        "PyTorch's linspace(0, 1, 1) is [0.]");
    assertArrayEquals(
        new int[] {1, 3},
        Tensor.zeros(2, 3).slice(0, 0, 2, Integer.MAX_VALUE).shape(),
        "a huge step takes the first element");
    Tensor wide = Tensor.zeros(Integer.MAX_VALUE - 9, 0);
    assertArrayEquals(
        new int[] {Integer.MAX_VALUE - 9, 0},
        wide.sort(0, false).values().shape(),
        "no scratch sized by an empty tensor's long dim");
    assertEquals(0, Tensor.zeros(7, 4, Integer.MAX_VALUE, 0).numel());
    if (Runtime.getRuntime().maxMemory()
        < 8L << 30) { // 2^31 tensor references do not fit: the request is named
      OutOfMemoryError pieces = assertThrows(OutOfMemoryError.class, () -> wide.split(1, 0));
      assertTrue(
          pieces.getMessage().contains("pieces") && pieces.getMessage().contains("-Xmx"),
          pieces.getMessage());
    }
    Exception nul =
        assertThrows(NullPointerException.class, () -> Tensor.ones(2).add((Tensor) null));
    assertEquals("add(): other is null", nul.getMessage());
    assertThrows(NullPointerException.class, () -> Tensor.ones(2, 2).mm(null));
  }

  @Test
  void aTensorLargerThanTheHeapNamesItsSize() {
    long heap = Runtime.getRuntime().maxMemory();
    int n = (int) Math.min(Integer.MAX_VALUE - 16L, heap / 8 + 1);
    if ((long) n * 8 <= heap) return; // a heap this large cannot be exceeded by one array
    OutOfMemoryError e = assertThrows(OutOfMemoryError.class, () -> Tensor.zeros(DType.FLOAT64, n));
    assertTrue(
        e.getMessage().contains(n + " elements") && e.getMessage().contains("-Xmx"),
        e.getMessage());
  }

  // a valid argument of each parameter type of Tensor's public methods
  private static Object valid(Class<?> c) {
    if (c == int.class) return 0;
    if (c == long.class) return 0L;
    if (c == double.class) return 1.0;
    if (c == boolean.class) return false;
    if (c == int[].class) return new int[] {2};
    if (c == Tensor.class) return Tensor.ones(2);
    if (c == Tensor[].class) return new Tensor[] {Tensor.ones(2)};
    if (c == DType.class) return DType.FLOAT32;
    if (c == Generator.class) return new Generator(1);
    if (c == float[].class) return new float[] {1, 2};
    if (c == double[].class) return new double[] {1, 2};
    if (c == long[].class) return new long[] {0, 1};
    if (c == boolean[].class) return new boolean[] {true, false};
    if (c == float[][].class) return new float[][] {{1}};
    if (c == double[][].class) return new double[][] {{1}};
    return null; // Double, Integer: nullable by design (clamp bounds, squeeze's dim)
  }

  @Test
  void aNullArgumentNamesTheMethodAndTheParameter() throws ReflectiveOperationException {
    int checked = 0;
    for (java.lang.reflect.Method m : Tensor.class.getMethods()) {
      if (m.getDeclaringClass() != Tensor.class) continue;
      Class<?>[] ps = m.getParameterTypes();
      for (int i = 0; i < ps.length; i++) {
        if (ps[i].isPrimitive() || valid(ps[i]) == null) continue;
        boolean nullable =
            (m.getName().equals("backward") || m.getName().equals("setGrad"))
                && ps[i] == Tensor.class;
        if (nullable) continue;
        Object[] args = new Object[ps.length];
        for (int j = 0; j < ps.length; j++) args[j] = j == i ? null : valid(ps[j]);
        Object self = java.lang.reflect.Modifier.isStatic(m.getModifiers()) ? null : Tensor.ones(2);
        try {
          m.invoke(self, args);
          throw new AssertionError(m + " accepted a null argument " + i);
        } catch (java.lang.reflect.InvocationTargetException e) {
          Throwable t = e.getCause();
          assertTrue(
              t instanceof NullPointerException && t.getMessage().startsWith(m.getName() + "(): "),
              m + " argument " + i + ": " + t);
          checked++;
        }
      }
    }
    assertTrue(checked > 100, "checked " + checked + " parameters");
  }
}
