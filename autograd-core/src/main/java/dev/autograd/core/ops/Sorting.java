package dev.autograd.core.ops;

import dev.autograd.core.Tensor;
import dev.autograd.core.internal.Tensors;
import dev.autograd.core.kernels.SortKernel;
import dev.autograd.core.tensor.Shapes;

/** sort and topk: values (differentiable, gradient scattered back by index) and INT64 indices. */
public final class Sorting {
  private Sorting() {}

  // ===============================================================================================
  // Entries: the values of sort and topk, gathered along a dim by indices computed first (input 1);
  // gradient: g scattered back to where each value came from
  // ===============================================================================================

  public static final OpDef<Integer> SORT = pickEntry("SortBackward0");
  public static final OpDef<Integer> TOPK = pickEntry("TopkBackward0");

  static OpDef<Integer> pickEntry(String nodeName) {
    return OpDef.<Integer>op(nodeName)
        .constantInputs(1)
        .compute((in, d) -> in[0].dim() == 0 ? in[0].clone() : in[0].gather(d, in[1]))
        .saves((in, y, d) -> new Tensor[] {in[1]})
        .derivative(
            (g, n, d) ->
                new Tensor[] {
                  n.inputShape(0).length == 0
                      ? g
                      : Tensor.zeros(g.dtype(), n.inputShape(0)).scatterAdd(d, n.saved(0), g),
                  null
                })
        .linearTangent() // the tangent gathered at the same indices
        .build();
  }

  /** Sorted values and their indices along {@code dim} (stable; NaN sorts as the largest). */
  public static Tensor[] sort(Tensor x, int dim, boolean descending) {
    int size = x.dim() == 0 ? 1 : x.size(dim);
    return topk(x, size, dim, descending, SORT, "sort");
  }

  /**
   * The {@code k} largest (or smallest) values along {@code dim}, in sorted order, and their
   * indices.
   */
  public static Tensor[] topk(Tensor x, int k, int dim, boolean largest) {
    return topk(x, k, dim, largest, TOPK, "topk");
  }

  /** Which indices to pick: the k first along dim d in ascending or descending order. */
  public record Pick(int k, int d, boolean largest) {}

  // INT64 indices of the k largest (smallest) values along d, in sorted order (stable; NaN as the
  // largest)
  public static final OpDef<Pick> SORT_INDICES =
      OpDef.<Pick>op("sort_indices")
          .nondifferentiable()
          .compute(
              (in, p) -> {
                Tensor x = in[0];
                Tensor src = x.dim() == 0 ? x.reshape(1) : x;
                int d = p.d(), k = p.k(), size = src.shapeRef()[d];
                boolean[] reduced = new boolean[src.dim()];
                reduced[d] = true;
                Tensor rows = Reductions.rowsForReduction(src, reduced);
                int outer = size == 0 ? 0 : rows.numel() / size;
                long[] picked = new long[outer * k];
                SortKernel.pick(
                    Tensors.storage(rows),
                    rows.storageOffset(),
                    outer,
                    size,
                    k,
                    p.largest(),
                    picked);
                // picked is laid out [kept dims..., k]: move k back to position d
                int[] rowShape = Reductions.reducedShape(src.shapeRef(), reduced, false);
                int[] laid = java.util.Arrays.copyOf(rowShape, rowShape.length + 1);
                laid[rowShape.length] = k;
                int[] perm = new int[laid.length];
                for (int a = 0, b = 0; a < perm.length; a++)
                  perm[a] = a == d ? laid.length - 1 : b++;
                Tensor idx = Tensor.of(picked, laid).permute(perm).contiguous();
                return x.dim() == 0 ? idx.reshape() : idx;
              })
          .build();

  private static Tensor[] topk(
      Tensor x, int k, int dim, boolean largest, OpDef<Integer> entry, String op) {
    Tensor src = x.dim() == 0 ? x.reshape(1) : x;
    int d = Shapes.normalizeDim(dim, src.dim());
    int size = src.shapeRef()[d];
    if (k < 0 || k > size) {
      throw new IllegalArgumentException(
          op
              + "(): selected index k out of range (k = "
              + k
              + ", size of dim "
              + d
              + " is "
              + size
              + ")");
    }
    Tensor idx = SORT_INDICES.call(new Pick(k, d, largest), x.detach());
    return new Tensor[] {entry.call(d, x, idx), idx};
  }
}
