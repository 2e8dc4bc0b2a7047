package dev.autograd.core.compile;

import dev.autograd.core.DType;
import dev.autograd.core.ops.BackwardOps;
import dev.autograd.core.ops.ElementwiseOps;
import dev.autograd.core.tensor.Shapes;
import java.util.Arrays;
import java.util.BitSet;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Which values of a fused forward run a fused backward run recomputes block by block instead of
 * reading them back (rematerialisation, as torch.compile's min-cut partitioner does): a value the
 * backward reads is recomputed when the ops that make it, from what the backward has at hand
 * (arguments, captured tensors, constants, values already chosen), cost less than writing it in the
 * forward and reading it back. A recomputed value runs the same kernels over the same block-aligned
 * ranges as the forward did, so it has the forward's bits: recomputing changes no number, only
 * memory traffic. {@code -Dautograd.compile.recompute=auto} (the default) decides by cost, {@code
 * true} recomputes whatever can be, {@code false} nothing (read when a trace is built).
 */
final class Recompute {
  private Recompute() {}

  /** How values are chosen. */
  enum Mode {
    AUTO,
    ALWAYS,
    NEVER
  }

  /** The mode {@code -Dautograd.compile.recompute} asks for. */
  static Mode mode() {
    String p = System.getProperty("autograd.compile.recompute", "auto");
    if ("true".equalsIgnoreCase(p)) return Mode.ALWAYS;
    if ("false".equalsIgnoreCase(p)) return Mode.NEVER;
    return Mode.AUTO;
  }

  /**
   * Nanoseconds per float32 element of memory traffic: one value written by the forward and read
   * back by the backward (a store that also reads the line, then a load: 12 bytes at ~40 GB/s), and
   * a value read once (4 bytes). Float64 costs twice as much, like its ops.
   */
  static final double SAVE_NS = 0.3, LOAD_NS = 0.1;

  /**
   * Nanoseconds per float32 element of each op over a block in cache (measured on the machines
   * here: KernelBench's ew_*_out rows; exp ~0.13); ops not listed cost {@link #CHEAP_NS}.
   */
  private static final Map<Object, Double> COST = new IdentityHashMap<>();

  private static final double CHEAP_NS = 0.02;

  static {
    Object[][] costs = {
      {ElementwiseOps.DIV, 0.05},
      {ElementwiseOps.SQRT, 0.05},
      {ElementwiseOps.RSQRT, 0.05},
      {ElementwiseOps.RECIPROCAL, 0.05},
      {ElementwiseOps.EXP, 0.13},
      {ElementwiseOps.EXPM1, 0.15},
      {ElementwiseOps.SIGMOID, 0.2},
      {ElementwiseOps.SILU, 0.2},
      {ElementwiseOps.LOG, 0.2},
      {ElementwiseOps.LOG1P, 0.25},
      {ElementwiseOps.TANH, 0.3},
      {ElementwiseOps.SIN, 0.4},
      {ElementwiseOps.COS, 0.4},
      {ElementwiseOps.TAN, 0.5},
      {ElementwiseOps.POW, 0.5},
      {ElementwiseOps.POW_TENSOR, 0.5},
      {ElementwiseOps.ATAN2, 0.5},
      {ElementwiseOps.SOFTPLUS, 0.5},
      {ElementwiseOps.ERF, 0.5},
      {ElementwiseOps.GELU, 0.5},
      {BackwardOps.TANH_BACKWARD, 0.03},
      {BackwardOps.SIGMOID_BACKWARD, 0.03}
    };
    for (Object[] c : costs) COST.put(c[0], (Double) c[1]);
  }

  /** The cost of step {@code s} per element, in float32 nanoseconds. */
  static double opCost(Step s) {
    return COST.getOrDefault(s.def(), CHEAP_NS);
  }

  /**
   * The forward steps, in order, that backward run {@code [b0, bEnd]} recomputes from forward run
   * {@code [f0, f1]}; {@code stored[k]} tells the forward values that keep a buffer anyway
   * (outputs, values read elsewhere), which cost only a load to read back; {@code written[s]} the
   * slots some step writes in place (never read by a recomputation: they may have changed since).
   */
  static int[] choose(
      Slot[] slots,
      Step[] steps,
      int f0,
      int f1,
      int b0,
      int bEnd,
      boolean[] stored,
      boolean[] written,
      Mode mode) {
    int m = f1 - f0 + 1;
    boolean[] needed = new boolean[m];
    for (int k = b0; k <= bEnd; k++) {
      for (int in : steps[k].in()) {
        int j = member(slots, in, f0, f1 + 1);
        if (j >= 0) needed[j] = true;
      }
    }
    double scale = steps[f0].dtype() == DType.FLOAT64 ? 2 : 1;
    BitSet chosen = new BitSet(m); // recomputed
    BitSet saved = new BitSet(m); // read back from the forward's buffer
    BitSet loaded = new BitSet(slots.length); // external values the chosen steps read
    BitSet[] cone = new BitSet[m]; // what recomputing each value would add to the chosen steps
    for (int i = 0; i < m; i++) {
      BitSet c = new BitSet(m);
      c.set(i);
      boolean ok = true;
      for (int in : steps[f0 + i].in()) {
        int j = member(slots, in, f0, f0 + i);
        if (j >= 0) {
          if (cone[j] == null && !saved.get(j)) ok = false;
          else if (!saved.get(j)) c.or(cone[j]);
        } else if (!external(slots, written, in)) {
          ok = false;
        }
      }
      c.andNot(chosen);
      cone[i] = ok ? c : null;
      if (!needed[i]) continue;
      double keep = (stored[f0 + i] ? LOAD_NS : SAVE_NS) * scale;
      if (ok
          && (mode == Mode.ALWAYS || cost(slots, steps, written, f0, c, loaded, scale) <= keep)) {
        chosen.or(c);
        for (int k = c.nextSetBit(0); k >= 0; k = c.nextSetBit(k + 1))
          for (int in : steps[f0 + k].in()) if (external(slots, written, in)) loaded.set(in);
        for (int j = 0; j <= i; j++) if (cone[j] != null) cone[j].andNot(chosen);
      } else {
        saved.set(i);
      }
    }
    return chosen.stream().map(i -> i + f0).toArray();
  }

  // the cost of running the steps of cone c, and of loading the external tensors they read that the
  // chosen steps do not read already
  private static double cost(
      Slot[] slots,
      Step[] steps,
      boolean[] written,
      int f0,
      BitSet c,
      BitSet loaded,
      double scale) {
    double ns = 0;
    BitSet reads = new BitSet(slots.length);
    for (int k = c.nextSetBit(0); k >= 0; k = c.nextSetBit(k + 1)) {
      Step s = steps[f0 + k];
      ns += opCost(s) * scale;
      for (int in : s.in())
        if (external(slots, written, in) && !loaded.get(in) && Shapes.numel(slots[in].shape()) > 1)
          reads.set(in);
    }
    return ns + reads.cardinality() * LOAD_NS * scale;
  }

  // a value a recomputation may read as it was in the forward: an argument or captured tensor
  // (version-checked before the backward), or a constant, that no step writes
  private static boolean external(Slot[] slots, boolean[] written, int in) {
    if (in < 0 || written[slots[in].root()]) return false;
    Slot.Kind k = slots[in].kind();
    return k == Slot.Kind.ARG || k == Slot.Kind.CAPTURED || k == Slot.Kind.CONST;
  }

  // the position in the forward run (from f0) of the step whose own value slot in is, when that
  // step is in [f0, end), else -1
  private static int member(Slot[] slots, int in, int f0, int end) {
    if (in < 0) return -1;
    Slot s = slots[in];
    if (s.kind() != Slot.Kind.STEP || s.root() != in) return -1;
    int k = s.index();
    return k >= f0 && k < end ? k - f0 : -1;
  }

  /** Steps as ranges for toString(): "0..3, 5, 7..8". */
  static String ranges(int[] steps) {
    StringBuilder b = new StringBuilder();
    int[] s = steps.clone();
    Arrays.sort(s);
    for (int i = 0; i < s.length; ) {
      int j = i;
      while (j + 1 < s.length && s[j + 1] == s[j] + 1) j++;
      if (b.length() > 0) b.append(", ");
      b.append(s[i]);
      if (j > i) b.append("..").append(s[j]);
      i = j + 1;
    }
    return b.toString();
  }
}
