package dev.autograd.core.compile;

import dev.autograd.core.Tensor;

/**
 * An in-place write that a trace records and a replay performs again: {@code add_}, {@code zero_},
 * an {@code out=} kernel, an optimizer update, a gradient accumulated into {@code .grad}. The code
 * that writes in place hands the trace an effect ({@link Tracer#effect}) instead of writing itself;
 * the trace runs it at once (the traced call is eager) and on every replay. An effect is a record,
 * so two traces of one path compare equal when they write alike.
 */
public interface Effect {
  /**
   * Performs the write on {@code in} (the tensors of this call; {@code in[0]} is the one written),
   * with grad mode off. {@code scratch} is a buffer the trace keeps for this effect (of {@code
   * in[0]}'s dtype and shape) when {@link #wantsScratch()}, else null.
   */
  void run(Tensor[] in, Tensor scratch);

  /** The name in a trace's listing ({@code add_}). */
  String name();

  /** True when the effect wants a buffer of its own that lives as long as the trace. */
  default boolean wantsScratch() {
    return false;
  }
}
