package dev.autograd.core.compile;

import dev.autograd.core.internal.DrawnGraph;
import dev.autograd.core.internal.DrawnGraph.Box;
import dev.autograd.core.internal.DrawnGraph.Edge;
import dev.autograd.core.internal.DrawnGraph.Kind;
import dev.autograd.core.tensor.Shapes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A trace as a {@link DrawnGraph}: its inputs, its steps (backward ones marked), writes, guards and
 * outputs. The one place a trace is turned into boxes and edges: the SVG drawing (display package)
 * and the DOT text both render this.
 */
final class TraceDrawing {
  private TraceDrawing() {}

  /** The boxes and edges, and which box each step became. */
  private record Layout(DrawnGraph graph, int[] boxOfStep) {}

  static DrawnGraph of(Trace t) {
    return layout(t).graph();
  }

  private static Layout layout(Trace t) {
    List<Box> boxes = new ArrayList<>();
    List<Edge> edges = new ArrayList<>();
    Map<Integer, Integer> boxOfSlot = new HashMap<>();
    int[] boxOfStep = new int[t.steps.length];
    for (int i = 0; i < t.slots.length; i++) {
      Slot s = t.slots[i];
      if (s.kind() == Slot.Kind.STEP) continue;
      boxOfSlot.put(i, boxes.size());
      boxes.add(
          new Box(
              Kind.INPUT, TraceText.value(t, i), s.dtype().torchName() + Shapes.str(s.shape())));
    }
    for (int k = 0; k < t.steps.length; k++) {
      Step s = t.steps[k];
      boolean backward = k >= t.forwardSteps;
      int box = boxes.size();
      boxOfStep[k] = box;
      if (s.kind() == Step.Kind.EFFECT) { // a write: its other inputs flow into it
        boxes.add(new Box(Kind.EFFECT, "in place: " + s.name(), TraceText.value(t, s.in()[0])));
        for (int i = 1; i < s.in().length; i++) link(edges, boxOfSlot, s.in()[i], box);
        continue;
      }
      boxes.add(
          new Box(
              backward ? Kind.BACKWARD_OP : Kind.OP,
              "%" + s.out() + " " + s.def().opName(),
              s.dtype().torchName() + Shapes.str(s.shape())));
      for (int in : s.in()) link(edges, boxOfSlot, in, box);
      boxOfSlot.put(s.out(), box);
    }
    for (Guard g : t.guards) {
      int box = boxes.size();
      boxes.add(new Box(Kind.GUARD, "guard before step " + g.at(), g.describe()));
      link(edges, boxOfSlot, g.slot(), box);
    }
    for (int i = 0; i < t.outputSlots.length; i++) {
      int box = boxes.size();
      boxes.add(new Box(Kind.OUTPUT, "output " + i, null));
      link(edges, boxOfSlot, t.outputSlots[i], box);
    }
    return new Layout(new DrawnGraph(List.copyOf(boxes), List.copyOf(edges)), boxOfStep);
  }

  private static void link(List<Edge> edges, Map<Integer, Integer> boxOfSlot, int slot, int to) {
    Integer from = slot < 0 ? null : boxOfSlot.get(slot);
    if (from != null) edges.add(new Edge(from, to));
  }

  /**
   * The same boxes and edges for Graphviz, each fused group as a dashed cluster around its steps.
   */
  static String dot(Trace t) {
    Layout layout = layout(t);
    List<Box> boxes = layout.graph().boxes();
    StringBuilder b =
        new StringBuilder("digraph trace")
            .append(t.number)
            .append(" {\n  rankdir=TB;\n  node [shape=box, fontname=\"monospace\"];\n");
    for (int i = 0; i < boxes.size(); i++) {
      Box box = boxes.get(i);
      b.append("  n").append(i).append(" [").append(dotShape(box.kind())).append(", label=\"");
      b.append(quoted(box.title()));
      if (box.detail() != null) b.append("\\n").append(quoted(box.detail()));
      b.append("\"];\n");
    }
    for (Edge e : layout.graph().edges())
      b.append("  n").append(e.from()).append(" -> n").append(e.to()).append(";\n");
    for (int g = 0; g < t.fusion.groups.length; g++) {
      FusedGroup fg = t.fusion.groups[g];
      b.append("  subgraph cluster_fused")
          .append(g + 1)
          .append(" {\n    label=\"fused group ")
          .append(g + 1)
          .append("\"; style=dashed;\n   ");
      for (int k = fg.first; k <= fg.lastStep(); k++)
        b.append(" n").append(layout.boxOfStep()[k]).append(';');
      b.append("\n  }\n");
    }
    return b.append("}\n").toString();
  }

  private static String dotShape(Kind kind) {
    return switch (kind) {
      case INPUT -> "shape=ellipse";
      case OP -> "shape=box";
      case BACKWARD_OP -> "shape=box, style=filled, fillcolor=\"#eeeeff\"";
      case EFFECT -> "shape=octagon";
      case GUARD -> "shape=diamond";
      case OUTPUT -> "shape=plaintext";
    };
  }

  private static String quoted(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
