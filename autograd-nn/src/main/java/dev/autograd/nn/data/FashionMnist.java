package dev.autograd.nn.data;

import dev.autograd.core.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Fashion-MNIST (Zalando): 28x28 grey images of clothes in 10 classes, 60,000 for training and
 * 10,000 for testing, read from the four IDX files ({@code .gz} or plain). Images load as FLOAT32
 * [N, 1, 28, 28] scaled to [0, 1], labels as INT64 [N]. Debian ships the files in the package
 * {@code dataset-fashion-mnist} under {@link #DEFAULT_DIR}.
 */
public final class FashionMnist {
  private FashionMnist() {}

  /** Where {@code apt-get install dataset-fashion-mnist} puts the files. */
  public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");

  /** Environment variable that overrides {@link #DEFAULT_DIR}. */
  public static final String ENV = "FASHION_MNIST_DIR";

  /** Label i is {@code CLASSES.get(i)}. */
  public static final List<String> CLASSES =
      List.of(
          "T-shirt/top",
          "Trouser",
          "Pullover",
          "Dress",
          "Coat",
          "Sandal",
          "Shirt",
          "Sneaker",
          "Bag",
          "Ankle boot");

  /** Thrown when the data set's files are not found; the message says how to install them. */
  public static final class NotInstalledException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotInstalledException(String message) {
      super(message);
    }
  }

  /** The directory to read: {@code $FASHION_MNIST_DIR} when set, else {@link #DEFAULT_DIR}. */
  public static Path defaultDir() {
    String env = System.getenv(ENV);
    return env != null && !env.isBlank() ? Path.of(env) : DEFAULT_DIR;
  }

  /** True when the four files are present in {@code dir}. */
  public static boolean isInstalled(Path dir) {
    for (String part : new String[] {"train", "t10k"}) {
      if (find(dir, part + "-images-idx3-ubyte") == null
          || find(dir, part + "-labels-idx1-ubyte") == null) return false;
    }
    return true;
  }

  /** The training (60,000) or test (10,000) split from {@link #defaultDir()}. */
  public static TensorDataset load(boolean train) {
    return load(defaultDir(), train, Integer.MAX_VALUE);
  }

  /**
   * The training or test split from {@code dir}, keeping the first {@code limit} samples.
   *
   * @throws NotInstalledException when a file is missing (the message gives the apt command)
   * @throws UncheckedIOException when a file is malformed
   */
  public static TensorDataset load(Path dir, boolean train, int limit) {
    Objects.requireNonNull(dir, "dir");
    if (limit < 0) throw new IllegalArgumentException("limit must be >= 0, got " + limit);
    String part = train ? "train" : "t10k";
    Path images = find(dir, part + "-images-idx3-ubyte"),
        labels = find(dir, part + "-labels-idx1-ubyte");
    if (images == null || labels == null) {
      throw new NotInstalledException(
          "Fashion-MNIST not found in "
              + dir
              + " (looked for "
              + part
              + "-images-idx3-ubyte[.gz] and "
              + part
              + "-labels-idx1-ubyte[.gz]). Install it with:\n    sudo apt-get install dataset-fashion-mnist\n"
              + "or download the four files from https://github.com/zalandoresearch/fashion-mnist and point "
              + ENV
              + " (or the sample's --data argument) at their directory.");
    }
    try {
      Idx.Data x = Idx.read(images, 3), y = Idx.read(labels, 1);
      int[] dx = x.dims();
      if (dx[0] != y.dims()[0]) {
        throw new IOException(
            images
                + " holds "
                + dx[0]
                + " images but "
                + labels
                + " holds "
                + y.dims()[0]
                + " labels");
      }
      int n = Math.min(dx[0], limit), pixels = dx[1] * dx[2];
      float[] img = new float[n * pixels];
      for (int i = 0; i < img.length; i++) img[i] = x.get(i) / 255f;
      long[] lab = new long[n];
      for (int i = 0; i < n; i++) {
        lab[i] = y.get(i);
        if (lab[i] >= CLASSES.size())
          throw new IOException(
              labels + ": label " + lab[i] + " at index " + i + " is not a class 0..9");
      }
      return new TensorDataset(Tensor.of(img, n, 1, dx[1], dx[2]), Tensor.of(lab, n));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path find(Path dir, String stem) {
    for (String name : Arrays.asList(stem + ".gz", stem)) {
      Path p = dir.resolve(name);
      if (Files.isRegularFile(p)) return p;
    }
    return null;
  }
}
