package dev.autograd.nn;

import dev.autograd.core.DType;
import dev.autograd.core.Tensor;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Dropout masks keyed by sample. Inside a scope opened with the ids of a batch's rows (e.g. the
 * samples' indices in the data set) and a key (e.g. the training step), every {@link Dropout} in
 * training mode draws row {@code r}'s mask from its own stream, seeded by the key, {@code ids[r]}
 * and the layer's call number within the scope. A sample thus gets the same mask whichever batch,
 * shard or partition computes it: data-parallel training (autograd-spark) opens one scope per
 * shard, and a single process that opens one per batch draws the same masks. Scopes are per thread
 * and nest (the inner one wins); outside a scope Dropout uses its generator.
 *
 * <pre>{@code
 * try (SampleKeys k = SampleKeys.open(step, sampleIds)) {
 *   loss = lossFn.forward(model.forward(x), y);
 * }
 * }</pre>
 */
public final class SampleKeys implements AutoCloseable {
  private static final ThreadLocal<SampleKeys> CURRENT = new ThreadLocal<>();

  private final long key;
  private final long[] ids;
  private final SampleKeys outer;
  private int calls;
  private boolean closed;

  private SampleKeys(long key, long[] ids, SampleKeys outer) {
    this.key = key;
    this.ids = ids;
    this.outer = outer;
  }

  /**
   * Opens a scope on this thread for a batch whose row {@code r} is sample {@code ids[r]}.
   *
   * @throws IllegalArgumentException if {@code ids} is null or empty
   */
  public static SampleKeys open(long key, long[] ids) {
    if (ids == null || ids.length == 0)
      throw new IllegalArgumentException(
          "SampleKeys.open: the batch needs at least one sample id (got "
              + (ids == null ? "null" : "none")
              + ")");
    SampleKeys k = new SampleKeys(key, ids.clone(), CURRENT.get());
    CURRENT.set(k);
    return k;
  }

  /** The innermost open scope of this thread, or null. */
  static SampleKeys current() {
    return CURRENT.get();
  }

  /** Ends the scope (restoring the enclosing one); closing twice does nothing. */
  @Override
  public void close() {
    if (closed) return;
    closed = true;
    if (outer == null) CURRENT.remove();
    else CURRENT.set(outer);
  }

  /** Dropout of {@code x} (rows along dim 0) with each row's mask from its sample's stream. */
  Tensor dropout(Tensor x, double p) {
    int[] shape = x.shapeRef();
    if (shape.length == 0 || shape[0] != ids.length) {
      throw new IllegalArgumentException(
          "Dropout under SampleKeys: the input has shape "
              + Arrays.toString(shape)
              + " but the scope has "
              + ids.length
              + " sample ids; the input's first dimension must be the batch (one row per sample id)");
    }
    int call = calls++;
    if (p == 0) return x;
    if (p == 1) return x.mul(0);
    int perRow = x.numel() / ids.length;
    double scale = 1 / (1 - p);
    double[] mask = new double[x.numel()];
    for (int r = 0; r < ids.length; r++) {
      SplittableRandom rng = new SplittableRandom(mix(key, ids[r], call));
      for (int i = r * perRow; i < (r + 1) * perRow; i++)
        mask[i] = rng.nextDouble() < 1 - p ? scale : 0;
    }
    Tensor m = Tensor.of(mask, shape);
    return x.mul(x.dtype() == DType.FLOAT64 ? m : m.to(x.dtype()));
  }

  private static long mix(long key, long id, int call) {
    long h = key * 0x9E3779B97F4A7C15L;
    h = (h ^ (h >>> 31)) + id * 0xBF58476D1CE4E5B9L;
    h = (h ^ (h >>> 29)) + call * 0x94D049BB133111EBL;
    return h ^ (h >>> 32);
  }
}
