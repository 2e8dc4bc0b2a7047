package dev.autograd.nn.data;

import dev.autograd.core.Tensor;
import java.util.Arrays;

/** Samples are the rows (dim 0) of several tensors of equal length, e.g. features and labels. */
public final class TensorDataset implements Dataset<Tensor[]> {
  private final Tensor[] tensors;

  /**
   * Samples that are the rows of each tensor (first dimension), ({@code TensorDataset}); throws
   * IllegalArgumentException when there is no tensor or their first sizes differ.
   */
  public TensorDataset(Tensor... tensors) {
    if (tensors.length == 0)
      throw new IllegalArgumentException("TensorDataset needs at least one tensor");
    for (Tensor t : tensors) {
      if (t.dim() == 0 || t.size(0) != tensors[0].size(0)) {
        throw new IllegalArgumentException(
            "Size mismatch between tensors: every tensor needs the same size in dim 0, got "
                + Arrays.toString(tensors[0].shape())
                + " and "
                + Arrays.toString(t.shape()));
      }
    }
    this.tensors = tensors.clone();
  }

  /** The underlying tensors. */
  public Tensor[] tensors() {
    return tensors.clone();
  }

  @Override
  public int size() {
    return tensors[0].size(0);
  }

  /** Row {@code index} of every tensor. */
  @Override
  public Tensor[] get(int index) {
    if (index < 0 || index >= size())
      throw new IndexOutOfBoundsException(
          "index " + index + " is out of range for a dataset of " + size());
    Tensor[] out = new Tensor[tensors.length];
    for (int k = 0; k < out.length; k++) out[k] = tensors[k].select(0, index);
    return out;
  }
}
