package dev.autograd.core.compile;

import dev.autograd.core.DType;
import dev.autograd.core.Tensor;
import dev.autograd.core.internal.Tensors;
import dev.autograd.core.kernels.BinaryOp;
import dev.autograd.core.kernels.KernelProvider;
import dev.autograd.core.kernels.Kernels;
import dev.autograd.core.kernels.Parallel;
import dev.autograd.core.kernels.UnaryOp;
import dev.autograd.core.ops.Creation;
import dev.autograd.core.ops.Reductions;
import dev.autograd.core.tensor.Shapes;
import dev.autograd.core.tensor.Storage;
import java.util.Arrays;
import java.util.Map;

/**
 * A run of element-wise steps replayed as one pass over memory: the elements go in blocks of {@link
 * #BLOCK} (a multiple of every vector length, so each block's kernels take the same vector and tail
 * paths as eager's one long call, and element-wise results are bit-identical); each block runs the
 * whole run as a small program of the ordinary unary and binary kernels over block-sized ranges.
 * Values only the run reads live in per-thread block-sized scratch arrays ("registers"); the others
 * are written to their buffers as they are made. A closing {@code sum}/{@code mean} adds per-block
 * partial sums (in double) in block order, so the result does not depend on how blocks are split
 * over threads. Large runs split their blocks over the kernel pool.
 */
final class FusedGroup {
  /** Elements per block: 16 KiB of float32 per register. */
  static final int BLOCK = 4096;

  /** Runs this large split over the kernel pool (each task at least this many elements). */
  private static final int PARALLEL_MIN = 1 << 17;

  final int first;
  final int last;

  /** The closing sum or mean step, else -1. */
  final int reduce;

  /** The steps of the block program: the recomputed forward steps first, then the group's own. */
  final int[] members;

  /**
   * How many of {@code members} are forward steps recomputed here (their values are never written).
   */
  final int recomputed;

  /** Per member: its scratch register, or -1 when its value is written to its buffer. */
  final int[] register;

  final int registers;
  final DType dtype;
  final int[] shape;
  final int numel;
  private final UnaryOp[] unary;
  private final BinaryOp[] binary;
  private final double[] param;

  /**
   * Per member: operand value ids (members are 0..m-1, external values m..), b = -1 for unary ops.
   */
  private final int[] opA;

  private final int[] opB;

  /** External values: their slots, and whether each is one value read with a zero stride. */
  final int[] externalSlots;

  private final boolean[] externalSingle;
  private final int reduceValue;
  private final boolean mean;
  private final int reduceOutSlot;

  /** Per member: the slot of its value. */
  private final int[] outSlots;

  private FusedGroup(
      int[] program,
      int recomputed,
      int first,
      int last,
      int reduce,
      Step[] steps,
      int[] register,
      int registers,
      int[] opA,
      int[] opB,
      int[] externalSlots,
      boolean[] externalSingle,
      int reduceValue,
      Map<Object, UnaryOp> u,
      Map<Object, BinaryOp> b) {
    this.first = first;
    this.last = last;
    this.reduce = reduce;
    this.recomputed = recomputed;
    int m = program.length;
    members = program;
    unary = new UnaryOp[m];
    binary = new BinaryOp[m];
    param = new double[m];
    outSlots = new int[m];
    for (int i = 0; i < m; i++) {
      Step s = steps[program[i]];
      unary[i] = u.get(s.def());
      binary[i] = b.get(s.def());
      param[i] = unary[i] != null && s.attrs() instanceof Double p ? p : 0;
      outSlots[i] = s.out();
    }
    this.register = register;
    this.registers = registers;
    this.opA = opA;
    this.opB = opB;
    this.externalSlots = externalSlots;
    this.externalSingle = externalSingle;
    this.reduceValue = reduceValue;
    this.dtype = steps[first].dtype();
    this.shape = steps[first].shape();
    this.numel = Shapes.numel(shape);
    this.mean = reduce >= 0 && (Object) steps[reduce].def() == Reductions.MEAN;
    this.reduceOutSlot = reduce >= 0 ? steps[reduce].out() : -1;
  }

  /** The last step the group runs. */
  int lastStep() {
    return reduce >= 0 ? reduce : last;
  }

  /** True when slot {@code s} is one value (read with a zero stride). */
  static boolean isScalar(Slot s) {
    return Shapes.numel(s.shape()) == 1;
  }

  /**
   * Builds the program of steps {@code [first, last]} (and {@code reduce}), preceded by the forward
   * steps {@code recompute} (values of a forward group recomputed block by block instead of read
   * back from memory). A value of the group read elsewhere than by the program (and {@code ignored}
   * steps) keeps its buffer.
   */
  static FusedGroup build(
      Slot[] slots,
      Step[] steps,
      int[] recompute,
      int first,
      int last,
      int reduce,
      boolean[] external,
      boolean[] fresh,
      boolean[] ignored,
      Map<Object, UnaryOp> u,
      Map<Object, BinaryOp> b) {
    int r = recompute.length;
    int m = r + last - first + 1;
    int[] program = new int[m];
    System.arraycopy(recompute, 0, program, 0, r);
    for (int i = r; i < m; i++) program[i] = first + i - r;
    int[] position = new int[steps.length];
    Arrays.fill(position, -1);
    for (int i = 0; i < m; i++) position[program[i]] = i;
    int end = reduce >= 0 ? reduce : last;
    // which values something other than the program reads (or outputs, guards, gradients): those
    // keep their buffers
    boolean[] kept = new boolean[m];
    int[] lastUse = new int[m];
    Arrays.fill(lastUse, -1);
    for (int k = 0; k < steps.length; k++) {
      int reader = k == reduce ? m : position[k];
      for (int in : steps[k].in()) {
        if (in < 0) continue;
        int i = memberOf(slots, in, position);
        if (i < 0) continue;
        if (i < r) { // a recomputed value: read only by the program (the forward keeps what others
          // need)
          if (reader >= 0) lastUse[i] = Math.max(lastUse[i], reader);
          continue;
        }
        if (reader >= 0) lastUse[i] = Math.max(lastUse[i], reader);
        else if (!ignored[k] && (k < first || k > end)) kept[i] = true;
      }
    }
    for (int i = r; i < m; i++) {
      if (external[steps[program[i]].out()] || fresh[program[i]]) kept[i] = true;
    }
    int[] opA = new int[m], opB = new int[m];
    java.util.List<Integer> ext = new java.util.ArrayList<>();
    java.util.List<Boolean> single = new java.util.ArrayList<>();
    for (int i = 0; i < m; i++) {
      int[] in = steps[program[i]].in();
      opA[i] = value(slots, steps, in[0], position, m, ext, single);
      opB[i] = in.length > 1 ? value(slots, steps, in[1], position, m, ext, single) : -1;
    }
    int reduceValue = reduce >= 0 ? memberOf(slots, steps[reduce].in()[0], position) : -1;
    // registers by liveness inside the block program: freed after their last reader, taken by the
    // next internal value
    int[] register = new int[m];
    Arrays.fill(register, -1);
    java.util.ArrayDeque<Integer> free = new java.util.ArrayDeque<>();
    int registers = 0;
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < i; j++)
        if (register[j] >= 0 && lastUse[j] == i && !free.contains(register[j]))
          free.push(register[j]);
      if (!kept[i]) register[i] = free.isEmpty() ? registers++ : free.pop();
    }
    int[] es = ext.stream().mapToInt(Integer::intValue).toArray();
    boolean[] esingle = new boolean[single.size()];
    for (int i = 0; i < esingle.length; i++) esingle[i] = single.get(i);
    return new FusedGroup(
        program,
        r,
        first,
        last,
        reduce,
        steps,
        register,
        registers,
        opA,
        opB,
        es,
        esingle,
        reduceValue,
        u,
        b);
  }

  // the program position of the value in slot s, or -1
  private static int memberOf(Slot[] slots, int s, int[] position) {
    Slot slot = slots[s];
    return slot.kind() == Slot.Kind.STEP && slot.index() < position.length && slot.root() == s
        ? position[slot.index()]
        : -1;
  }

  private static int value(
      Slot[] slots,
      Step[] steps,
      int s,
      int[] position,
      int m,
      java.util.List<Integer> ext,
      java.util.List<Boolean> single) {
    int i = memberOf(slots, s, position);
    if (i >= 0) return i;
    int e = ext.indexOf(s);
    if (e < 0) {
      e = ext.size();
      ext.add(s);
      single.add(isScalar(slots[s]) || Fusion.broadcastSingle(slots, steps, s));
    }
    return m + e;
  }

  /**
   * What one call needs: the arrays, offsets and strides of every value, and the per-block partial
   * sums.
   */
  static final class State {
    final Object[] array;
    final int[] offset;

    /** 0 for one value read everywhere, 1 for a value read block by block. */
    final int[] stride;

    final Tensor[] outs;
    final double[] partials;

    State(FusedGroup g) {
      int values = g.members.length + g.externalSlots.length;
      array = new Object[values];
      offset = new int[values];
      stride = new int[values];
      outs = new Tensor[g.members.length];
      partials = new double[g.reduce >= 0 ? (g.numel + BLOCK - 1) / BLOCK : 0];
    }
  }

  // per-thread registers (one block each), grown on demand
  private static final ThreadLocal<float[]> FLOATS = new ThreadLocal<>();
  private static final ThreadLocal<double[]> DOUBLES = new ThreadLocal<>();

  /**
   * Runs the group with the values of {@code slots}, writing kept values into {@code outs} (a fresh
   * tensor where {@code fresh}); false, having run nothing, when an input is not laid out as traced
   * (the caller then runs the steps one by one).
   */
  boolean run(Tensor[] slots, Tensor[] outs, boolean[] fresh, State st) {
    int m = members.length;
    for (int e = 0; e < externalSlots.length; e++) {
      Tensor t = slots[externalSlots[e]];
      if (t == null || t.dtype() != dtype) return false;
      int v = m + e;
      if (externalSingle[e]) {
        if (t.numel() != 1 && !allZero(t.strideRef())) return false;
        st.stride[v] = 0;
      } else {
        if (!t.isContiguous() || !Arrays.equals(t.shapeRef(), shape)) return false;
        st.stride[v] = 1;
      }
      st.array[v] = array(t);
      st.offset[v] = t.storageOffset();
    }
    for (int i = 0; i < m; i++) {
      if (register[i] >= 0) continue;
      int k = members[i];
      Tensor out = fresh[k] ? Creation.uninitialized(dtype, shape) : outs[k];
      st.outs[i] = out;
      st.array[i] = array(out);
      st.offset[i] = out.storageOffset();
      st.stride[i] = 1;
    }
    int blocks = (numel + BLOCK - 1) / BLOCK;
    int tasks =
        Parallel.THREADS > 1 && numel >= 2 * PARALLEL_MIN
            ? Math.min(Parallel.THREADS, numel / PARALLEL_MIN)
            : 1;
    if (tasks <= 1) {
      runBlocks(st, 0, blocks);
    } else {
      Parallel.run(
          tasks,
          t ->
              runBlocks(
                  st, (int) ((long) blocks * t / tasks), (int) ((long) blocks * (t + 1) / tasks)));
    }
    for (int i = 0; i < m; i++) if (register[i] < 0) slots[outSlots[i]] = st.outs[i];
    if (reduce >= 0) {
      Tensor out = fresh[reduce] ? Creation.uninitialized(dtype, new int[0]) : outs[reduce];
      double total = 0;
      for (double p : st.partials)
        total += p; // block order: the same sum however the blocks were split
      double scale = mean ? 1.0 / numel : 1.0;
      if (dtype == DType.FLOAT32)
        Tensors.storage(out).floats()[out.storageOffset()] = (float) (total * scale);
      else Tensors.storage(out).doubles()[out.storageOffset()] = total * scale;
      slots[reduceOutSlot] = out;
    }
    return true;
  }

  private static boolean allZero(int[] strides) {
    for (int s : strides) if (s != 0) return false;
    return true;
  }

  private static Object array(Tensor t) {
    Storage s = Tensors.storage(t);
    return t.dtype() == DType.FLOAT32 ? s.floats() : s.doubles();
  }

  private void runBlocks(State st, int from, int to) {
    if (from >= to) return;
    if (dtype == DType.FLOAT32) runFloat(st, from, to);
    else runDouble(st, from, to);
  }

  private void runFloat(State st, int from, int to) {
    Kernels k = KernelProvider.get();
    float[] scratch = FLOATS.get();
    if (scratch == null || scratch.length < registers * BLOCK)
      FLOATS.set(scratch = new float[Math.max(1, registers) * BLOCK]);
    int m = members.length;
    for (int blk = from; blk < to; blk++) {
      int start = blk * BLOCK, len = Math.min(BLOCK, numel - start);
      for (int i = 0; i < m; i++) {
        float[] out = register[i] >= 0 ? scratch : (float[]) st.array[i];
        int oOff = register[i] >= 0 ? register[i] * BLOCK : st.offset[i] + start;
        int a = opA[i];
        float[] av = a < m && register[a] >= 0 ? scratch : (float[]) st.array[a];
        int aOff =
            a < m && register[a] >= 0 ? register[a] * BLOCK : st.offset[a] + start * st.stride[a];
        if (unary[i] != null) {
          k.unary(unary[i], param[i], av, aOff, 1, out, oOff, len);
        } else {
          int b = opB[i];
          float[] bv = b < m && register[b] >= 0 ? scratch : (float[]) st.array[b];
          int bOff =
              b < m && register[b] >= 0 ? register[b] * BLOCK : st.offset[b] + start * st.stride[b];
          int as = a < m ? 1 : st.stride[a], bs = b < m ? 1 : st.stride[b];
          k.binary(binary[i], av, aOff, as, bv, bOff, bs, out, oOff, len);
        }
      }
      if (reduce >= 0) {
        int r = reduceValue;
        float[] rv = register[r] >= 0 ? scratch : (float[]) st.array[r];
        st.partials[blk] =
            k.sum(rv, register[r] >= 0 ? register[r] * BLOCK : st.offset[r] + start, len);
      }
    }
  }

  private void runDouble(State st, int from, int to) {
    Kernels k = KernelProvider.get();
    double[] scratch = DOUBLES.get();
    if (scratch == null || scratch.length < registers * BLOCK)
      DOUBLES.set(scratch = new double[Math.max(1, registers) * BLOCK]);
    int m = members.length;
    for (int blk = from; blk < to; blk++) {
      int start = blk * BLOCK, len = Math.min(BLOCK, numel - start);
      for (int i = 0; i < m; i++) {
        double[] out = register[i] >= 0 ? scratch : (double[]) st.array[i];
        int oOff = register[i] >= 0 ? register[i] * BLOCK : st.offset[i] + start;
        int a = opA[i];
        double[] av = a < m && register[a] >= 0 ? scratch : (double[]) st.array[a];
        int aOff =
            a < m && register[a] >= 0 ? register[a] * BLOCK : st.offset[a] + start * st.stride[a];
        if (unary[i] != null) {
          k.unary(unary[i], param[i], av, aOff, 1, out, oOff, len);
        } else {
          int b = opB[i];
          double[] bv = b < m && register[b] >= 0 ? scratch : (double[]) st.array[b];
          int bOff =
              b < m && register[b] >= 0 ? register[b] * BLOCK : st.offset[b] + start * st.stride[b];
          int as = a < m ? 1 : st.stride[a], bs = b < m ? 1 : st.stride[b];
          k.binary(binary[i], av, aOff, as, bv, bOff, bs, out, oOff, len);
        }
      }
      if (reduce >= 0) {
        int r = reduceValue;
        double[] rv = register[r] >= 0 ? scratch : (double[]) st.array[r];
        st.partials[blk] =
            k.sum(rv, register[r] >= 0 ? register[r] * BLOCK : st.offset[r] + start, len);
      }
    }
  }

  /** One line for toString(): what the group runs and what it keeps. */
  String describe(int number) {
    int kept = 0;
    for (int r : register) if (r < 0) kept++;
    return "fused group "
        + number
        + ": steps "
        + first
        + ".."
        + lastStep()
        + " ("
        + (members.length - recomputed)
        + " element-wise ops"
        + (reduce >= 0 ? (mean ? " + mean" : " + sum") : "")
        + ", "
        + dtype.torchName()
        + Shapes.str(shape)
        + " in blocks of "
        + BLOCK
        + "): "
        + kept
        + " values written to buffers, "
        + (members.length - recomputed - kept)
        + " kept in "
        + registers
        + " block registers"
        + (recomputed > 0
            ? "; recomputes the "
                + recomputed
                + " forward ops of steps "
                + members[0]
                + ".."
                + members[recomputed - 1]
                + " per block instead of reading their values back"
            : "");
  }
}
