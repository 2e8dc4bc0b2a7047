package dev.autograd.core.ops;

import dev.autograd.core.DType;
import dev.autograd.core.GradMode;
import dev.autograd.core.Tensor;
import dev.autograd.core.compile.Tracer;
import dev.autograd.core.internal.Tensors;
import dev.autograd.core.kernels.AdvancedIndex;
import dev.autograd.core.tensor.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * PyTorch's advanced indexing: {@code x[i, j]} with several INT64 index tensors (broadcast
 * together), {@code null} entries for {@code :}, and BOOL masks ({@code x[mask]}), as {@code
 * torch.Tensor.index} / {@code index_put}. Each entry is the other's derivative ({@code index}'s
 * gradient is an accumulating {@code index_put} into zeros), so gradients of every order work.
 *
 * <p>Note [advanced indexing layout]: the indexed dims are replaced by the broadcast shape B of the
 * index tensors. When the indexed dims are adjacent ({@code x[:, i, j]}) B takes their place;
 * otherwise ({@code x[i, :, j]}) B comes first, followed by the sliced dims, as in NumPy and
 * PyTorch. A mask of k dims stands for k adjacent index tensors (its nonzero coordinates).
 */
public final class AdvancedIndexing {
  private AdvancedIndexing() {}

  /**
   * More index tensors than this is more than any tensor has dims (the entries' constant inputs).
   */
  private static final int MAX_INDICES = 64;

  /**
   * An entry's attributes: the dims of x that the index tensors index (ascending, one per index
   * tensor, after masks became their coordinates), and for {@code index_put} whether values add up.
   *
   * @param dims the indexed dims of x, one per index tensor
   * @param accumulate index_put only: add the values instead of writing them
   */
  public record Spec(int[] dims, boolean accumulate) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Spec s && Arrays.equals(dims, s.dims) && accumulate == s.accumulate;
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(dims) * 31 + (accumulate ? 1 : 0);
    }

    @Override
    public String toString() {
      return "dims=" + Arrays.toString(dims) + (accumulate ? ", accumulate" : "");
    }
  }

  private static int[] range(int from, int count) {
    int[] r = new int[count];
    for (int i = 0; i < count; i++) r[i] = from + i;
    return r;
  }

  /**
   * Where the result's dims come from: B (the broadcast index shape) inserted among the sliced
   * dims.
   */
  private static final class Layout {
    final int[] bShape;
    final int[] sliceDims;
    final int[] sliceShape;
    final int[] outShape;
    final int bPos;

    Layout(int[] xShape, int[] dims, Tensor[] in, int first) {
      int[] b = in[first].shapeRef();
      for (int k = 1; k < dims.length; k++)
        b = broadcastIndices(b, in[first + k].shapeRef(), in, first, dims.length);
      bShape = b;
      boolean adjacent = dims[dims.length - 1] - dims[0] == dims.length - 1;
      sliceDims = new int[xShape.length - dims.length];
      for (int d = 0, s = 0, k = 0; d < xShape.length; d++) {
        if (k < dims.length && dims[k] == d) k++;
        else sliceDims[s++] = d;
      }
      sliceShape = new int[sliceDims.length];
      for (int s = 0; s < sliceDims.length; s++) sliceShape[s] = xShape[sliceDims[s]];
      bPos =
          adjacent
              ? dims[0]
              : 0; // counted in sliced dims: the sliced dims before dims[0] are 0..dims[0]-1
      outShape = new int[sliceShape.length + bShape.length];
      System.arraycopy(sliceShape, 0, outShape, 0, bPos);
      System.arraycopy(bShape, 0, outShape, bPos, bShape.length);
      System.arraycopy(sliceShape, bPos, outShape, bPos + bShape.length, sliceShape.length - bPos);
    }

    /** The strides of {@code strides} (over the result's dims) at the sliced dims. */
    int[] sliceStridesOfOut(int[] strides) {
      int[] out = new int[sliceShape.length];
      for (int s = 0; s < sliceShape.length; s++)
        out[s] = strides[s < bPos ? s : s + bShape.length];
      return out;
    }

    /**
     * For each position b of B: {@code base + b's coordinates . strides} (strides over the result's
     * dims).
     */
    int[] blockOffsets(int base, int[] strides) {
      int n = Shapes.numel(bShape);
      int[] off = new int[n];
      int[] pos = new int[bShape.length];
      for (int b = 0; b < n; b++) {
        int o = base;
        for (int j = 0; j < pos.length; j++) o += pos[j] * strides[bPos + j];
        off[b] = o;
        for (int j = pos.length - 1; j >= 0; j--) {
          if (++pos[j] < bShape[j]) break;
          pos[j] = 0;
        }
      }
      return off;
    }
  }

  private static int[] broadcastIndices(int[] a, int[] b, Tensor[] in, int first, int count) {
    try {
      return Shapes.broadcast(a, b);
    } catch (IllegalArgumentException e) {
      StringBuilder shapes = new StringBuilder();
      for (int k = 0; k < count; k++)
        shapes.append(k == 0 ? "" : ", ").append(Shapes.str(in[first + k].shapeRef()));
      throw new IndexOutOfBoundsException(
          "index(): shape mismatch: indexing tensors could not be broadcast together with shapes "
              + shapes);
    }
  }

  private static int[] strides(Tensor t, int[] dims) {
    int[] out = new int[dims.length];
    for (int k = 0; k < dims.length; k++) out[k] = t.strideRef()[dims[k]];
    return out;
  }

  /**
   * For each position b of B, the storage index in {@code t} of the block that the index tensors
   * name (negative indices count from the end, as PyTorch's advanced indexing does).
   */
  private static int[] indexedOffsets(
      Tensor t, int[] dims, Tensor[] in, int first, int[] bShape, String op) {
    int n = Shapes.numel(bShape);
    int[] off = new int[n];
    Arrays.fill(off, t.storageOffset());
    for (int k = 0; k < dims.length; k++) {
      Tensor idx = in[first + k];
      Tensor expanded =
          Tensors.viewOf(
              idx,
              idx.storageOffset(),
              bShape,
              Shapes.broadcastStrides(idx.shapeRef(), idx.strideRef(), bShape));
      long[] v = Creation.indexValuesForCheck(expanded);
      int size = t.shapeRef()[dims[k]], stride = t.strideRef()[dims[k]];
      for (int b = 0; b < n; b++) {
        long i = v[b];
        if (i < -size || i >= size) {
          throw new IndexOutOfBoundsException(
              op
                  + "(): index "
                  + i
                  + " is out of bounds for dimension "
                  + dims[k]
                  + " with size "
                  + size);
        }
        off[b] += (int) (i < 0 ? i + size : i) * stride;
      }
    }
    return off;
  }

  private static Tensor[] withFront(Tensor[] front, Tensor[] indices) {
    Tensor[] in = Arrays.copyOf(front, front.length + indices.length);
    System.arraycopy(indices, 0, in, front.length, indices.length);
    return in;
  }

  private static Tensor[] savedIndices(dev.autograd.core.engine.OpNode n, int count) {
    Tensor[] out = new Tensor[count];
    for (int k = 0; k < count; k++) out[k] = n.saved(k);
    return out;
  }

  // ===============================================================================================
  // Entries. index: inputs [x, i0, i1, ...]; index_put: [x, values, i0, i1, ...]; the INT64
  // indices get no gradient.
  // ===============================================================================================

  // d index = index_put(zeros, indices, g, accumulate=True)
  /**
   * {@code x[i0, i1, ...]}: inputs [x, index tensors...] (INT64, one per dim of {@link
   * Spec#dims()}).
   */
  public static final OpDef<Spec> INDEX =
      OpDef.<Spec>op("IndexBackward0")
          .name("index")
          .constantInputs(range(1, MAX_INDICES))
          .shape(
              (in, s) ->
                  new OpDef.OutSpec(
                      in[0].dtype(), new Layout(in[0].shapeRef(), s.dims(), in, 1).outShape))
          .kernel(
              (in, s, y) -> {
                Tensor x = in[0];
                Layout l = new Layout(x.shapeRef(), s.dims(), in, 1);
                int[] from = indexedOffsets(x, s.dims(), in, 1, l.bShape, "index");
                int[] yStrides = Shapes.contiguousStrides(l.outShape);
                int[] to = l.blockOffsets(y.storageOffset(), yStrides);
                AdvancedIndex.move(
                    Tensors.storage(x),
                    from,
                    strides(x, l.sliceDims),
                    Tensors.storage(y),
                    to,
                    l.sliceStridesOfOut(yStrides),
                    l.sliceShape,
                    false);
              })
          .saves((in, y, s) -> Arrays.copyOfRange(in, 1, in.length))
          .derivative(
              (g, n, s) -> {
                Tensor zeros = Tensor.zeros(g.dtype(), n.inputShape(0));
                Tensor[] grads =
                    new Tensor[1 + s.dims().length]; // one per input; the indices get none
                grads[0] =
                    callPut(
                        new Spec(s.dims(), true),
                        withFront(new Tensor[] {zeros, g}, savedIndices(n, s.dims().length)));
                return grads;
              })
          .tangent(
              (t, in, y, s) ->
                  t[0] == null
                      ? null
                      : callIndex(
                          s, withFront(new Tensor[] {t[0]}, Arrays.copyOfRange(in, 1, in.length))))
          .build();

  // d/dx = g, with the written positions zeroed unless accumulating; d/dvalues = g[indices]
  /**
   * {@code x[i0, i1, ...] = values} (or {@code +=}), out of place: inputs [x, values, index
   * tensors...].
   */
  public static final OpDef<Spec> INDEX_PUT =
      OpDef.<Spec>op("IndexPutBackward0")
          .name("index_put")
          .constantInputs(range(2, MAX_INDICES))
          .shape((in, s) -> new OpDef.OutSpec(in[0].dtype(), in[0].shapeRef()))
          .kernel(
              (in, s, y) -> {
                Tensor x = in[0], values = in[1];
                Layout l = new Layout(x.shapeRef(), s.dims(), in, 2);
                int[] to =
                    indexedOffsets(
                        y,
                        s.dims(),
                        in,
                        2,
                        l.bShape,
                        "index_put"); // checked before anything is written
                Creation.copyValues(x, y);
                putValues(values, l, y, to, s.accumulate());
              })
          .saves((in, y, s) -> Arrays.copyOfRange(in, 2, in.length))
          .derivative(
              (g, n, s) -> {
                Tensor[] indices = savedIndices(n, s.dims().length);
                Tensor gx = null, gv = null;
                if (n.needsGrad(0)) {
                  gx =
                      s.accumulate()
                          ? g
                          : callPut(
                              new Spec(s.dims(), false),
                              withFront(new Tensor[] {g, Tensor.zeros(g.dtype())}, indices));
                }
                if (n.needsGrad(1))
                  gv = callIndex(new Spec(s.dims(), false), withFront(new Tensor[] {g}, indices));
                Tensor[] grads =
                    new Tensor[2 + indices.length]; // one per input; the indices get none
                grads[0] = gx;
                grads[1] = gv;
                return grads;
              })
          .tangent(
              (t, in, y, s) -> {
                if (t[0] == null && t[1] == null) return null;
                Tensor tx = t[0] != null ? t[0] : Tensor.zeros(y.dtype(), y.shapeRef());
                Tensor tv = t[1] != null ? t[1] : Tensor.zeros(y.dtype());
                return callPut(
                    s, withFront(new Tensor[] {tx, tv}, Arrays.copyOfRange(in, 2, in.length)));
              })
          .build();

  // the entries call each other through these (a field initializer cannot name a later field)
  private static Tensor callIndex(Spec s, Tensor[] in) {
    return INDEX.call(s, in);
  }

  private static Tensor callPut(Spec s, Tensor[] in) {
    return INDEX_PUT.call(s, in);
  }

  // values (broadcast to the indexing result's shape) written or added at offsets `to` of y
  private static void putValues(Tensor values, Layout l, Tensor y, int[] to, boolean accumulate) {
    int[] vStrides = Shapes.broadcastStrides(values.shapeRef(), values.strideRef(), l.outShape);
    int[] from = l.blockOffsets(values.storageOffset(), vStrides);
    AdvancedIndex.move(
        Tensors.storage(values),
        from,
        l.sliceStridesOfOut(vStrides),
        Tensors.storage(y),
        to,
        strides(y, l.sliceDims),
        l.sliceShape,
        accumulate);
  }

  // ===============================================================================================
  // Arguments: masks become their coordinates, null entries are full slices.
  // ===============================================================================================

  /** The INT64 index tensors and the dims they index, after masks were expanded. */
  private record Plan(Tensor[] indices, int[] dims, int[] resultShape) {}

  private static Plan plan(Tensor x, Tensor[] indices, String op) {
    if (indices == null)
      throw new NullPointerException(
          op + "(): the indices are null (use null entries, not a null array, for ':')");
    int consumed = 0;
    boolean any = false;
    for (Tensor t : indices) {
      if (t == null) {
        consumed++;
        continue;
      }
      any = true;
      if (t.dtype() == DType.BOOL) {
        if (t.dim() == 0) {
          throw new IllegalArgumentException(
              op
                  + "(): a 0-dim BOOL mask is not supported: use x.unsqueeze(0) indexed by mask.reshape(1)");
        }
        consumed += t.dim();
      } else if (t.dtype() == DType.INT64) {
        consumed++;
      } else {
        throw new IllegalArgumentException(
            op
                + "(): tensors used as indices must be long or bool tensors, got "
                + t.dtype().torchName());
      }
    }
    if (consumed > x.dim()) {
      throw new IndexOutOfBoundsException(
          op
              + "(): too many indices for tensor of dimension "
              + x.dim()
              + " (got "
              + consumed
              + ")");
    }
    if (!any) {
      throw new IllegalArgumentException(
          op
              + "(): expected at least one index tensor; null entries stand for ':' (x itself is x[:, :])");
    }
    List<Tensor> out = new ArrayList<>();
    List<Integer> dims = new ArrayList<>();
    int d = 0;
    for (Tensor t : indices) {
      if (t == null) {
        d++;
      } else if (t.dtype() == DType.INT64) {
        out.add(t);
        dims.add(d++);
      } else {
        for (Tensor coordinate : maskCoordinates(x, t, d, op)) {
          out.add(coordinate);
          dims.add(d++);
        }
      }
    }
    int[] dimArray = dims.stream().mapToInt(Integer::intValue).toArray();
    Tensor[] tensors = out.toArray(new Tensor[0]);
    Tensor[] in = withFront(new Tensor[] {x}, tensors);
    return new Plan(tensors, dimArray, new Layout(x.shapeRef(), dimArray, in, 1).outShape);
  }

  /**
   * The k coordinates of a k-dim mask's true elements (row-major), checked against x's dims
   * d..d+k-1.
   */
  private static Tensor[] maskCoordinates(Tensor x, Tensor mask, int d, String op) {
    int k = mask.dim();
    int[] shape = mask.shapeRef();
    for (int j = 0; j < k; j++) {
      if (shape[j] != x.shapeRef()[d + j]) {
        throw new IndexOutOfBoundsException(
            op
                + "(): The shape of the mask "
                + Shapes.str(shape)
                + " at index "
                + j
                + " does not match the shape of the indexed tensor "
                + Shapes.str(x.shapeRef())
                + " at index "
                + (d + j));
      }
    }
    if (Tracer.active) { // a compiled function runs this call eagerly, saying why
      Tracer.unsupported(
          "a BOOL mask index (x[mask], index_put with a mask): the result's shape depends on the mask's values");
    }
    boolean[] flags = mask.toBooleanArray();
    int count = 0;
    for (boolean f : flags) if (f) count++;
    long[][] coordinates = new long[k][count];
    int[] pos = new int[k];
    for (int i = 0, c = 0; i < flags.length; i++) {
      if (flags[i]) {
        for (int j = 0; j < k; j++) coordinates[j][c] = pos[j];
        c++;
      }
      for (int j = k - 1; j >= 0; j--) {
        if (++pos[j] < shape[j]) break;
        pos[j] = 0;
      }
    }
    Tensor[] out = new Tensor[k];
    for (int j = 0; j < k; j++) out[j] = Tensor.of(coordinates[j]);
    return out;
  }

  /** {@code x[indices]}: see {@link Tensor#index(Tensor...)}. */
  public static Tensor index(Tensor x, Tensor[] indices) {
    Plan p = plan(x, indices, "index");
    return INDEX.call(new Spec(p.dims(), false), withFront(new Tensor[] {x}, p.indices()));
  }

  private static void checkValues(Tensor x, Tensor values, Plan p, String op) {
    if (values == null) throw new NullPointerException(op + "(): values is null");
    if (values.dtype() != x.dtype()) {
      throw new IllegalArgumentException(
          op
              + "(): Index put requires the source and destination dtypes match, got "
              + x.dtype().torchName()
              + " for the destination and "
              + values.dtype().torchName()
              + " for the source");
    }
    int[] r = p.resultShape();
    int[] v = values.shapeRef();
    boolean fits = v.length <= r.length;
    for (int i = 0; fits && i < v.length; i++)
      fits = v[i] == 1 || v[i] == r[r.length - v.length + i];
    if (!fits) {
      throw new IllegalArgumentException(
          op
              + "(): shape mismatch: value tensor of shape "
              + Shapes.str(v)
              + " cannot be broadcast to indexing result of shape "
              + Shapes.str(r));
    }
  }

  /** A copy of {@code x} with {@code values} written (or added) at {@code x[indices]}. */
  public static Tensor indexPut(Tensor x, Tensor[] indices, Tensor values, boolean accumulate) {
    Plan p = plan(x, indices, "index_put");
    checkValues(x, values, p, "index_put");
    return INDEX_PUT.call(
        new Spec(p.dims(), accumulate), withFront(new Tensor[] {x, values}, p.indices()));
  }

  /** {@code x[indices] = values} (or {@code +=} when accumulating), in place. */
  public static Tensor indexPut_(Tensor x, Tensor[] indices, Tensor values, boolean accumulate) {
    Plan p = plan(x, indices, "index_put_");
    checkValues(x, values, p, "index_put_");
    boolean recorded = GradMode.isEnabled() && (x.requiresGrad() || values.requiresGrad());
    if (recorded || Tracer.active) {
      Spec s = new Spec(p.dims(), accumulate);
      return InPlace.apply(
          x,
          "index_put_",
          t -> INDEX_PUT.call(s, withFront(new Tensor[] {t, values}, p.indices())));
    }
    // nothing recorded: write only the indexed positions, straight into x's storage
    InPlace.checkAllowed(x, "index_put_");
    Tensor[] in = withFront(new Tensor[] {x, values}, p.indices());
    Layout l = new Layout(x.shapeRef(), p.dims(), in, 2);
    int[] to = indexedOffsets(x, p.dims(), in, 2, l.bShape, "index_put_");
    Tensor v =
        Tensors.storage(values) == Tensors.storage(x)
            ? values.clone()
            : values; // x[i] = x[j]: read before writing
    putValues(v, l, x, to, accumulate);
    Tensors.storage(x).bumpVersion();
    return x;
  }
}
