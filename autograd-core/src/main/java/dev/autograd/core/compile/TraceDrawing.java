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
 * outputs.
 */
final class TraceDrawing {
  private TraceDrawing() {}

  static DrawnGraph of(Trace t) {
    List<Box> boxes = new ArrayList<>();
    List<Edge> edges = new ArrayList<>();
    Map<Integer, Integer> boxOfSlot = new HashMap<>();
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
      if (s.kind()
          == Step.Kind
              .EFFECT) { // a write: inputs flow into it, and it flows into the value it writes
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
    return new DrawnGraph(List.copyOf(boxes), List.copyOf(edges));
  }

  private static void link(List<Edge> edges, Map<Integer, Integer> boxOfSlot, int slot, int to) {
    Integer from = slot < 0 ? null : boxOfSlot.get(slot);
    if (from != null) edges.add(new Edge(from, to));
  }
}
