package dev.autograd.core.compile;

import dev.autograd.core.Tensor;
import dev.autograd.core.ops.OpDef;

/**
 * The hooks through which eager code reports to a trace being recorded on the current thread.
 * Every hook is guarded at its call site by {@code if (Tracer.active)}: one read of a static
 * volatile field (a plain load on x86 and ARM), so eager code pays nothing else. The recorder is
 * per thread: ops run by other threads meanwhile are not recorded.
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
    r.depth++;
    try {
      y = def.forward(attrs, in);
    } finally {
      r.depth--;
    }
    r.step(def, attrs, in, y);
    return def.record(attrs, in, y); // saved values that a save rule computes are recorded as steps too
  }

  /** A tensor made by a public factory (zeros, scalar, of, ...): a constant of the trace. */
  public static Tensor constant(Tensor t) {
    Recorder r = top();
    if (r != null) r.constant(t);
    return t;
  }

  /** Every new tensor object: one made during the trace and not by a recorded op cannot be replayed. */
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
    if (r != null) r.unsupported(what + " reads a tensor's values into Java inside the compiled function (a replay would not);"
        + " use toBoolean() or item(), which are guarded");
  }

  /** An in-place write (add_, zero_, out= forms, optimizer updates). */
  public static void write(String what) {
    Recorder r = top();
    if (r != null) r.unsupported("the in-place write " + what + " inside the compiled function (in-place ops are not compiled yet)");
  }

  /** Something a trace cannot capture (a custom Function, backward(), retainGrad()). */
  public static void unsupported(String what) {
    Recorder r = top();
    if (r != null) r.unsupported(what);
  }

  /** The engine starts a backward pass: allowed only when it is the backward being traced. */
  public static void engineRun() {
    Recorder r = top();
    if (r != null && !r.backward) {
      r.unsupported("backward() or Autograd.grad() inside the compiled function (whole training steps are not compiled yet)");
    }
  }

  /** True while this thread traces a backward pass: the engine then never sums gradients in place. */
  public static boolean tracingBackward() {
    Recorder r = current();
    return r != null && r.backward;
  }

  /** True while this thread records a trace (a compiled function called inside it runs inline). */
  public static boolean tracing() {
    return current() != null;
  }
}
