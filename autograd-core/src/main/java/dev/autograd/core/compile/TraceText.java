package dev.autograd.core.compile;

import dev.autograd.core.tensor.Shapes;
import java.util.List;

/**
 * What was compiled, as text: the traces with their guards and steps, and why each was made (DOT is
 * {@link TraceDrawing#dot}).
 */
final class TraceText {
  private TraceText() {}

  static String describe(String name, List<Trace> traces) {
    StringBuilder b = new StringBuilder();
    b.append("CompiledFunction ")
        .append(name)
        .append(": ")
        .append(traces.size())
        .append(traces.size() == 1 ? " trace" : " traces");
    for (Trace t : traces) {
      b.append("\n\ntrace ")
          .append(t.number)
          .append(" (")
          .append(t.reason)
          .append("), replayed ")
          .append(t.replays.get())
          .append(" times");
      if (t.unusable != null)
        b.append("; runs eagerly after step ").append(t.unusableAt).append(": ").append(t.unusable);
      b.append("\n  guards: grad mode ").append(t.gradMode ? "on" : "off");
      for (int i = 0; i < t.argDtypes.length; i++) {
        b.append("; arg ")
            .append(i)
            .append(' ')
            .append(t.argDtypes[i].torchName())
            .append(Shapes.str(t.argShapes[i]));
        if (t.argRequiresGrad[i]) b.append(" requiresGrad");
      }
      for (Guard g : t.guards)
        b.append("\n  guard before step ")
            .append(g.at())
            .append(": %")
            .append(g.slot())
            .append('.')
            .append(g.describe());
      b.append("\n  ")
          .append(t.forwardSteps)
          .append(" forward steps, ")
          .append(t.backwardSteps())
          .append(" backward steps, ")
          .append(fusedSummary(t))
          .append(", ")
          .append(t.plan.sizes.size())
          .append(" buffers (")
          .append(t.plan.bytes())
          .append(" bytes per call)");
      for (int k = 0; k < t.steps.length; k++) {
        for (Trace.Backward bw : t.backwards) {
          if (k == bw.start())
            b.append("\n  backward of output ")
                .append(bw.output())
                .append(" (upstream gradient %")
                .append(bw.upstreamSlot())
                .append("):");
        }
        int group = t.fusion.groupAt[k];
        if (group >= 0) b.append("\n    ").append(t.fusion.describe(group)).append(':');
        b.append("\n    ").append(t.fusion.groupOf[k] >= 0 ? "  " : "").append(step(t, k));
      }
      b.append("\n  outputs:");
      for (int s : t.outputSlots) b.append(" %").append(s);
      for (Trace.Backward bw : t.backwards) {
        b.append("\n  gradients from output ").append(bw.output()).append(':');
        for (int j = 0; j < bw.gradSlots().length; j++)
          b.append(" d%").append(bw.targetSlots()[j]).append(" = %").append(bw.gradSlots()[j]);
      }
    }
    return b.toString();
  }

  private static String step(Trace t, int k) {
    Step s = t.steps[k];
    StringBuilder b = new StringBuilder();
    if (s.kind() == Step.Kind.EFFECT) b.append("in place: ");
    else b.append('%').append(s.out()).append(" = ");
    b.append(s.name()).append('(');
    for (int i = 0; i < s.in().length; i++) {
      if (i > 0) b.append(", ");
      b.append(s.in()[i] < 0 ? "null" : value(t, s.in()[i]));
    }
    b.append(')');
    String attrs = s.kind() == Step.Kind.EFFECT ? "" : attrs(s.attrs());
    if (!attrs.isEmpty()) b.append(" [").append(attrs).append(']');
    b.append(" : ").append(s.dtype().torchName()).append(Shapes.str(s.shape()));
    boolean planned =
        k < t.plan.bufferOfStep.length; // an unusable trace (runs eagerly) may stop planning early
    if (!planned && (s.kind() == Step.Kind.EFFECT || s.kind() == Step.Kind.KERNEL))
      b.append(" (not planned: this path runs eagerly)");
    else if (s.kind() == Step.Kind.EFFECT)
      b.append(s.out() >= 0 ? " (buffer " + t.plan.bufferOfStep[k] + " when .grad is null)" : "");
    else if (s.kind() != Step.Kind.KERNEL)
      b.append(s.kind() == Step.Kind.VIEW ? " (view)" : " (computed, allocates)");
    else if (t.fusion.internal[k]) b.append(" -> block register (no buffer)");
    else if (k < t.sgdCovers.length && t.sgdCovers[k] > 0)
      b.append(" -> one pass with the next ").append(t.sgdCovers[k] - 1).append(" (SGD update)");
    else if (k < t.accumulatedBy.length && t.accumulatedBy[k] >= 0)
      b.append(" -> straight into .grad at step ").append(t.accumulatedBy[k]);
    else if (t.freshOutput[k]) b.append(" -> fresh tensor");
    else b.append(" -> buffer ").append(t.plan.bufferOfStep[k]);
    return b.toString();
  }

  private static String fusedSummary(Trace t) {
    int groups = t.fusion.groups.length;
    if (groups == 0)
      return Fusion.enabled() || t.unusable != null
          ? "no fused groups"
          : "fusion off (-Dautograd.compile.fuse=false)";
    int ops = 0, internal = 0;
    for (FusedGroup g : t.fusion.groups) ops += g.lastStep() - g.first + 1;
    for (boolean i : t.fusion.internal) if (i) internal++;
    return groups
        + (groups == 1 ? " fused group (" : " fused groups (")
        + ops
        + " steps, "
        + internal
        + " intermediates never written to memory)";
  }

  static String value(Trace t, int slot) {
    Slot s = t.slots[slot];
    return switch (s.kind()) {
      case ARG -> "arg" + s.index();
      case CAPTURED -> "captured" + s.index() + Shapes.str(s.shape());
      case CONST ->
          s.shape().length == 0 ? "const " + s.source().item() : "const" + Shapes.str(s.shape());
      case UPSTREAM -> "upstream";
      case STEP -> "%" + slot;
      case GRAD -> value(t, s.index()) + ".grad";
    };
  }

  private static String attrs(Object a) {
    return a == null ? "" : attr(a);
  }

  // records among the attributes may hold arrays (a reduction's dims): print them by content
  private static String attr(Object a) {
    if (a == null) return "null";
    if (a instanceof Object[] objs) {
      StringBuilder b = new StringBuilder("[");
      for (int i = 0; i < objs.length; i++) b.append(i == 0 ? "" : ", ").append(attr(objs[i]));
      return b.append(']').toString();
    }
    if (a.getClass().isArray()) { // a primitive array: deepToString prints it as the one element
      String wrapped = java.util.Arrays.deepToString(new Object[] {a});
      return wrapped.substring(1, wrapped.length() - 1);
    }
    if (a.getClass().isRecord()) {
      StringBuilder b = new StringBuilder(a.getClass().getSimpleName()).append('[');
      java.lang.reflect.RecordComponent[] cs = a.getClass().getRecordComponents();
      for (int i = 0; i < cs.length; i++) {
        b.append(i == 0 ? "" : ", ").append(cs[i].getName()).append('=');
        try {
          cs[i].getAccessor().setAccessible(true);
          b.append(attr(cs[i].getAccessor().invoke(a)));
        } catch (ReflectiveOperationException | RuntimeException e) {
          return String.valueOf(a);
        }
      }
      return b.append(']').toString();
    }
    return String.valueOf(a);
  }

  static String explain(String name, List<Trace> traces, int maxTraces) {
    StringBuilder b =
        new StringBuilder(name)
            .append(": ")
            .append(traces.size())
            .append(" of at most ")
            .append(maxTraces)
            .append(" traces");
    for (Trace t : traces) {
      b.append("\ntrace ").append(t.number).append(": ").append(t.reason);
      for (Guard g : t.guards) {
        if (g.exact())
          b.append("; specialized to item() == ")
              .append(g.expected())
              .append(g.site() == null ? "" : " at " + g.site());
      }
      if (t.unusable != null) b.append("; runs eagerly: ").append(t.unusable);
      else b.append("; ").append(fusedSummary(t));
      if (t.unstable != null) b.append("; runs eagerly: ").append(t.unstable);
      else if (!t.settled)
        b.append(
            "; writes what outlives the call: replays once a second recording of this path agrees");
      else if (t.persistent)
        b.append("; writes what outlives the call (settled by a second, equal recording)");
    }
    return b.toString();
  }
}
