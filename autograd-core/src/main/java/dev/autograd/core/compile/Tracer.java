package dev.autograd.core.compile;

import dev.autograd.core.Tensor;
import dev.autograd.core.ops.OpDef;

/**
 * The hooks through which eager code reports to a trace being recorded on the current thread. Every
 * hook is guarded at its call site by {@code if (Tracer.active)}: one read of a static volatile
 * field (a plain load on x86 and ARM), so eager code pays nothing else. The recorder is per thread:
 * ops run by other threads meanwhile are not recorded.
 *
 * <p>Calls nested inside a recorded op (the ops a kernel, a compute rule or a derivative runs
 * internally) are not recorded: only what the traced function itself calls (depth 0).
 */
public final class Tracer {
  private Tracer() {}

  /** True while some thread records a trace. */
  public static volatile boolean active;

  private static final ThreadLocal<Recorder> CURRENT = new ThreadLocal<>();
  private static int recording; // guarded by Tracer.class

  static Recorder current() {
    return active ? CURRENT.get() : null;
  }

  static synchronized void begin(Recorder r) {
    CURRENT.set(r);
    recording++;
    active = true;
  }

  static synchronized void end() {
    CURRENT.remove();
    if (--recording == 0) active = false;
  }

  private static Recorder top() {
    Recorder r = CURRENT.get();
    return r != null && r.depth == 0 ? r : null;
  }

  /**
   * An op-table call: runs it and records it, or returns null when nothing records on this thread
   * (the caller then runs the op as usual).
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static Tensor op(OpDef def, Object attrs, Tensor[] in) {
    Recorder r = top();
    if (r == null || r.unusable != null) return null;
    Tensor y;
    if (!def.isView() && !def.hasKernel()) {
      y = composite(r, def, attrs, in);
    } else {
      r.depth++;
      try {
        y = def.forward(attrs, in);
      } finally {
        r.depth--;
      }
      r.step(def, attrs, in, y);
    }
    return def.record(
        attrs, in, y); // saved values that a save rule computes are recorded as steps too
  }

  /**
   * A composite entry (log_softmax, softmax, var, ...: a forward written with other ops) recorded
   * as the ops it runs, so that a replay runs them as kernels into planned buffers instead of
   * computing a fresh tensor. When a part cannot be traced (or branches on values), what it
   * recorded is forgotten and the entry becomes one step that computes its output on every replay.
   */
  private static Tensor composite(Recorder r, OpDef<Object> def, Object attrs, Tensor[] in) {
    Recorder.Mark mark = r.mark();
    Tensor y;
    try {
      y = def.forward(attrs, in);
    } catch (RuntimeException e) {
      r.rollBack(mark);
      throw e;
    }
    if (!r.inlined(mark, y)) {
      r.rollBack(mark);
      r.step(def, attrs, in, y);
    }
    return y;
  }

  /** A tensor made by a public factory (zeros, scalar, of, ...): a constant of the trace. */
  public static Tensor constant(Tensor t) {
    Recorder r = top();
    if (r != null) r.constant(t);
    return t;
  }

  /**
   * Every new tensor object: one made during the trace and not by a recorded op cannot be replayed.
   */
  public static void born(Tensor t) {
    Recorder r = CURRENT.get();
    if (r != null) r.born(t);
  }

  /** {@code detach()}: in a trace, {@code copy} holds {@code source}'s value. */
  public static void same(Tensor copy, Tensor source) {
    Recorder r = top();
    if (r != null) r.same(copy, source);
  }

  /** {@code Tensor.toBoolean()}: the predicate becomes a guard of the trace. */
  public static void guardBool(Tensor t, boolean value) {
    Recorder r = top();
    if (r != null) r.guard(t, false, value ? 1 : 0, "toBoolean()");
  }

  /** {@code Tensor.item()}: the trace is valid only for this exact value. */
  public static void guardItem(Tensor t, double value) {
    Recorder r = top();
    if (r != null) r.guard(t, true, value, "item()");
  }

  /** Values read out into Java ({@code toFloatArray()}, printing): a replay would not see them. */
  public static void read(Tensor t, String what) {
    Recorder r = top();
    if (r != null)
      r.unsupported(
          what
              + " reads a tensor's values into Java inside the compiled function (a replay would not);"
              + " use toBoolean() or item(), which are guarded");
  }

  /**
   * An in-place write that no {@link Effect} stands for (scatter_, index_put_, ...): a replay would
   * not perform it.
   */
  public static void write(String what) {
    Recorder r = top();
    if (r != null)
      r.unsupported(
          "the in-place write "
              + what
              + " inside the compiled function (this write is not traced)");
  }

  /**
   * An in-place write inside a traced function: records {@code e} on {@code in} ({@code in[0]} is
   * written) and runs it, returning true; false when nothing records on this thread (or the trace
   * cannot take it), and the caller then writes as usual.
   */
  public static boolean effect(Effect e, Tensor... in) {
    Recorder r = top();
    if (r == null || r.effect(e, in) == null) return false;
    r.depth++;
    try (dev.autograd.core.GradMode.Scope s =
        dev.autograd.core.GradMode.scope(false)) { // as on replay
      e.run(in, null);
    } finally {
      r.depth--;
    }
    return true;
  }

  /**
   * An in-place op about to give {@code t} a new history: allowed inside a trace only for values
   * the function computed (the history of an argument or a captured tensor is the caller's).
   */
  public static void rebase(Tensor t, String op) {
    Recorder r = top();
    if (r == null) return;
    Slot.Kind k = r.rootKind(t);
    if (k != Slot.Kind.STEP && k != Slot.Kind.CONST)
      r.unsupported(
          op
              + " on an argument or captured tensor that requires grad, recording history, inside the compiled function");
  }

  /**
   * {@code owner.grad()} returned {@code g} (maybe null): the trace reads that .grad afresh on
   * replay and guards on it being null or set.
   */
  public static void gradRead(Tensor owner, Tensor g) {
    Recorder r = top();
    if (r != null && !r.backward && !r.inline) r.gradRead(owner, g);
  }

  /**
   * {@code setGrad(null)} inside a traced function: recorded and performed; false when nothing
   * records here.
   */
  public static boolean clearGrad(Tensor owner) {
    return effect(Effects.ClearGrad.INSTANCE, owner);
  }

  /**
   * {@code backward()} called by the traced function itself: traced as the gradients of the leaves
   * it reaches plus their accumulation into {@code .grad} (true), or left to the engine (false)
   * when nothing records here or the trace cannot take it.
   */
  public static boolean backward(
      Tensor[] roots, Tensor[] grads, boolean retainGraph, boolean createGraph) {
    Recorder r = top();
    if (r == null || r.backward || r.inline || r.unusable != null) return false;
    if (createGraph) {
      r.unsupported("backward(createGraph) inside the compiled function");
      return false;
    }
    return InlineBackward.run(r, roots, grads, retainGraph);
  }

  /**
   * {@code Autograd.grad} called by the traced function itself: its steps are part of the trace.
   * Null when not traced here.
   */
  public static Tensor[] grad(
      Tensor[] outputs,
      Tensor[] inputs,
      Tensor[] gradOutputs,
      boolean retainGraph,
      boolean createGraph,
      boolean allowUnused) {
    Recorder r = top();
    if (r == null || r.backward || r.inline || r.unusable != null) return null;
    r.inline = true;
    r.ranBackward = true;
    try {
      return dev.autograd.core.engine.Engine.grad(
          outputs, inputs, gradOutputs, retainGraph, createGraph, allowUnused);
    } finally {
      r.inline = false;
    }
  }

  /**
   * A hook or a retained gradient met by a traced backward: its Java code would not run on replay.
   */
  public static void hooked() {
    Recorder r = current();
    if (r != null && (r.backward || r.inline))
      r.unsupported(
          "a gradient hook or retainGrad() met by the traced backward (its Java code is not traced)");
  }

  /** Something a trace cannot capture (a custom Function, backward(), retainGrad()). */
  public static void unsupported(String what) {
    Recorder r = top();
    if (r != null) r.unsupported(what);
  }

  /** The engine starts a backward pass: allowed only when it is the backward being traced. */
  public static void engineRun() {
    Recorder r = top();
    if (r != null && !r.backward && !r.inline) {
      r.unsupported(
          "backward() or Autograd.grad() inside the compiled function in a form that is not traced");
    }
  }

  /**
   * True while this thread traces a backward pass: the engine then never sums gradients in place.
   */
  public static boolean tracingBackward() {
    Recorder r = current();
    return r != null && (r.backward || r.inline);
  }

  /** True while this thread records a trace (a compiled function called inside it runs inline). */
  public static boolean tracing() {
    return current() != null;
  }
}
