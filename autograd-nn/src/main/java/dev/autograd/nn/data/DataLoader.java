package dev.autograd.nn.data;

import dev.autograd.core.Generator;
import dev.autograd.core.Tensor;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Batches of a dataset of tensor tuples: each batch stacks {@code batchSize} samples along a new
 * dim 0 (one tensor per tuple element). With {@code shuffle}, every iteration (epoch) draws a new
 * order from the generator; {@code dropLast} skips a final short batch.
 */
public final class DataLoader implements Iterable<Tensor[]> {
  private final Dataset<Tensor[]> dataset;
  private final int batchSize;
  private final boolean shuffle, dropLast;
  private final Generator gen;

  /**
   * Batches of {@code batchSize} samples in order, the last one possibly smaller ({@code
   * DataLoader(ds, batch_size)}).
   */
  public DataLoader(Dataset<Tensor[]> dataset, int batchSize) {
    this(dataset, batchSize, false, false, null);
  }

  /**
   * Batches of {@code batchSize} samples, reshuffled by {@code gen} each epoch when {@code
   * shuffle}, without the short last batch when {@code dropLast}.
   */
  public DataLoader(
      Dataset<Tensor[]> dataset, int batchSize, boolean shuffle, boolean dropLast, Generator gen) {
    if (batchSize <= 0)
      throw new IllegalArgumentException(
          "batch_size should be a positive integer value, but got batch_size=" + batchSize);
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.gen = gen;
  }

  /** The number of batches per epoch. */
  public int numBatches() {
    int n = dataset.size();
    return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
  }

  @Override
  public Iterator<Tensor[]> iterator() {
    int n = dataset.size();
    int[] order = shuffle ? Datasets.randperm(n, gen) : identity(n);
    int batches = numBatches();
    return new Iterator<>() {
      private int b;

      @Override
      public boolean hasNext() {
        return b < batches;
      }

      @Override
      public Tensor[] next() {
        if (!hasNext()) throw new NoSuchElementException();
        int start = b++ * batchSize, len = Math.min(batchSize, n - start);
        Tensor[][] items = new Tensor[len][];
        for (int i = 0; i < len; i++) items[i] = dataset.get(order[start + i]);
        Tensor[] out = new Tensor[items[0].length];
        for (int k = 0; k < out.length; k++) {
          Tensor[] col = new Tensor[len];
          for (int i = 0; i < len; i++) col[i] = items[i][k];
          out[k] = Tensor.stack(0, col);
        }
        return out;
      }
    };
  }

  private static int[] identity(int n) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) p[i] = i;
    return p;
  }
}
