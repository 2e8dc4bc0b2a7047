package dev.autograd.core.display;

import dev.autograd.core.CompiledFunction;
import dev.autograd.core.Tensor;
import dev.autograd.core.internal.SharedSecrets;

/**
 * Draws the autograd graph behind a tensor — its {@code grad_fn} nodes, the leaves with their
 * shapes, and what each node saved for backward — as Graphviz DOT text or as a self-contained SVG
 * (laid out by this library; no Graphviz needed). For debugging and for notebooks.
 */
public final class Graphs {
  private Graphs() {}

  /** The graph as a value that notebooks render as SVG. */
  public static GraphView view(Tensor t) {
    if (t == null) throw new NullPointerException("Graphs.view(): t is null");
    return new GraphView(t, () -> toDot(t), () -> toSvg(t));
  }

  /**
   * Trace {@code number} (from 1, see {@link CompiledFunction#toString()}) of a compiled function
   * as a value that notebooks render as SVG: its inputs (arguments, captured tensors, constants,
   * gradients), forward ops, traced backward ops (shaded blue), in-place writes (red), guards
   * (yellow) and outputs. Its {@link GraphView#dot()} is {@link CompiledFunction#toDot(int)}.
   *
   * @throws IllegalArgumentException when {@code f} has no trace {@code number}
   */
  public static GraphView view(CompiledFunction f, int number) {
    if (f == null) throw new NullPointerException("Graphs.view(): f is null");
    GraphModel model =
        new GraphModel(
            SharedSecrets.compiled()
                .drawing(f, number)); // drawn now: later traces do not change it
    String dot = f.toDot(number);
    return new GraphView(null, () -> dot, () -> GraphSvg.render(model));
  }

  /** The graph as Graphviz DOT ({@code dot -Tpng}), data flowing from leaves to the tensor. */
  public static String toDot(Tensor t) {
    GraphModel g = new GraphModel(t);
    StringBuilder sb = new StringBuilder("digraph autograd {\n");
    sb.append("  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];\n");
    for (GraphModel.Vertex v : g.vertices) {
      String label =
          v.title
              + (v.detail != null ? "\\n" + v.detail : "")
              + (v.savedNote != null ? "\\n" + v.savedNote : "");
      sb.append("  n")
          .append(v.id)
          .append(" [label=\"")
          .append(label.replace("\"", "\\\""))
          .append("\", fillcolor=\"")
          .append(GraphSvg.fill(v.kind))
          .append("\"];\n");
    }
    for (GraphModel.Edge e : g.edges)
      sb.append("  n").append(e.from().id).append(" -> n").append(e.to().id).append(";\n");
    return sb.append("}\n").toString();
  }

  /** The graph as an SVG document (leaves on top, the tensor at the bottom). */
  public static String toSvg(Tensor t) {
    return GraphSvg.render(new GraphModel(t));
  }
}
