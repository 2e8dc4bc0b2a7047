package dev.autograd.core.compile;

import dev.autograd.core.DType;
import dev.autograd.core.ops.OpDef;

/**
 * One recorded op-table call: the entry, its attributes, the slots it reads ({@code -1} for a null
 * input) and the slot it writes, with the output's dtype and shape as traced.
 */
record Step(OpDef<Object> def, Object attrs, int[] in, int out, Kind kind, DType dtype, int[] shape) {
  /** How a replay runs the step. */
  enum Kind {
    /** Into a planned buffer: no allocation. */
    KERNEL,
    /** A new view object over its input's storage. */
    VIEW,
    /** A composite forward that returns a fresh tensor. */
    COMPUTE
  }
}
