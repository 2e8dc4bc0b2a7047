package dev.autograd.core.ops;

import dev.autograd.core.DType;
import dev.autograd.core.Tensor;
import dev.autograd.core.compile.Tracer;
import dev.autograd.core.internal.Tensors;
import dev.autograd.core.kernels.KernelProvider;
import dev.autograd.core.kernels.Kernels;
import dev.autograd.core.tensor.Shapes;
import dev.autograd.core.tensor.Storage;

/**
 * Matrix products. {@code mm} and {@code bmm} call the GEMM kernel on the operands' strides, so
 * transposed operands cost no copy; {@code matmul}, {@code mv}, {@code dot} and {@code outer} are
 * built from them and from views, and inherit their derivatives.
 */
public final class Matmul {
  private Matmul() {}

  private static void checkFloat(String op, Tensor a, Tensor b) {
    if (a.dtype() != b.dtype()) {
      throw new IllegalArgumentException(
          op
              + ": expected both operands to have the same dtype, but got: "
              + a.dtype().torchName()
              + " != "
              + b.dtype().torchName()
              + " (convert one with .to(DType."
              + a.dtype()
              + "))");
    }
    if (!a.dtype().isFloatingPoint()) {
      throw new IllegalArgumentException(
          op + ": only floating-point tensors are supported, got " + a.dtype().torchName());
    }
  }

  private static void checkMm(Tensor a, Tensor b) {
    if (a.dim() != 2 || b.dim() != 2) {
      throw new IllegalArgumentException(
          "mm: expected 2-D tensors, got "
              + a.dim()
              + "-D "
              + Shapes.str(a.shapeRef())
              + " and "
              + b.dim()
              + "-D "
              + Shapes.str(b.shapeRef()));
    }
    if (b.size(0) != a.size(1)) {
      throw new IllegalArgumentException(
          "mat1 and mat2 shapes cannot be multiplied ("
              + a.size(0)
              + "x"
              + a.size(1)
              + " and "
              + b.size(0)
              + "x"
              + b.size(1)
              + ")");
    }
    checkFloat("mm", a, b);
  }

  // ===============================================================================================
  // Entries: mm and bmm (GEMM on the operands' strides: transposed operands cost no copy)
  // ===============================================================================================

  // [m, k] x [k, n]; d/dA = g B^T, d/dB = A^T g (each side saves only what the other's gradient
  // needs)
  public static final OpDef<Void> MM =
      OpDef.<Void>op("MmBackward0")
          .shape(
              (in, none) ->
                  new OpDef.OutSpec(in[0].dtype(), new int[] {in[0].size(0), in[1].size(1)}))
          .kernel(
              (in, none, y) -> {
                Tensor a = in[0], b = in[1];
                int[] as = a.strideRef(), bs = b.strideRef();
                gemm(
                    a,
                    a.storageOffset(),
                    b,
                    b.storageOffset(),
                    y,
                    y.storageOffset(),
                    y.size(1),
                    a.size(0),
                    b.size(1),
                    a.size(1),
                    as[0],
                    as[1],
                    bs[0],
                    bs[1]);
              })
          .saves(
              (in, y, none) ->
                  new Tensor[] {
                    in[1].requiresGrad() ? in[0] : null, in[0].requiresGrad() ? in[1] : null
                  })
          .derivative(
              (g, node, none) ->
                  new Tensor[] {
                    node.needsGrad(0) && !addIntoGrad(node.gradTarget(0), g, node.saved(1).t())
                        ? g.mm(node.saved(1).t())
                        : null,
                    node.needsGrad(1) && !addIntoGrad(node.gradTarget(1), node.saved(0).t(), g)
                        ? node.saved(0).t().mm(g)
                        : null
                  })
          .addsIntoGrads()
          .tangent(
              (t, in, y, none) ->
                  Binary.plus(
                      t[0] == null ? null : t[0].mm(in[1]),
                      t[1] == null ? null : in[0].mm(t[1]))) // tA B + A tB
          .build();

  /**
   * Adds a·b into {@code leaf}'s {@code .grad} in place (GEMM with accumulation: no new array, no
   * separate sum) when the engine allows it ({@link OpNode#gradTarget}: leaf non-null) and the
   * {@code .grad} is a contiguous matrix of a·b's shape and dtype, without history, not sharing a's
   * or b's storage. Under the leaf's lock, as accumulation. True when done.
   */
  public static boolean addIntoGrad(Tensor leaf, Tensor a, Tensor b) {
    if (leaf == null) return false;
    synchronized (leaf) {
      Tensor dst = Tensors.peekGrad(leaf);
      if (dst == null
          || dst.requiresGrad()
          || !dst.isContiguous()
          || dst.dtype() != a.dtype()
          || b.dtype() != a.dtype()
          || dst.dim() != 2
          || dst.size(0) != a.size(0)
          || dst.size(1) != b.size(1)
          || a.size(1) != b.size(0)) return false;
      Storage s = Tensors.storage(dst);
      if (s == Tensors.storage(a) || s == Tensors.storage(b)) return false;
      int[] as = a.strideRef(), bs = b.strideRef();
      Kernels kern = KernelProvider.get();
      int m = a.size(0), n = b.size(1), k = a.size(1), yOff = dst.storageOffset();
      if (a.dtype() == DType.FLOAT32) {
        kern.gemm(
            m,
            n,
            k,
            Tensors.storage(a).floats(),
            a.storageOffset(),
            as[0],
            as[1],
            Tensors.storage(b).floats(),
            b.storageOffset(),
            bs[0],
            bs[1],
            s.floats(),
            yOff,
            n,
            true);
      } else {
        kern.gemm(
            m,
            n,
            k,
            Tensors.storage(a).doubles(),
            a.storageOffset(),
            as[0],
            as[1],
            Tensors.storage(b).doubles(),
            b.storageOffset(),
            bs[0],
            bs[1],
            s.doubles(),
            yOff,
            n,
            true);
      }
      s.bumpVersion();
      return true;
    }
  }

  // [b, m, k] x [b, k, n]; the same derivative per batch
  public static final OpDef<Void> BMM =
      OpDef.<Void>op("BmmBackward0")
          .shape(
              (in, none) ->
                  new OpDef.OutSpec(
                      in[0].dtype(), new int[] {in[0].size(0), in[0].size(1), in[1].size(2)}))
          .kernel(
              (in, none, y) -> {
                Tensor a = in[0], b = in[1];
                int batch = a.size(0), m = a.size(1), k = a.size(2), n = b.size(2);
                int[] as = a.strideRef(), bs = b.strideRef();
                for (int i = 0; i < batch; i++) {
                  gemm(
                      a,
                      a.storageOffset() + i * as[0],
                      b,
                      b.storageOffset() + i * bs[0],
                      y,
                      y.storageOffset() + i * m * n,
                      n,
                      m,
                      n,
                      k,
                      as[1],
                      as[2],
                      bs[1],
                      bs[2]);
                }
              })
          .saves(
              (in, y, none) ->
                  new Tensor[] {
                    in[1].requiresGrad() ? in[0] : null, in[0].requiresGrad() ? in[1] : null
                  })
          .derivative(
              (g, node, none) ->
                  new Tensor[] {
                    node.needsGrad(0) ? g.bmm(node.saved(1).mT()) : null,
                    node.needsGrad(1) ? node.saved(0).mT().bmm(g) : null
                  })
          .tangent(
              (t, in, y, none) ->
                  Binary.plus(
                      t[0] == null ? null : t[0].bmm(in[1]), t[1] == null ? null : in[0].bmm(t[1])))
          .build();

  /** [m, k] x [k, n]. */
  public static Tensor mm(Tensor a, Tensor b) {
    checkMm(a, b);
    return MM.call(null, a, b);
  }

  /** [b, m, k] x [b, k, n]. */
  public static Tensor bmm(Tensor a, Tensor b) {
    if (a.dim() != 3 || b.dim() != 3) {
      throw new IllegalArgumentException(
          "bmm: expected 3-D tensors, got "
              + Shapes.str(a.shapeRef())
              + " and "
              + Shapes.str(b.shapeRef()));
    }
    int batch = a.size(0), k = a.size(2), n = b.size(2);
    if (b.size(0) != batch || b.size(1) != k) {
      throw new IllegalArgumentException(
          "bmm: expected size "
              + Shapes.str(new int[] {batch, k, n})
              + " for the second operand, got "
              + Shapes.str(b.shapeRef())
              + " (first operand "
              + Shapes.str(a.shapeRef())
              + ")");
    }
    checkFloat("bmm", a, b);
    return BMM.call(null, a, b);
  }

  /**
   * {@code a.mm(b)} written into {@code out} (the {@code out=} form: no history; see {@link Out}).
   */
  public static Tensor mmOut(Tensor a, Tensor b, Tensor out) {
    checkMm(a, b);
    Out.check("mm", out, new int[] {a.size(0), b.size(1)}, a.dtype(), a, b);
    // inside a traced compiled function: a write the replay repeats
    if (Tracer.active && Tracer.effect(MmInto.INSTANCE, out, a, b)) return out;
    return writeMm(a, b, out);
  }

  /** {@code mm} with {@code out=} inside a traced function: {@code in[0]} is out, then a and b. */
  private record MmInto() implements dev.autograd.core.compile.Effect {
    static final MmInto INSTANCE = new MmInto();

    @Override
    public void run(Tensor[] in, Tensor scratch) {
      writeMm(in[1], in[2], in[0]);
    }

    @Override
    public String name() {
      return "mm(out=)";
    }
  }

  // a·b into out, checked already
  private static Tensor writeMm(Tensor a, Tensor b, Tensor out) {
    int m = a.size(0), k = a.size(1), n = b.size(1);
    int[] os = out.strideRef();
    boolean aliased =
        Tensors.storage(out) == Tensors.storage(a)
            || Tensors.storage(out) == Tensors.storage(b); // C must not be read as A or B
    if (!aliased
        && os[1] == 1
        && os[0] >= n) { // rows of out are unit-stride: GEMM writes them in place
      gemm(
          a,
          a.storageOffset(),
          b,
          b.storageOffset(),
          out,
          out.storageOffset(),
          os[0],
          m,
          n,
          k,
          a.strideRef()[0],
          a.strideRef()[1],
          b.strideRef()[0],
          b.strideRef()[1]);
    } else {
      Creation.copyValues(mm(a, b), out);
    }
    return Out.written(out);
  }

  private static void gemm(
      Tensor a,
      int aOff,
      Tensor b,
      int bOff,
      Tensor y,
      int yOff,
      int ldy,
      int m,
      int n,
      int k,
      int aRs,
      int aCs,
      int bRs,
      int bCs) {
    Kernels kern = KernelProvider.get();
    if (a.dtype() == DType.FLOAT32) {
      kern.gemm(
          m,
          n,
          k,
          Tensors.storage(a).floats(),
          aOff,
          aRs,
          aCs,
          Tensors.storage(b).floats(),
          bOff,
          bRs,
          bCs,
          Tensors.storage(y).floats(),
          yOff,
          ldy,
          false);
    } else {
      kern.gemm(
          m,
          n,
          k,
          Tensors.storage(a).doubles(),
          aOff,
          aRs,
          aCs,
          Tensors.storage(b).doubles(),
          bOff,
          bRs,
          bCs,
          Tensors.storage(y).doubles(),
          yOff,
          ldy,
          false);
    }
  }

  /**
   * PyTorch's matmul: dot, mm, mv, vector-matrix, and batched products with broadcast batch dims.
   */
  public static Tensor matmul(Tensor a, Tensor b) {
    int da = a.dim(), db = b.dim();
    if (da == 0 || db == 0) {
      throw new IllegalArgumentException(
          "both arguments to matmul need to be at least 1D, but they are "
              + da
              + "D and "
              + db
              + "D");
    }
    if (da == 1 && db == 1) return dot(a, b);
    if (da == 2 && db == 2) return mm(a, b);
    if (da == 2 && db == 1) return mv(a, b);
    if (da == 1 && db == 2) return mm(a.unsqueeze(0), b).squeeze(0);
    // batched: promote vectors to matrices, broadcast the batch dims, run bmm, restore the shape
    Tensor a2 = da == 1 ? a.unsqueeze(0) : a;
    Tensor b2 = db == 1 ? b.unsqueeze(1) : b;
    int[] as = a2.shapeRef(), bs = b2.shapeRef();
    int m = as[as.length - 2], k = as[as.length - 1], n = bs[bs.length - 1];
    if (bs[bs.length - 2] != k) {
      throw new IllegalArgumentException(
          "matmul: shapes "
              + Shapes.str(a.shapeRef())
              + " and "
              + Shapes.str(b.shapeRef())
              + " cannot be multiplied ("
              + k
              + " != "
              + bs[bs.length - 2]
              + ")");
    }
    int[] batch =
        Shapes.broadcast(
            java.util.Arrays.copyOf(as, as.length - 2), java.util.Arrays.copyOf(bs, bs.length - 2));
    int nb = Shapes.numel(batch);
    Tensor a3 = a2.expand(concat(batch, m, k)).reshape(nb, m, k);
    Tensor b3 = b2.expand(concat(batch, k, n)).reshape(nb, k, n);
    Tensor y = a3.bmm(b3).reshape(concat(batch, m, n));
    if (da == 1) y = y.squeeze(-2);
    if (db == 1) y = y.squeeze(-1);
    return y;
  }

  private static int[] concat(int[] batch, int r, int c) {
    int[] out = java.util.Arrays.copyOf(batch, batch.length + 2);
    out[batch.length] = r;
    out[batch.length + 1] = c;
    return out;
  }

  /** [m, k] x [k] -> [m]. */
  public static Tensor mv(Tensor a, Tensor v) {
    if (a.dim() != 2 || v.dim() != 1) {
      throw new IllegalArgumentException(
          "mv: expected a 2-D matrix and a 1-D vector, got "
              + Shapes.str(a.shapeRef())
              + " and "
              + Shapes.str(v.shapeRef()));
    }
    if (a.size(1) != v.size(0)) {
      throw new IllegalArgumentException(
          "size mismatch, got input ("
              + a.size(0)
              + "), mat ("
              + a.size(0)
              + "x"
              + a.size(1)
              + "), vec ("
              + v.size(0)
              + ")");
    }
    return mm(a, v.unsqueeze(1)).squeeze(1);
  }

  /** Inner product of two 1-D tensors of the same length. */
  public static Tensor dot(Tensor a, Tensor b) {
    if (a.dim() != 1 || b.dim() != 1) {
      throw new IllegalArgumentException(
          "1D tensors expected, but got " + a.dim() + "D and " + b.dim() + "D tensors");
    }
    if (a.size(0) != b.size(0)) {
      throw new IllegalArgumentException(
          "inconsistent tensor size, expected tensor ["
              + a.size(0)
              + "] and src ["
              + b.size(0)
              + "] to have the same number of elements, but got "
              + a.size(0)
              + " and "
              + b.size(0)
              + " elements respectively");
    }
    return mm(a.unsqueeze(0), b.unsqueeze(1)).reshape();
  }

  /** [n] x [m] -> [n, m]. */
  public static Tensor outer(Tensor a, Tensor b) {
    if (a.dim() != 1 || b.dim() != 1) {
      throw new IllegalArgumentException(
          "outer: expected 1-D tensors, got " + a.dim() + "D and " + b.dim() + "D");
    }
    return a.unsqueeze(1).mul(b.unsqueeze(0));
  }
}
