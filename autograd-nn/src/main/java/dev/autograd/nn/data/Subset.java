package dev.autograd.nn.data;

/** The samples of {@code dataset} at the given indices, in that order. */
public final class Subset<T> implements Dataset<T> {
  private final Dataset<T> dataset;
  private final int[] indices;

  /**
   * The samples of {@code dataset} at {@code indices}; throws IndexOutOfBoundsException naming an
   * index outside the dataset.
   */
  public Subset(Dataset<T> dataset, int[] indices) {
    for (int i : indices) {
      if (i < 0 || i >= dataset.size())
        throw new IndexOutOfBoundsException(
            "index " + i + " is out of range for a dataset of " + dataset.size());
    }
    this.dataset = dataset;
    this.indices = indices.clone();
  }

  /** A copy of the indices into the underlying dataset. */
  public int[] indices() {
    return indices.clone();
  }

  @Override
  public int size() {
    return indices.length;
  }

  @Override
  public T get(int index) {
    return dataset.get(indices[index]);
  }
}
