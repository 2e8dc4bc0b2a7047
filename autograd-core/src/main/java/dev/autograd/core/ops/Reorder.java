package dev.autograd.core.ops;

import dev.autograd.core.Tensor;
import dev.autograd.core.internal.Tensors;
import dev.autograd.core.tensor.Shapes;
import java.util.Arrays;

/** Ops that rearrange or tile elements: split/chunk (views), flip and repeat (copies). */
public final class Reorder {
  private Reorder() {}

  /** Pieces of {@code size} along {@code dim} (the last may be smaller), as narrow views. */
  public static Tensor[] split(Tensor x, int size, int dim) {
    if (x.dim() == 0)
      throw new IllegalArgumentException("split expects at least a 1-dimensional tensor");
    if (size <= 0)
      throw new IllegalArgumentException(
          "split expects split_size be positive, but got split_size=" + size);
    int d = Shapes.normalizeDim(dim, x.dim());
    int total = x.shapeRef()[d];
    int pieces =
        (int) Math.max(1, ((long) total + size - 1) / size); // long: a huge size must not overflow
    Tensor[] out;
    try {
      out = new Tensor[pieces];
    } catch (OutOfMemoryError e) { // a [huge, 0] tensor split into pieces of 1, say
      OutOfMemoryError named =
          new OutOfMemoryError(
              "split(): "
                  + pieces
                  + " pieces of size "
                  + size
                  + " along dim "
                  + d
                  + " are more tensors than the JVM heap holds; split into larger pieces or start java with a larger -Xmx");
      named.initCause(e);
      throw named;
    }
    for (int i = 0; i < pieces; i++) {
      out[i] = x.narrow(d, i * size, Math.min(size, total - i * size));
      dev.autograd.core.internal.SharedSecrets.tensors().markMultiOutputView(out[i]);
    }
    return out;
  }

  /** At most {@code chunks} pieces of equal size (the last may be smaller) along {@code dim}. */
  public static Tensor[] chunk(Tensor x, int chunks, int dim) {
    if (x.dim() == 0)
      throw new IllegalArgumentException("chunk expects at least a 1-dimensional tensor");
    if (chunks <= 0)
      throw new IllegalArgumentException(
          "chunk expects `chunks` to be greater than 0, got: " + chunks);
    int total = x.size(dim);
    return split(x, Math.max(1, (total + chunks - 1) / chunks), dim);
  }

  // ===============================================================================================
  // Entries: flip and repeat (copies)
  // ===============================================================================================

  // reversed along the (normalized) dims; gradient: g flipped back
  public static final OpDef<int[]> FLIP =
      OpDef.<int[]>op("FlipBackward0")
          .shape((in, dims) -> new OpDef.OutSpec(in[0].dtype(), in[0].shapeRef()))
          .kernel(
              (in, dims, out) -> {
                Tensor x = in[0];
                int[] shape = x.shapeRef(), strides = x.stride();
                int offset = x.storageOffset();
                for (int d : dims) {
                  if (x.dim() == 0 || shape[d] == 0) continue;
                  offset += (shape[d] - 1) * strides[d];
                  strides[d] = -strides[d];
                }
                Creation.copyValues(Tensors.viewOf(x, offset, shape, strides), out);
              })
          .derivative((g, n, dims) -> new Tensor[] {g.flip(dims)})
          .linearTangent()
          .build();

  /** How repeat tiles: x viewed as [1, s0, 1, s1, ...] expanded to [r0, s0, r1, s1, ...]. */
  public record Tiling(int[] pairs, int[] tiles, int[] out, int[] repDims) {}

  // d repeat = g summed over the copies
  public static final OpDef<Tiling> REPEAT =
      OpDef.<Tiling>op("RepeatBackward0")
          .shape((in, t) -> new OpDef.OutSpec(in[0].dtype(), t.out()))
          .kernel(
              (in, t, out) ->
                  Creation.copyValues(
                      in[0].detach().reshape(t.pairs()).expand(t.tiles()), out.view(t.tiles())))
          .derivative(
              (g, n, t) ->
                  new Tensor[] {
                    g.reshape(t.tiles()).sum(t.repDims(), false).reshape(n.inputShape(0))
                  })
          .linearTangent()
          .build();

  /** Reverses the order of elements along {@code dims} (a copy). */
  public static Tensor flip(Tensor x, int[] dims) {
    boolean[] seen = new boolean[Math.max(x.dim(), 1)];
    int[] norm = new int[dims.length];
    for (int i = 0; i < dims.length; i++) {
      int d = Shapes.normalizeDim(dims[i], x.dim());
      if (seen[d])
        throw new IllegalArgumentException(
            "flip(): dim " + d + " appears multiple times in the list of dims");
      seen[d] = true;
      norm[i] = d;
    }
    return FLIP.call(norm, x);
  }

  /** Tiles {@code x} {@code reps[d]} times along each dim (leading reps add dims). */
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
      if (reps[d] < 0)
        throw new IllegalArgumentException(
            "Trying to create tensor with negative dimension " + reps[d]);
      pairs[2 * d] = 1;
      pairs[2 * d + 1] = padded[d];
      tiles[2 * d] = reps[d];
      tiles[2 * d + 1] = padded[d];
      out[d] = reps[d] * padded[d];
      repDims[d] = 2 * d;
    }
    return REPEAT.call(new Tiling(pairs, tiles, out, repDims), x);
  }
}
