package dev.autograd.core.ops;

import dev.autograd.core.DType;
import dev.autograd.core.Tensor;
import dev.autograd.core.internal.Tensors;
import dev.autograd.core.kernels.KernelProvider;
import dev.autograd.core.kernels.Kernels;

/**
 * The affine map of a dense layer. A 2-D input runs as one node, PyTorch's {@code AddmmBackward0}:
 * the GEMM reads the weight transposed in place, and the derivative produces gradients in the
 * weight's own layout (no transposed copies); other inputs use matmul.
 */
public final class Linear {
  private Linear() {}

  /** x · weightᵀ + bias, for x [*, in], weight [out, in], bias [out] (nullable): [*, out]. */
  public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
    if (weight.dim() != 2)
      throw new IllegalArgumentException(
          "linear: expected a 2-D weight [out_features, in_features], got "
              + NnSupport.str(weight));
    if (x.dim() == 0 || x.size(-1) != weight.size(1)) {
      throw new IllegalArgumentException(
          "linear: mat1 and mat2 shapes cannot be multiplied (input "
              + NnSupport.str(x)
              + ", weight "
              + NnSupport.str(weight)
              + "): the input's last dim must be in_features="
              + weight.size(1));
    }
    if (x.dim() == 2 && fusable(x, weight, bias)) return addmm(x, weight, bias);
    Tensor y = x.matmul(weight.t());
    return bias == null ? y : y.add(bias);
  }

  private static boolean fusable(Tensor x, Tensor w, Tensor b) {
    DType dt = x.dtype();
    if ((dt != DType.FLOAT32 && dt != DType.FLOAT64) || w.dtype() != dt) return false;
    return b == null || (b.dtype() == dt && b.dim() == 1 && b.size(0) == w.size(0));
  }

  // ===============================================================================================
  // Entry: addmm, y = bias + x·wᵀ; inputs [bias (nullable), x, w]
  // ===============================================================================================

  // d/dbias = g (the engine's sumTo makes the column sums), d/dx = g·w, d/dw = gᵀ·x
  public static final OpDef<Void> ADDMM =
      OpDef.<Void>op("AddmmBackward0")
          .optionalInputs(0)
          .shape(
              (in, none) ->
                  new OpDef.OutSpec(in[1].dtype(), new int[] {in[1].size(0), in[2].size(0)}))
          .kernel((in, none, y) -> addmmInto(in[0], in[1], in[2], y))
          .saves(
              (in, y, none) ->
                  new Tensor[] {
                    in[2].requiresGrad() ? in[1] : null, in[1].requiresGrad() ? in[2] : null
                  })
          .derivative(
              (g, node, none) ->
                  new Tensor[] {
                    node.needsGrad(0) ? g : null,
                    node.needsGrad(1) ? g.mm(node.saved(1)) : null,
                    node.needsGrad(2)
                            && !Matmul.addIntoGrad(node.gradTarget(2), g.t(), node.saved(0))
                        ? g.t().mm(node.saved(0))
                        : null
                  })
          .addsIntoGrads()
          // tbias + tx·wᵀ + x·twᵀ
          .tangent(
              (t, in, y, none) ->
                  Binary.plus(
                      t[0],
                      Binary.plus(
                          t[1] == null ? null : t[1].mm(in[2].t()),
                          t[2] == null ? null : in[1].mm(t[2].t()))))
          .build();

  private static Tensor addmm(Tensor x, Tensor w, Tensor b) {
    return ADDMM.call(null, b, x, w);
  }

  // C starts as the bias in every row (or zeros), then C += x·wᵀ (the GEMM writes all of C
  // otherwise)
  private static void addmmInto(Tensor b, Tensor x, Tensor w, Tensor y) {
    int m = x.size(0), in = x.size(1), out = w.size(0), yo = y.storageOffset();
    if (b != null) {
      Tensor bc = b.isContiguous() ? b : Creation.copyOf(b, b.dtype());
      for (int i = 0; i < m; i++)
        Tensors.storage(bc).copyTo(bc.storageOffset(), Tensors.storage(y), yo + i * out, out);
    } else if (in == 0) {
      Creation.fill(y, 0);
      return;
    }
    int[] xs = x.strideRef(), ws = w.strideRef();
    Kernels k = KernelProvider.get();
    if (x.dtype() == DType.FLOAT32) {
      k.gemm(
          m,
          out,
          in,
          Tensors.storage(x).floats(),
          x.storageOffset(),
          xs[0],
          xs[1],
          Tensors.storage(w).floats(),
          w.storageOffset(),
          ws[1],
          ws[0],
          Tensors.storage(y).floats(),
          yo,
          out,
          b != null);
    } else {
      k.gemm(
          m,
          out,
          in,
          Tensors.storage(x).doubles(),
          x.storageOffset(),
          xs[0],
          xs[1],
          Tensors.storage(w).doubles(),
          w.storageOffset(),
          ws[1],
          ws[0],
          Tensors.storage(y).doubles(),
          yo,
          out,
          b != null);
    }
  }
}
