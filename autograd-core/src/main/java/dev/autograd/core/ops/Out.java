package dev.autograd.core.ops;

import dev.autograd.core.DType;
import dev.autograd.core.GradMode;
import dev.autograd.core.Tensor;
import dev.autograd.core.internal.Tensors;
import dev.autograd.core.tensor.Shapes;
import java.util.Arrays;

/**
 * The rules of the {@code out=} forms ({@code a.add(b, out)}, {@code x.exp(out)}, ...), which write
 * a result into a tensor the caller allocated once, so loops over large tensors do not allocate (on
 * the JVM a fresh array is zeroed and cache-cold; a reused one is neither). As in PyTorch they
 * record no history, and the write counts as an in-place change of {@code out}.
 */
final class Out {
  private Out() {}

  /**
   * Rejects an {@code out} of the wrong shape or dtype, one that overlaps an input, or any use that
   * needs a gradient.
   */
  static void check(String op, Tensor out, int[] shape, DType dtype, Tensor... inputs) {
    if (GradMode.isEnabled()) {
      boolean needsGrad = out.requiresGrad();
      for (Tensor in : inputs) needsGrad |= in.requiresGrad();
      if (needsGrad) {
        throw new IllegalStateException(
            op
                + "(): functions with out=... arguments don't support automatic"
                + " differentiation, but one of the arguments requires grad; call it inside Autograd.noGrad()"
                + " or use the form without out");
      }
    }
    if (!Arrays.equals(out.shapeRef(), shape)) {
      throw new IllegalArgumentException(
          op
              + "(): out has shape "
              + Shapes.str(out.shapeRef())
              + " but the result has shape "
              + Shapes.str(shape)
              + "; allocate out with Tensor.empty("
              + dtype
              + ", "
              + Arrays.toString(shape).replaceAll("[\\[\\]]", "")
              + ")");
    }
    if (out.dtype() != dtype) {
      throw new IllegalArgumentException(
          op
              + "(): out has dtype "
              + out.dtype()
              + " but the result is "
              + dtype
              + "; allocate out with dtype "
              + dtype);
    }
    int[] strides = out.strideRef();
    for (int d = 0; d < shape.length; d++) {
      if (shape[d] > 1 && strides[d] == 0) {
        throw new IllegalArgumentException(
            op
                + "(): more than one element of out (shape "
                + Shapes.str(shape)
                + ", strides "
                + Shapes.str(strides)
                + ") refers to a single memory"
                + " location, as in an expanded view; clone() it first");
      }
    }
    for (Tensor in : inputs) {
      boolean sameMemory = Tensors.storage(in) == Tensors.storage(out);
      boolean exactAlias =
          in.storageOffset() == out.storageOffset()
              && Arrays.equals(in.shapeRef(), shape)
              && Arrays.equals(in.strideRef(), strides);
      if (sameMemory && !exactAlias) {
        throw new IllegalArgumentException(
            op
                + "(): some elements of the input (shape "
                + Shapes.str(in.shapeRef())
                + ") and of out (shape "
                + Shapes.str(shape)
                + ") refer to a"
                + " single memory location; write into a separate tensor or clone() the input");
      }
    }
  }

  /**
   * Marks {@code out} as changed in place (so derivatives that saved it fail loudly) and returns
   * it.
   */
  static Tensor written(Tensor out) {
    Tensors.storage(out).bumpVersion();
    return out;
  }
}
