package dev.autograd.nn.data;

import dev.autograd.core.DType;
import dev.autograd.core.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Fisher's Iris data (150 flowers, 50 per species) shipped as a resource: features [150, 4] (sepal
 * length, sepal width, petal length, petal width in cm) and INT64 labels [150].
 */
public final class Iris {
  private Iris() {}

  /** Label i is {@code CLASSES.get(i)}. */
  public static final List<String> CLASSES = List.of("setosa", "versicolor", "virginica");

  /** The features in FLOAT32 and the labels. */
  public static TensorDataset load() {
    return load(DType.FLOAT32);
  }

  /** The features in {@code dtype} and the labels, in file order. */
  public static TensorDataset load(DType dtype) {
    double[] x = new double[150 * 4];
    long[] y = new long[150];
    int n = 0;
    try (InputStream in = Iris.class.getResourceAsStream("iris.csv")) {
      if (in == null)
        throw new IllegalStateException("missing resource dev/autograd/nn/data/iris.csv");
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      r.readLine();
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.isBlank()) continue;
        String[] f = line.split(",");
        for (int k = 0; k < 4; k++) x[n * 4 + k] = Double.parseDouble(f[k]);
        y[n] = CLASSES.indexOf(f[4].trim());
        if (y[n] < 0)
          throw new IllegalStateException(
              "iris.csv: unknown species '" + f[4] + "' on row " + (n + 1));
        n++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (n != 150) throw new IllegalStateException("iris.csv: expected 150 rows, found " + n);
    return new TensorDataset(
        Tensor.of(Arrays.copyOf(x, x.length), 150, 4).to(dtype), Tensor.of(y, 150));
  }
}
