package dev.autograd.core.ops;

import dev.autograd.core.GradMode;
import dev.autograd.core.Tensor;
import dev.autograd.core.engine.Graph;
import dev.autograd.core.tensor.Shapes;
import java.util.Arrays;

/** Ops that rearrange or tile elements: split/chunk (views), flip and repeat (copies). */
public final class Reorder {
  private Reorder() {}

  /** Pieces of {@code size} along {@code dim} (the last may be smaller), as narrow views. */
  public static Tensor[] split(Tensor x, int size, int dim) {
    if (x.dim() == 0) throw new IllegalArgumentException("split expects at least a 1-dimensional tensor");
    if (size <= 0) throw new IllegalArgumentException("split expects split_size be positive, but got split_size=" + size);
    int d = Shapes.normalizeDim(dim, x.dim());
    int total = x.shapeRef()[d];
    int pieces = Math.max(1, (total + size - 1) / size);
    Tensor[] out = new Tensor[pieces];
    for (int i = 0; i < pieces; i++) out[i] = x.narrow(d, i * size, Math.min(size, total - i * size));
    return out;
  }

  /** At most {@code chunks} pieces of equal size (the last may be smaller) along {@code dim}. */
  public static Tensor[] chunk(Tensor x, int chunks, int dim) {
    if (x.dim() == 0) throw new IllegalArgumentException("chunk expects at least a 1-dimensional tensor");
    if (chunks <= 0) throw new IllegalArgumentException("chunk expects `chunks` to be greater than 0, got: " + chunks);
    int total = x.size(dim);
    return split(x, Math.max(1, (total + chunks - 1) / chunks), dim);
  }

  /** Reverses the order of elements along {@code dims} (a copy); gradient: g flipped back. */
  public static Tensor flip(Tensor x, int[] dims) {
    int[] shape = x.shapeRef(), strides = x.stride();
    int offset = x.storageOffset();
    boolean[] seen = new boolean[Math.max(x.dim(), 1)];
    int[] norm = new int[dims.length];
    for (int i = 0; i < dims.length; i++) {
      int d = Shapes.normalizeDim(dims[i], x.dim());
      if (seen[d]) throw new IllegalArgumentException("flip(): dim " + d + " appears multiple times in the list of dims");
      seen[d] = true;
      norm[i] = d;
      if (x.dim() == 0 || shape[d] == 0) continue;
      offset += (shape[d] - 1) * strides[d];
      strides[d] = -strides[d];
    }
    Tensor y = Creation.copyOf(Tensor.viewOf(x, offset, shape, strides), x.dtype());
    return Graph.record("FlipBackward0", y, new Tensor[] {x}, null, (g, n) -> new Tensor[] {g.flip(norm)});
  }

  /** Tiles {@code x} {@code reps[d]} times along each dim (leading reps add dims); gradient: sum over the tiles. */
  public static Tensor repeat(Tensor x, int[] reps) {
    if (reps.length < x.dim()) {
      throw new IllegalArgumentException(
          "Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor");
    }
    int r = reps.length;
    int[] padded = new int[r];
    Arrays.fill(padded, 1);
    System.arraycopy(x.shapeRef(), 0, padded, r - x.dim(), x.dim());
    int[] pairs = new int[2 * r], tiles = new int[2 * r], out = new int[r], repDims = new int[r];
    for (int d = 0; d < r; d++) {
      if (reps[d] < 0) throw new IllegalArgumentException("Trying to create tensor with negative dimension " + reps[d]);
      pairs[2 * d] = 1;
      pairs[2 * d + 1] = padded[d];
      tiles[2 * d] = reps[d];
      tiles[2 * d + 1] = padded[d];
      out[d] = reps[d] * padded[d];
      repDims[d] = 2 * d;
    }
    Tensor y;
    try (GradMode.Scope s = GradMode.scope(false)) {
      y = x.reshape(pairs).expand(tiles).contiguous().reshape(out);
    }
    int[] in = x.shapeRef();
    // d repeat = g summed over the copies
    return Graph.record("RepeatBackward0", y, new Tensor[] {x}, null,
        (g, n) -> new Tensor[] {g.reshape(tiles).sum(repDims, false).reshape(in)});
  }
}
