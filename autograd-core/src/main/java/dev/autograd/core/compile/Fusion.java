package dev.autograd.core.compile;

import dev.autograd.core.DType;
import dev.autograd.core.kernels.BinaryOp;
import dev.autograd.core.kernels.UnaryOp;
import dev.autograd.core.ops.ElementwiseOps;
import dev.autograd.core.ops.Movement;
import dev.autograd.core.ops.Reductions;
import dev.autograd.core.tensor.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which steps of a trace run fused: maximal runs of consecutive element-wise kernel steps (unary,
 * binary, clamp, and the clamp/relu/tanh/sigmoid backward kernels of {@link FusedKernels}) of one
 * floating dtype and shape, in one phase and with no guard between them, whose operands are laid
 * out like the output, single values, or contiguous tensors broadcast along some dims; optionally
 * ended by a {@code sum} or {@code mean} of one of their values, of all elements or over trailing
 * dims. A replay runs each run as one {@link FusedGroup}: one pass over memory in blocks. A value
 * only the run itself reads is "internal": it lives in a block-sized scratch array and gets no
 * buffer. {@code -Dautograd.compile.fuse=false} turns fusion off (every step then runs its own
 * kernel, bit-identical to eager).
 */
final class Fusion {
  /** The groups, in step order. */
  final FusedGroup[] groups;

  /** Per step: the group it starts, else -1. */
  final int[] groupAt;

  /** Per step: true for the steps of a group after its first (the group runs them). */
  final boolean[] skipped;

  /** Per step: true when its output never gets a buffer (it lives in a group's scratch only). */
  final boolean[] internal;

  /** Per step: the group that runs it, else -1. */
  final int[] groupOf;

  private static final Map<Object, UnaryOp> UNARY = new IdentityHashMap<>();
  private static final Map<Object, BinaryOp> BINARY = new IdentityHashMap<>();

  static {
    Object[][] unary = {
      {ElementwiseOps.NEG, UnaryOp.NEG},
      {ElementwiseOps.EXP, UnaryOp.EXP},
      {ElementwiseOps.LOG, UnaryOp.LOG},
      {ElementwiseOps.LOG1P, UnaryOp.LOG1P},
      {ElementwiseOps.EXPM1, UnaryOp.EXPM1},
      {ElementwiseOps.SQRT, UnaryOp.SQRT},
      {ElementwiseOps.RSQRT, UnaryOp.RSQRT},
      {ElementwiseOps.ABS, UnaryOp.ABS},
      {ElementwiseOps.SIN, UnaryOp.SIN},
      {ElementwiseOps.COS, UnaryOp.COS},
      {ElementwiseOps.TAN, UnaryOp.TAN},
      {ElementwiseOps.TANH, UnaryOp.TANH},
      {ElementwiseOps.SIGMOID, UnaryOp.SIGMOID},
      {ElementwiseOps.RELU, UnaryOp.RELU},
      {ElementwiseOps.LEAKY_RELU, UnaryOp.LEAKY_RELU},
      {ElementwiseOps.RECIPROCAL, UnaryOp.RECIPROCAL},
      {ElementwiseOps.SQUARE, UnaryOp.SQUARE},
      {ElementwiseOps.POW, UnaryOp.POW},
      {ElementwiseOps.SOFTPLUS, UnaryOp.SOFTPLUS},
      {ElementwiseOps.ERF, UnaryOp.ERF},
      {ElementwiseOps.GELU, UnaryOp.GELU},
      {ElementwiseOps.SILU, UnaryOp.SILU},
      {ElementwiseOps.SIGN, UnaryOp.SIGN},
      {ElementwiseOps.FLOOR, UnaryOp.FLOOR},
      {ElementwiseOps.CEIL, UnaryOp.CEIL},
      {ElementwiseOps.ROUND, UnaryOp.ROUND}
    };
    for (Object[] e : unary) UNARY.put(e[0], (UnaryOp) e[1]);
    Object[][] binary = {
      {ElementwiseOps.ADD, BinaryOp.ADD},
      {ElementwiseOps.SUB, BinaryOp.SUB},
      {ElementwiseOps.MUL, BinaryOp.MUL},
      {ElementwiseOps.DIV, BinaryOp.DIV},
      {ElementwiseOps.MAXIMUM, BinaryOp.MAX},
      {ElementwiseOps.MINIMUM, BinaryOp.MIN},
      {ElementwiseOps.POW_TENSOR, BinaryOp.POW},
      {ElementwiseOps.ATAN2, BinaryOp.ATAN2}
    };
    for (Object[] e : binary) BINARY.put(e[0], (BinaryOp) e[1]);
  }

  /** True unless {@code -Dautograd.compile.fuse=false} (read when a trace is built). */
  static boolean enabled() {
    return !"false".equalsIgnoreCase(System.getProperty("autograd.compile.fuse", "true"));
  }

  /**
   * Per group: a forward group and the backward group after it as one block program (see {@link
   * #aheadGroup}), run in the forward instead of the group alone, else null.
   */
  final FusedGroup[] ahead;

  /** Per group with an {@link #ahead} program: the backward group it runs ahead, else -1. */
  final int[] aheadOf;

  /** No fusion: every step runs on its own. */
  static Fusion none(int steps) {
    return new Fusion(new FusedGroup[0], new FusedGroup[0], new int[0], steps);
  }

  private Fusion(FusedGroup[] groups, FusedGroup[] ahead, int[] aheadOf, int steps) {
    this.groups = groups;
    this.ahead = ahead;
    this.aheadOf = aheadOf;
    groupAt = new int[steps];
    Arrays.fill(groupAt, -1);
    skipped = new boolean[steps];
    internal = new boolean[steps];
    groupOf = new int[steps];
    Arrays.fill(groupOf, -1);
    for (int g = 0; g < groups.length; g++) {
      FusedGroup fg = groups[g];
      groupAt[fg.first] = g;
      for (int k = fg.first; k <= fg.lastStep(); k++) groupOf[k] = g;
      for (int k = fg.first + 1; k <= fg.lastStep(); k++) skipped[k] = true;
      for (int i = fg.recomputed; i < fg.members.length; i++)
        internal[fg.members[i]] = fg.register[i] != FusedGroup.WRITTEN;
    }
  }

  /**
   * Plans the groups of a trace. {@code phase} tells forward (-1) and each backward apart; {@code
   * guardAt} marks the steps a guard is checked before; {@code external} marks the slots read
   * outside the steps (outputs, returned gradients, guards).
   */
  static Fusion plan(
      Slot[] slots,
      Step[] steps,
      int[] phase,
      boolean[] guardAt,
      boolean[] external,
      boolean[] fresh,
      int[][] argStrides) {
    int n = steps.length;
    List<int[]> runs = new ArrayList<>(); // {first, last, reduce}
    int k = 0;
    while (k < n) {
      if (!elementwise(steps[k]) || !operandsFit(slots, steps, k, k, argStrides)) {
        k++;
        continue;
      }
      int start = k;
      k++;
      while (k < n
          && phase[k] == phase[start]
          && !guardAt[k]
          && elementwise(steps[k])
          && sameLayout(steps[k], steps[start])
          && operandsFit(slots, steps, k, start, argStrides)) {
        k++;
      }
      int reduce = -1;
      if (k < n
          && phase[k] == phase[start]
          && !guardAt[k]
          && closingReduction(slots, steps, k, start)) reduce = k++;
      if (k - start >= 2) runs.add(new int[] {start, reduce >= 0 ? reduce - 1 : k - 1, reduce});
    }
    // a backward run that reads values of one forward run recomputes those that cost less to
    // recompute than to write and read back (Recompute)
    int[][] recompute = new int[runs.size()][];
    int[] runOf = new int[n];
    Arrays.fill(runOf, -1);
    for (int j = 0; j < runs.size(); j++) {
      int[] r = runs.get(j);
      for (int s = r[0]; s <= end(r); s++) runOf[s] = j;
    }
    Recompute.Mode mode = Recompute.mode();
    boolean[] written = writtenInPlace(slots, steps);
    for (int j = 0; j < runs.size(); j++) {
      int[] b = runs.get(j);
      recompute[j] = new int[0];
      if (mode == Recompute.Mode.NEVER || phase[b[0]] < 0) continue;
      int[] f = forwardSource(slots, steps, runs, phase, b);
      if (f == null) continue;
      boolean[] stored = storedAnyway(slots, steps, f, b, external, fresh);
      recompute[j] =
          Recompute.choose(slots, steps, f[0], f[1], b[0], end(b), stored, written, mode);
    }
    // a read of a forward value by a step of a backward run that recomputes that value needs no
    // buffer
    java.util.function.BiPredicate<Integer, Integer> recomputed =
        (reader, producer) ->
            runOf[reader] >= 0 && Arrays.binarySearch(recompute[runOf[reader]], producer) >= 0;
    // operands read flat, or gathered by their strides (Fusion.gatherable)
    boolean[] strided = new boolean[slots.length];
    for (int s = 0; s < slots.length; s++) strided[s] = !flat(slots, steps, s, argStrides);
    FusedGroup[] groups = new FusedGroup[runs.size()];
    for (int j = 0; j < groups.length; j++) {
      int[] r = runs.get(j);
      groups[j] =
          FusedGroup.build(
              slots,
              steps,
              recompute[j],
              r[0],
              r[1],
              r[2],
              external,
              fresh,
              recomputed,
              strided,
              UNARY,
              BINARY);
    }
    FusedGroup[] ahead = new FusedGroup[groups.length];
    int[] aheadOf = new int[groups.length];
    Arrays.fill(aheadOf, -1);
    for (int j = 0; j < groups.length; j++) {
      if (recompute[j].length == 0) continue;
      int[] b = runs.get(j);
      int[] f = forwardSource(slots, steps, runs, phase, b);
      int jf = runs.indexOf(f);
      if (jf < 0 || ahead[jf] != null) continue;
      if (!aheadGroup(slots, steps, f, b, groups[jf], groups[j], written, fresh)) continue;
      int[] all = new int[f[1] - f[0] + 1];
      for (int i = 0; i < all.length; i++) all[i] = f[0] + i;
      ahead[jf] =
          FusedGroup.build(
              slots,
              steps,
              all,
              b[0],
              b[1],
              f[2],
              external,
              fresh,
              recomputed,
              strided,
              UNARY,
              BINARY);
      aheadOf[jf] = j;
    }
    return new Fusion(groups, ahead, aheadOf, n);
  }

  /**
   * Whether backward group {@code bg} can run in the same pass as forward group {@code fg}, during
   * the forward, with an upstream gradient of 1 (what {@code loss.backward()} passes): fg ends in a
   * full {@code sum} and writes no value (so bg recomputes what it reads of it), bg has no
   * reduction of its own, writes only fresh gradients (buffers planned for later steps could be in
   * use in between), and reads besides fg's values only arguments, captured tensors and constants
   * that no step writes, and the upstream gradient as one value. A backward whose upstream gradient
   * is exactly 1 then takes those gradients (the same bits: the same program with the same values);
   * any other runs the backward group as usual.
   */
  private static boolean aheadGroup(
      Slot[] slots,
      Step[] steps,
      int[] f,
      int[] b,
      FusedGroup fg,
      FusedGroup bg,
      boolean[] written,
      boolean[] fresh) {
    if (f[2] < 0
        || (Object) steps[f[2]].def() != Reductions.SUM
        || steps[f[2]].shape().length != 0
        || b[2] >= 0) return false;
    for (int r : fg.register) if (r == FusedGroup.WRITTEN) return false;
    for (int i = bg.recomputed; i < bg.members.length; i++)
      if (bg.register[i] == FusedGroup.WRITTEN && !fresh[bg.members[i]]) return false;
    for (int e : bg.externalSlots) {
      Slot.Kind kind = slots[e].kind();
      boolean input =
          (kind == Slot.Kind.ARG || kind == Slot.Kind.CAPTURED || kind == Slot.Kind.CONST)
              && !written[slots[e].root()];
      if (!input && !upstream(slots, steps, e)) return false;
    }
    return true;
  }

  /**
   * True for an upstream gradient of one value, or views of it (a sum's gradient: the upstream
   * reshaped to [1] and expanded).
   */
  static boolean upstream(Slot[] slots, Step[] steps, int s) {
    for (int hops = 0; hops < 8; hops++) {
      Slot slot = slots[s];
      if (slot.kind() == Slot.Kind.UPSTREAM) return FusedGroup.isScalar(slot);
      if (slot.kind() != Slot.Kind.STEP || slot.index() >= steps.length) return false;
      Step v = steps[slot.index()];
      if (v.kind() != Step.Kind.VIEW || v.in().length != 1 || v.in()[0] < 0) return false;
      s = v.in()[0];
      if (!FusedGroup.isScalar(slots[s])) return false;
    }
    return false;
  }

  /** The line toString() shows for group {@code g}. */
  String describe(int g) {
    String line = groups[g].describe(g + 1);
    return aheadOf[g] < 0
        ? line
        : line
            + "; runs the backward of group "
            + (aheadOf[g] + 1)
            + " in the same pass, taken when the upstream gradient is 1";
  }

  /**
   * The forward run (first, last) whose values backward run {@code b} reads, when there is exactly
   * one and it is of b's dtype and shape; else null.
   */
  private static int[] forwardSource(
      Slot[] slots, Step[] steps, List<int[]> runs, int[] phase, int[] b) {
    int[] source = null;
    for (int k = b[0]; k <= end(b); k++) {
      for (int in : steps[k].in()) {
        if (in < 0 || slots[in].kind() != Slot.Kind.STEP) continue;
        int producer = slots[in].index();
        if (producer >= steps.length || phase[producer] >= 0 || slots[in].root() != in) continue;
        int[] f = null;
        for (int[] r : runs) if (producer >= r[0] && producer <= r[1]) f = r;
        if (f == null) continue;
        if (source != null && source != f) return null;
        source = f;
      }
    }
    return source == null || !sameLayout(steps[source[0]], steps[b[0]]) ? null : source;
  }

  // the last step of a run: its closing reduction, else its last element-wise step
  private static int end(int[] run) {
    return run[2] >= 0 ? run[2] : run[1];
  }

  /**
   * Per step: the forward values of run {@code f} that keep a buffer whatever a backward run {@code
   * b} does: outputs, gradients, guarded values, and values read by steps outside both runs.
   */
  private static boolean[] storedAnyway(
      Slot[] slots, Step[] steps, int[] f, int[] b, boolean[] external, boolean[] fresh) {
    boolean[] stored = new boolean[steps.length];
    for (int k = f[0]; k <= f[1]; k++) stored[k] = external[steps[k].out()] || fresh[k];
    for (int k = 0; k < steps.length; k++) {
      if ((k >= f[0] && k <= end(f)) || (k >= b[0] && k <= end(b))) continue;
      for (int in : steps[k].in()) {
        if (in < 0 || slots[in].kind() != Slot.Kind.STEP) continue;
        int p = slots[slots[in].root()].index();
        if (slots[slots[in].root()].kind() == Slot.Kind.STEP && p >= f[0] && p <= f[1])
          stored[p] = true;
      }
    }
    return stored;
  }

  // per slot: true when some step writes it (or a view of it) in place
  private static boolean[] writtenInPlace(Slot[] slots, Step[] steps) {
    boolean[] w = new boolean[slots.length];
    for (Step s : steps)
      if (s.kind() == Step.Kind.EFFECT && s.in().length > 0 && s.in()[0] >= 0)
        w[slots[s.in()[0]].root()] = true;
    return w;
  }

  /**
   * Slots a group reads that a backward must version-check: arguments and captured tensors read by
   * its recomputed forward steps.
   */
  int[] recomputedInputs(Slot[] slots, Step[] steps, int group) {
    FusedGroup g = groups[group];
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < g.recomputed; i++) {
      for (int in : steps[g.members[i]].in()) {
        Slot.Kind kind = slots[in].kind();
        if ((kind == Slot.Kind.ARG || kind == Slot.Kind.CAPTURED) && !out.contains(in)) out.add(in);
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  private static boolean elementwise(Step s) {
    if (s.kind() != Step.Kind.KERNEL || (s.dtype() != DType.FLOAT32 && s.dtype() != DType.FLOAT64))
      return false;
    if (Shapes.numel(s.shape()) < 2) return false; // one value: eager runs the plain-Java kernel
    Object def = s.def();
    return UNARY.containsKey(def) || BINARY.containsKey(def) || FusedKernels.of(s) != null;
  }

  private static boolean sameLayout(Step a, Step b) {
    return a.dtype() == b.dtype() && Arrays.equals(a.shape(), b.shape());
  }

  // every input is a value of the group so far, a contiguous tensor shaped like the output, or a
  // single value (binary ops only)
  private static boolean operandsFit(
      Slot[] slots, Step[] steps, int k, int start, int[][] argStrides) {
    Step s = steps[k];
    FusedKernels.Op special = FusedKernels.of(s); // contiguous operands of the output's shape only
    boolean unary = special != null ? !special.binary() : UNARY.containsKey(s.def());
    if (s.in().length != (unary ? 1 : 2)) return false;
    for (int in : s.in()) {
      if (in < 0) return false;
      Slot slot = slots[in];
      if (slot.dtype() != s.dtype()) return false;
      if (FusedGroup.isScalar(slot)) {
        if (unary || special != null) return false;
        continue;
      }
      if (!Arrays.equals(slot.shape(), s.shape())) {
        // a contiguous operand broadcast along some dims (a bias row, a column): copied into a
        // block register per block, in runs along the last dim, so not for short last dims
        if (unary
            || special != null
            || !broadcastsTo(slot.shape(), s.shape())
            || s.shape()[s.shape().length - 1] < MIN_BROADCAST_RUN
            || !flat(slots, steps, in, argStrides)) return false;
        continue;
      }
      if (slot.kind() == Slot.Kind.STEP && slot.index() >= start && slot.index() < k)
        continue; // a value of the group
      if (flat(slots, steps, in, argStrides)) continue;
      if (special != null) return false;
      int source = expandSource(slots, steps, in);
      if (broadcastSingle(slots, steps, in)) continue;
      if (source < 0 && exact(s) && gatherable(slots, steps, in)) continue;
      if (source < 0
          || Arrays.equals(slots[source].shape(), s.shape())
          || !broadcastsTo(slots[source].shape(), s.shape())
          || s.shape()[s.shape().length - 1] < MIN_BROADCAST_RUN) return false;
    }
    return true;
  }

  /**
   * Ops whose strided eager kernels give the bits of the vector kernels a group runs (correctly
   * rounded arithmetic): only these read gathered operands. Eager's {@code exp} or {@code sigmoid}
   * of a transposed tensor takes another path than of a flat one, off by an ulp here and there.
   */
  private static boolean exact(Step s) {
    BinaryOp b = BINARY.get(s.def());
    UnaryOp u = UNARY.get(s.def());
    return b == BinaryOp.ADD
        || b == BinaryOp.SUB
        || b == BinaryOp.MUL
        || b == BinaryOp.DIV
        || u == UnaryOp.NEG
        || u == UnaryOp.ABS;
  }

  /**
   * An operand of the output's shape that is not flat but can be gathered by its strides per block:
   * an argument (its strides guarded), a captured tensor, or a view (a transpose, a slice) made
   * before the group.
   */
  private static boolean gatherable(Slot[] slots, Step[] steps, int s) {
    Slot slot = slots[s];
    return switch (slot.kind()) {
      case ARG, CAPTURED -> true;
      case STEP ->
          slot.index() < steps.length
              && steps[slot.index()].kind() == Step.Kind.VIEW
              && (Object) steps[slot.index()].def() != Movement.EXPAND;
      default -> false;
    };
  }

  /** The shortest last dim over which broadcast operands fuse (shorter runs cost more to copy). */
  static final int MIN_BROADCAST_RUN = 16;

  // right-aligned, each dim equal or 1, no more dims than the output
  private static boolean broadcastsTo(int[] from, int[] to) {
    if (from.length > to.length) return false;
    for (int d = 0; d < from.length; d++) {
      int f = from[d], t = to[to.length - from.length + d];
      if (f != t && f != 1) return false;
    }
    return true;
  }

  // a value read whole from memory: contiguous as traced (and checked again on every replay)
  private static boolean flat(Slot[] slots, Step[] steps, int s, int[][] argStrides) {
    Slot slot = slots[s];
    return switch (slot.kind()) {
      case ARG -> Arrays.equals(argStrides[slot.index()], Shapes.contiguousStrides(slot.shape()));
      case CAPTURED, CONST -> slot.source() != null && slot.source().isContiguous();
      case STEP -> slot.index() < steps.length && steps[slot.index()].kind() == Step.Kind.KERNEL;
      case UPSTREAM -> true; // a replay makes the upstream gradient contiguous
      case GRAD -> false;
    };
  }

  /**
   * The slot an expand view reads (a row sum's gradient, g of shape [n, 1] expanded to [n, c]),
   * else -1; a group reads that slot as a broadcast operand (checked contiguous on every replay).
   */
  static int expandSource(Slot[] slots, Step[] steps, int s) {
    Slot slot = slots[s];
    if (slot.kind() != Slot.Kind.STEP || slot.index() >= steps.length) return -1;
    Step v = steps[slot.index()];
    boolean expand =
        v.kind() == Step.Kind.VIEW
            && (Object) v.def() == Movement.EXPAND
            && v.in().length == 1
            && v.in()[0] >= 0;
    return expand ? v.in()[0] : -1;
  }

  /** A view that expands one value to the whole shape (sum's gradient): read with a zero stride. */
  static boolean broadcastSingle(Slot[] slots, Step[] steps, int s) {
    Slot slot = slots[s];
    if (slot.kind() != Slot.Kind.STEP || slot.index() >= steps.length) return false;
    Step v = steps[slot.index()];
    return v.kind() == Step.Kind.VIEW
        && (Object) v.def() == Movement.EXPAND
        && v.in().length == 1
        && v.in()[0] >= 0
        && Shapes.numel(slots[v.in()[0]].shape()) == 1;
  }

  // sum or mean of a value of the group, in its dtype: of all elements, or over trailing dims
  // whose rows fit a block (keepDim or not)
  private static boolean closingReduction(Slot[] slots, Step[] steps, int k, int start) {
    Step s = steps[k];
    Object def = s.def();
    boolean all = def == Reductions.SUM || def == Reductions.MEAN;
    boolean dims = def == Reductions.SUM_DIMS || def == Reductions.MEAN_DIMS;
    if (s.kind() != Step.Kind.KERNEL || !(all || dims)) return false;
    if (!(s.attrs() instanceof Reductions.Dims d) || s.in().length != 1 || s.in()[0] < 0)
      return false;
    Slot in = slots[s.in()[0]];
    if (in.kind() != Slot.Kind.STEP
        || in.index() < start
        || in.index() >= k
        || in.dtype() != s.dtype()) return false;
    if (d.dims() == null) return s.shape().length == 0;
    int row = rowLength(in.shape(), d.dims());
    if (row > 0 && row <= FusedGroup.BLOCK) return true;
    // over leading dims (a bias gradient): eager's column sums, for 16 columns or more
    return columnLength(in.shape(), d.dims()) >= MIN_COLUMNS;
  }

  /** The fewest columns a fused sum over leading dims takes (eager sums fewer another way). */
  static final int MIN_COLUMNS = 16;

  /**
   * The number of outputs of a reduction over {@code dims} when those are leading dims of {@code
   * shape} (some, not all), else -1.
   */
  static int columnLength(int[] shape, int[] dims) {
    int rank = shape.length;
    boolean[] reduced = reducedDims(rank, dims);
    if (reduced == null) return -1;
    int p = 0;
    while (p < rank && reduced[p]) p++;
    for (int d = p; d < rank; d++) if (reduced[d]) return -1;
    if (p == 0 || p == rank) return -1;
    int cols = 1;
    for (int d = p; d < rank; d++) cols *= shape[d];
    return cols;
  }

  /**
   * The number of elements each output of a reduction over {@code dims} sums when those are the
   * trailing dims of {@code shape} (all of them included), else -1.
   */
  static int rowLength(int[] shape, int[] dims) {
    int rank = shape.length;
    boolean[] reduced = reducedDims(rank, dims);
    if (reduced == null) return -1;
    int row = 1;
    boolean inSuffix = true;
    for (int d = rank - 1; d >= 0; d--) {
      if (reduced[d] && !inSuffix) return -1;
      if (reduced[d]) row *= shape[d];
      else inSuffix = false;
    }
    return row;
  }

  /** Per dim of a rank-{@code rank} shape: whether {@code dims} reduces it; null for a bad dim. */
  private static boolean[] reducedDims(int rank, int[] dims) {
    boolean[] reduced = new boolean[rank];
    for (int d : dims) {
      int n = d < 0 ? d + rank : d;
      if (n < 0 || n >= rank) return null;
      reduced[n] = true;
    }
    return reduced;
  }
}
