package dev.autograd.nn.data;

/** An indexed collection of samples, PyTorch's map-style {@code Dataset}. */
public interface Dataset<T> {
  /** The number of samples. */
  int size();

  /** Sample {@code index} (0 ≤ index {@literal <} size()). */
  T get(int index);
}
