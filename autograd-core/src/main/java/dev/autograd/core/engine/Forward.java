package dev.autograd.core.engine;

import dev.autograd.core.Tensor;
import dev.autograd.core.ops.OpDef;
import java.util.Arrays;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Forward-mode AD (PyTorch's {@code torch.autograd.forward_ad}): the dual level open on this
 * thread, the tangents it holds, and the propagation of tangents through op-table entries.
 *
 * <p>A level keeps its tangents in a weak identity map (tensors do not override {@code equals}), so
 * closing the level drops every tangent at once, as PyTorch clears a level's forward gradients when
 * it exits. Tangent rules run with forward mode suspended: they are written with primal values, so
 * they never compute tangents of tangents, yet they record reverse-mode history like any other op
 * (reverse-over-forward).
 */
public final class Forward {
  private Forward() {}

  /**
   * Dual levels open on any thread. {@code OpDef.call} reads only this while no level is open (one
   * volatile read, as the tracer's flag).
   */
  public static volatile int openLevels;

  /** One dual level: its tangents, keyed by tensor identity, held weakly. */
  public static final class Level {
    private final Map<Tensor, Tensor> tangents = new WeakHashMap<>();
    private boolean open = true;

    /** True until the level's scope is closed. */
    public boolean isOpen() {
      return open;
    }
  }

  private static final class State {
    Level level;
    int suspended;
  }

  private static final ThreadLocal<State> STATE = ThreadLocal.withInitial(State::new);

  private static synchronized void count(int delta) {
    openLevels += delta;
  }

  /**
   * Opens this thread's level; a second one while it is open is PyTorch's error (no nesting in
   * 1.13).
   */
  public static Level enter() {
    State s = STATE.get();
    if (s.level != null)
      throw new IllegalStateException("Nested forward mode AD is not supported at the moment");
    Level l = new Level();
    s.level = l;
    count(1);
    return l;
  }

  /** Closes {@code l}, dropping its tangents; it must be this thread's open level. */
  public static void exit(Level l) {
    State s = STATE.get();
    if (!l.open) return; // closing twice is harmless
    if (s.level != l) {
      throw new IllegalStateException(
          "Trying to exit a forward AD level that was not the last one that was created, or on another thread. This is not supported.");
    }
    l.open = false;
    l.tangents.clear();
    s.level = null;
    count(-1);
  }

  /** This thread's open level, or null. */
  public static Level level() {
    return openLevels == 0 ? null : STATE.get().level;
  }

  /** The tangent of {@code t} at this thread's level, or null. */
  public static Tensor tangent(Tensor t) {
    if (openLevels == 0 || t == null) return null;
    Level l = STATE.get().level;
    return l == null ? null : l.tangents.get(t);
  }

  /** Sets (or with null, removes) the tangent of {@code t} at level {@code l}. */
  public static void setTangent(Level l, Tensor t, Tensor tangent) {
    if (tangent == null) l.tangents.remove(t);
    else l.tangents.put(t, tangent);
  }

  /** A scope in which ops compute no tangents (tangent rules, composite forwards). */
  public static final class Suspended implements AutoCloseable {
    private final State state;

    private Suspended(State state) {
      this.state = state;
      state.suspended++;
    }

    @Override
    public void close() {
      state.suspended--;
    }
  }

  /** Suspends tangent propagation on this thread until the scope is closed. */
  public static Suspended suspend() {
    return new Suspended(STATE.get());
  }

  /**
   * {@code def} on {@code in} while some level is open: the op as usual, and when an input has a
   * tangent at this thread's level, the output's tangent from the entry's rule.
   */
  public static <A> Tensor call(OpDef<A> def, A attrs, Tensor[] in) {
    State s = STATE.get();
    Level l = s.level;
    Tensor[] ts = null;
    if (l != null && s.suspended == 0 && def.isDifferentiable()) {
      for (int i = 0; i < in.length; i++) {
        Tensor t = in[i] == null || def.isConstantInput(i) ? null : l.tangents.get(in[i]);
        if (t == null) continue;
        if (ts == null) ts = new Tensor[in.length];
        ts[i] = t;
      }
    }
    if (ts == null) return def.record(attrs, in, def.forward(attrs, in));
    s.suspended++;
    try {
      Tensor y = def.record(attrs, in, def.forward(attrs, in));
      OpDef.Tangent<A> rule = def.tangent();
      if (rule == null) {
        throw new NoTangentRule(
            "Trying to use forward AD with "
                + def.opName()
                + " ("
                + def.nodeName()
                + ") that does not support it because it has not been implemented yet.");
      }
      Tensor t = rule.apply(ts, in, y, attrs);
      if (t != null && y.dtype().isFloatingPoint()) setTangent(l, y, fit(t, y));
      return y;
    } finally {
      s.suspended--;
    }
  }

  /**
   * A tangent in its primal's shape and dtype (a broadcast operand's tangent is expanded and
   * copied).
   */
  public static Tensor fit(Tensor t, Tensor primal) {
    if (t.dtype() != primal.dtype()) t = t.to(primal.dtype());
    if (!Arrays.equals(t.shapeRef(), primal.shapeRef()))
      t = t.expand(primal.shapeRef()).contiguous();
    return t;
  }

  /**
   * True when some tensor of {@code ts} has a tangent at this thread's level (and tangents
   * propagate).
   */
  public static boolean anyTangent(Tensor... ts) {
    if (openLevels == 0) return false;
    State s = STATE.get();
    if (s.level == null || s.suspended > 0) return false;
    for (Tensor t : ts) if (t != null && s.level.tangents.containsKey(t)) return true;
    return false;
  }

  /**
   * After an in-place op wrote {@code result} into {@code self}: self's tangent becomes result's
   * (zero when result has none), written into self's existing tangent so that views sharing it see
   * the change; a view without a tangent gets a view of its base's tangent (made zero first when
   * the base has none), as PyTorch's in-place ops on dual views do.
   */
  public static void inPlace(Tensor self, Tensor result) {
    if (openLevels == 0) return;
    State s = STATE.get();
    Level l = s.level;
    if (l == null || s.suspended > 0) return;
    Tensor rt = l.tangents.get(result), st = l.tangents.get(self);
    if (rt == null && st == null) return;
    s.suspended++;
    try {
      if (rt == null) rt = Tensor.zeros(self.dtype(), self.shapeRef());
      else rt = fit(rt, self);
      if (st == null) st = viewOfBaseTangent(l, self);
      if (st == null || (st.isLeaf() && st.requiresGrad())) {
        setTangent(
            l, self, rt); // nothing shares it (or it is a leaf the user differentiates): replace it
      } else {
        st.copy_(rt); // in place (recorded when it needs grad), so views of the tangent see it
      }
    } finally {
      s.suspended--;
    }
  }

  // a view's tangent as the same view of its base's tangent, or null when the layouts differ
  private static Tensor viewOfBaseTangent(Level l, Tensor self) {
    Tensor base = self.base();
    if (base == null || !base.isContiguous() || !base.dtype().isFloatingPoint()) return null;
    Tensor bt = l.tangents.get(base);
    if (bt == null) {
      bt = Tensor.zeros(base.dtype(), base.shapeRef());
      setTangent(l, base, bt);
    }
    if (!bt.isContiguous()) return null;
    Tensor vt =
        dev.autograd.core.internal.SharedSecrets.tensors()
            .viewOf(
                bt,
                bt.storageOffset() + self.storageOffset() - base.storageOffset(),
                self.shape(),
                self.stride());
    setTangent(l, self, vt);
    return vt;
  }
}
