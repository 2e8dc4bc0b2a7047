package dev.autograd.core.compile;

import dev.autograd.core.DType;
import dev.autograd.core.Tensor;

/**
 * One value of a trace: an argument, a captured tensor (read by reference on every call), a
 * constant made inside the function by a factory, a step's output, the upstream gradient of the
 * traced backward, or the {@code .grad} of an argument or captured tensor ({@code index} is that
 * tensor's slot; read afresh on every use, since backward and zeroGrad replace it). {@code root} is
 * the slot whose storage this value lives in (itself unless it is a view).
 */
record Slot(Kind kind, int index, int root, DType dtype, int[] shape, Tensor source) {
  enum Kind {
    ARG,
    CAPTURED,
    CONST,
    STEP,
    UPSTREAM,
    GRAD
  }
}
