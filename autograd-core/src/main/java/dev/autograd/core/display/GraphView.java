package dev.autograd.core.display;

import dev.autograd.core.Tensor;

/**
 * The autograd graph behind a tensor, as a value to display: notebooks render it as SVG; {@link
 * #dot()} and {@link #svg()} give the text for other viewers. Make one with {@link Graphs#view}.
 */
public final class GraphView {
  private final Tensor tensor;

  GraphView(Tensor tensor) {
    this.tensor = tensor;
  }

  /** The tensor whose {@code grad_fn} graph this view draws. */
  public Tensor tensor() {
    return tensor;
  }

  /** Graphviz DOT text of the graph. */
  public String dot() {
    return Graphs.toDot(tensor);
  }

  /** A self-contained SVG drawing of the graph. */
  public String svg() {
    return Graphs.toSvg(tensor);
  }

  @Override
  public String toString() {
    return dot();
  }
}
