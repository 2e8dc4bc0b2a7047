package dev.autograd.core.internal;

import dev.autograd.core.CompiledFunction;

/** What the display package reads from a {@link CompiledFunction} that is not its public API. */
public interface CompiledAccess {
  /** Trace {@code number} (from 1) of {@code f}, as boxes and edges to draw. */
  DrawnGraph drawing(CompiledFunction f, int number);
}
