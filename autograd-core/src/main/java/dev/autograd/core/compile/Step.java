package dev.autograd.core.compile;

import dev.autograd.core.DType;
import dev.autograd.core.ops.OpDef;

/**
 * One recorded op-table call: the entry, its attributes, the slots it reads ({@code -1} for a null
 * input) and the slot it writes, with the output's dtype and shape as traced. An {@link
 * Kind#EFFECT} step has no entry: {@code attrs} is its {@link Effect}, {@code in[0]} the slot it
 * writes, and {@code out} its scratch buffer's slot or -1.
 */
record Step(
    OpDef<Object> def, Object attrs, int[] in, int out, Kind kind, DType dtype, int[] shape) {
  /** How a replay runs the step. */
  enum Kind {
    /** Into a planned buffer: no allocation. */
    KERNEL,
    /** A new view object over its input's storage. */
    VIEW,
    /** A composite forward that returns a fresh tensor. */
    COMPUTE,
    /** An in-place write into a value that exists already (see {@link Effect}). */
    EFFECT
  }

  /** The op's or the effect's name. */
  String name() {
    return kind == Kind.EFFECT ? ((Effect) attrs).name() : def.opName();
  }
}
