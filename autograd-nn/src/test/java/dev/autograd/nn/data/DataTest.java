package dev.autograd.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.autograd.core.DType;
import dev.autograd.core.Generator;
import dev.autograd.core.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataTest {
  private static TensorDataset numbers(int n) {
    double[] x = new double[n * 2];
    long[] y = new long[n];
    for (int i = 0; i < n; i++) {
      x[2 * i] = i;
      x[2 * i + 1] = -i;
      y[i] = i;
    }
    return new TensorDataset(Tensor.of(x, n, 2), Tensor.of(y, n));
  }

  private static List<Long> labels(DataLoader loader) {
    List<Long> out = new ArrayList<>();
    for (Tensor[] b : loader) for (long v : b[1].toLongArray()) out.add(v);
    return out;
  }

  @Test
  void batchesInOrder() {
    DataLoader l = new DataLoader(numbers(10), 4);
    List<int[]> shapes = new ArrayList<>();
    for (Tensor[] b : l) {
      shapes.add(b[0].shape());
      assertEquals(b[0].size(0), b[1].size(0));
    }
    assertEquals(3, shapes.size());
    assertArrayEquals(new int[] {4, 2}, shapes.get(0));
    assertArrayEquals(new int[] {2, 2}, shapes.get(2));
    assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), labels(l));
    Tensor[] first = l.iterator().next();
    assertArrayEquals(new double[] {0, 0, 1, -1, 2, -2, 3, -3}, first[0].toDoubleArray());
  }

  @Test
  void dropLastAndShuffle() {
    DataLoader d = new DataLoader(numbers(10), 4, false, true, null);
    assertEquals(2, d.numBatches());
    assertEquals(8, labels(d).size());
    DataLoader s1 = new DataLoader(numbers(10), 3, true, false, new Generator(9));
    DataLoader s2 = new DataLoader(numbers(10), 3, true, false, new Generator(9));
    List<Long> e1 = labels(s1), e2 = labels(s1);
    assertEquals(e1, labels(s2), "same seed, same order");
    assertFalse(e1.equals(e2), "each epoch reshuffles");
    List<Long> sorted = new ArrayList<>(e1);
    sorted.sort(null);
    assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), sorted, "every sample once");
    assertThrows(IllegalArgumentException.class, () -> new DataLoader(numbers(3), 0));
  }

  @Test
  void randomSplitIsADisjointCover() {
    List<Subset<Tensor[]>> parts =
        Datasets.randomSplit(numbers(10), new int[] {7, 3}, new Generator(1));
    assertEquals(7, parts.get(0).size());
    assertEquals(3, parts.get(1).size());
    int[] all = new int[10];
    int k = 0;
    for (Subset<Tensor[]> p : parts) for (int i : p.indices()) all[k++] = i;
    Arrays.sort(all);
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, all);
    assertEquals((long) parts.get(1).indices()[0], (long) parts.get(1).get(0)[1].item());
    assertThrows(
        IllegalArgumentException.class,
        () -> Datasets.randomSplit(numbers(10), new int[] {5, 4}, null));
    List<Subset<Tensor[]>> byFraction =
        Datasets.randomSplit(numbers(11), new double[] {0.5, 0.3, 0.2}, new Generator(2));
    assertEquals(
        List.of(6, 3, 2),
        List.of(byFraction.get(0).size(), byFraction.get(1).size(), byFraction.get(2).size()));
  }

  @Test
  void irisHasFiftyOfEachClass() {
    TensorDataset iris = Iris.load(DType.FLOAT64);
    assertEquals(150, iris.size());
    long[] counts = new long[3];
    for (long y : iris.tensors()[1].toLongArray()) counts[(int) y]++;
    assertArrayEquals(new long[] {50, 50, 50}, counts);
    assertArrayEquals(new double[] {5.1, 3.5, 1.4, 0.2}, iris.get(0)[0].toDoubleArray());
    assertArrayEquals(new double[] {5.9, 3.0, 5.1, 1.8}, iris.get(149)[0].toDoubleArray());
    // the classic column means
    double[] mean = iris.tensors()[0].mean(0).toDoubleArray();
    assertArrayEquals(new double[] {5.843333, 3.057333, 3.758, 1.199333}, mean, 1e-6);
  }
}
