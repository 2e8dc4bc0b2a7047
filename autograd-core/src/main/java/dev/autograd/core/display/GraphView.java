package dev.autograd.core.display;

import dev.autograd.core.Tensor;
import java.util.function.Supplier;

/**
 * A graph as a value to display: the autograd graph behind a tensor ({@link Graphs#view(Tensor)})
 * or a compiled function's trace ({@link Graphs#view(dev.autograd.core.CompiledFunction, int)}).
 * Notebooks render it as SVG; {@link #dot()} and {@link #svg()} give the text for other viewers.
 */
public final class GraphView {
  private final Tensor tensor;
  private final Supplier<String> dot;
  private final Supplier<String> svg;

  GraphView(Tensor tensor, Supplier<String> dot, Supplier<String> svg) {
    this.tensor = tensor;
    this.dot = dot;
    this.svg = svg;
  }

  /** The tensor whose autograd graph this is, or null when this is a compiled function's trace. */
  public Tensor tensor() {
    return tensor;
  }

  /** Graphviz DOT text of the graph. */
  public String dot() {
    return dot.get();
  }

  /** A self-contained SVG drawing of the graph. */
  public String svg() {
    return svg.get();
  }

  /** The DOT text. */
  @Override
  public String toString() {
    return dot();
  }
}
