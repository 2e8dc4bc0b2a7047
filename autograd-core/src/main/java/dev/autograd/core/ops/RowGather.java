package dev.autograd.core.ops;

import dev.autograd.core.Tensor;
import dev.autograd.core.internal.Tensors;
import java.util.function.Supplier;

/**
 * How a row-gather entry of the op table is built (embedding, max pooling): {@code take} picks rows
 * by index and {@code put} scatter-adds them back; each is the other's derivative, so both have
 * gradients of every order. The kernels are {@link dev.autograd.core.kernels.RowGather}'s.
 */
final class RowGather {
  private RowGather() {}

  /**
   * The attributes of one gather: x viewed as [P, M, D], indices [P, L] into M (an INT64 input
   * tensor, input 1), the shapes of the source and of the gathered output, a row {@code skip} that
   * gets no gradient (or -1), and whether take writes zeros for it (the adjoint of put).
   */
  record Rows(
      int p,
      int m,
      int d,
      int l,
      int[] sourceShape,
      int[] outShape,
      long skip,
      boolean zeroSkipped) {
    Rows zeroingSkipped() {
      return new Rows(p, m, d, l, sourceShape, outShape, skip, true);
    }
  }

  /** y[p, l, :] = x[p, idx[p, l], :]; gradient: {@code put}. */
  static OpDef<Rows> takeEntry(String nodeName, Supplier<OpDef<Rows>> put) {
    return OpDef.<Rows>op(nodeName)
        .constantInputs(1)
        .shape((in, r) -> new OpDef.OutSpec(in[0].dtype(), r.outShape()))
        .kernel(
            (in, r, out) -> {
              Tensor src = NnSupport.dense(in[0]), idx = NnSupport.dense(in[1]);
              dev.autograd.core.kernels.RowGather.take(
                  Tensors.storage(src).array(),
                  src.storageOffset(),
                  Tensors.storage(idx).longs(),
                  idx.storageOffset(),
                  r.p(),
                  r.m(),
                  r.d(),
                  r.l(),
                  r.skip(),
                  r.zeroSkipped(),
                  Tensors.storage(out).array(),
                  out.storageOffset());
            })
        .saves((in, y, r) -> new Tensor[] {in[1]})
        .derivative((g, n, r) -> new Tensor[] {put.get().call(r, g, n.saved(0)), null})
        .linearTangent()
        .build();
  }

  /**
   * out[p, idx[p, l], :] += g[p, l, :] (zeros elsewhere and at the skipped row); gradient: {@code
   * take}.
   */
  static OpDef<Rows> putEntry(String nodeName, Supplier<OpDef<Rows>> take) {
    return OpDef.<Rows>op(nodeName)
        .constantInputs(1)
        .shape((in, r) -> new OpDef.OutSpec(in[0].dtype(), r.sourceShape()))
        .kernel(
            (in, r, out) -> {
              Tensor src = NnSupport.dense(in[0]), idx = NnSupport.dense(in[1]);
              dev.autograd.core.kernels.RowGather.put(
                  Tensors.storage(src).array(),
                  src.storageOffset(),
                  Tensors.storage(idx).longs(),
                  idx.storageOffset(),
                  r.p(),
                  r.m(),
                  r.d(),
                  r.l(),
                  r.skip(),
                  Tensors.storage(out).array(),
                  out.storageOffset());
            })
        .saves((in, y, r) -> new Tensor[] {in[1]})
        .derivative(
            (gg, n, r) -> new Tensor[] {take.get().call(r.zeroingSkipped(), gg, n.saved(0)), null})
        .linearTangent()
        .build();
  }
}
