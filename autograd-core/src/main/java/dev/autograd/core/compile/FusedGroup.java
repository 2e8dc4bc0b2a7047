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

  /**
   * Per member: its scratch register, {@link #WRITTEN} when its value is written to its buffer, or
   * {@link #FOLDED} when the next member computes it on the way (a product with one value).
   */
  final int[] register;

  static final int WRITTEN = -1;
  static final int FOLDED = -2;

  /**
   * Per member: the member folded into it ({@code (a op b)·c} in one kernel call: this member is
   * the product, the folded one the binary map before it), else -1.
   */
  private final int[] foldedInto;

  final int registers;
  final DType dtype;
  final int[] shape;
  final int numel;
  private final UnaryOp[] unary;
  private final BinaryOp[] binary;
  private final double[] param;

  /** Per member: clamp or a backward kernel (see {@link FusedKernels}), else null. */
  private final FusedKernels.Op[] special;

  /**
   * Per member: operand value ids (members are 0..m-1, external values m..), b = -1 for unary ops.
   */
  private final int[] opA;

  private final int[] opB;

  /** External values: their slots, and whether each is one value read with a zero stride. */
  final int[] externalSlots;

  private final boolean[] externalSingle;

  /**
   * Per external value: null, or, for an operand broadcast along some dims (a bias row, a column),
   * its traced shape and its strides per output dim (0 along broadcast dims); such an operand is
   * copied into its own block register at the start of each block.
   */
  private final int[][] externalShape, externalStrides;

  /** Per external value: its block register (broadcast and strided operands), else -1. */
  private final int[] externalRegister;

  /**
   * Per external value: true for an operand of the group's shape not laid out flat (a transposed
   * argument, a view), gathered into its block register by its strides at each block.
   */
  private final boolean[] gathered;

  private final int reduceValue;
  private final boolean mean;

  /**
   * For a closing reduction over trailing dims: the elements each output sums (blocks then hold
   * whole rows, each row summed as eager sums it); 0 for a full sum or mean, or none.
   */
  final int rowLength;

  /**
   * For a closing reduction over leading dims (a bias gradient): the number of outputs, each the
   * sum of one column, accumulated in double row by row and rounded once, as eager's column sums;
   * else 0. Such a group runs its blocks in order on one thread (eager's order of additions).
   */
  final int columns;

  /** Elements per block: {@link #BLOCK}, or whole rows for a reduction over trailing dims. */
  final int blockLength;

  private final int reduceOutSlot;
  private final int[] reduceShape;

  // as many rows as fit a block, a multiple of 16 / gcd(row, 16) when that fits, so that blocks
  // start at multiples of every vector length (else some elements take the kernels' scalar tails)
  private static int rowsPerBlock(int row) {
    int rows = BLOCK / row, unit = 16 / gcd(row, 16);
    return rows >= unit ? rows - rows % unit : rows;
  }

  private static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }

  /** Per member: the slot of its value. */
  private final int[] outSlots;

  private FusedGroup(
      Slot[] slots,
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
      int[] foldedInto,
      boolean[] strided,
      Map<Object, UnaryOp> u,
      Map<Object, BinaryOp> b) {
    this.foldedInto = foldedInto;
    this.first = first;
    this.last = last;
    this.reduce = reduce;
    this.recomputed = recomputed;
    int m = program.length;
    members = program;
    unary = new UnaryOp[m];
    binary = new BinaryOp[m];
    param = new double[m];
    special = new FusedKernels.Op[m];
    outSlots = new int[m];
    for (int i = 0; i < m; i++) {
      Step s = steps[program[i]];
      unary[i] = u.get(s.def());
      binary[i] = b.get(s.def());
      param[i] = unary[i] != null && s.attrs() instanceof Double p ? p : 0;
      special[i] = FusedKernels.of(s);
      outSlots[i] = s.out();
    }
    this.register = register;
    this.opA = opA;
    this.opB = opB;
    this.externalSlots = externalSlots;
    this.externalSingle = externalSingle;
    int x = externalSlots.length;
    externalShape = new int[x][];
    externalStrides = new int[x][];
    externalRegister = new int[x];
    gathered = new boolean[x];
    int regs = registers;
    for (int e = 0; e < x; e++) {
      int[] es = slots[externalSlots[e]].shape();
      externalRegister[e] = -1;
      if (externalSingle[e]) continue;
      if (Arrays.equals(es, steps[first].shape())) {
        if (strided[externalSlots[e]]) { // gathered into its block register per block
          gathered[e] = true;
          externalRegister[e] = regs++;
        }
        continue;
      }
      externalShape[e] = es;
      externalStrides[e] = broadcastStrides(es, steps[first].shape());
      externalRegister[e] = regs++;
    }
    this.registers = regs;
    this.reduceValue = reduceValue;
    this.dtype = steps[first].dtype();
    this.shape = steps[first].shape();
    this.numel = Shapes.numel(shape);
    Object reduceDef = reduce >= 0 ? steps[reduce].def() : null;
    this.mean = reduceDef == Reductions.MEAN || reduceDef == Reductions.MEAN_DIMS;
    boolean overDims = reduceDef == Reductions.SUM_DIMS || reduceDef == Reductions.MEAN_DIMS;
    int[] dims = overDims ? ((Reductions.Dims) steps[reduce].attrs()).dims() : null;
    int row = overDims ? Fusion.rowLength(shape, dims) : 0;
    this.rowLength = row > 0 && row <= BLOCK ? row : 0;
    this.columns = overDims && rowLength == 0 ? Fusion.columnLength(shape, dims) : 0;
    this.blockLength = rowLength > 0 ? rowsPerBlock(rowLength) * rowLength : BLOCK;
    this.reduceShape = reduce >= 0 ? steps[reduce].shape() : null;
    this.reduceOutSlot = reduce >= 0 ? steps[reduce].out() : -1;
  }

  /**
   * Strides of a contiguous operand of shape {@code from} read along each dim of {@code to}
   * (right-aligned; 0 where it is broadcast).
   */
  static int[] broadcastStrides(int[] from, int[] to) {
    int[] own = Shapes.contiguousStrides(from);
    int[] st = new int[to.length];
    for (int d = 0; d < from.length; d++) {
      int od = to.length - from.length + d;
      st[od] = from[d] == 1 && to[od] != 1 ? 0 : own[d];
    }
    return st;
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
   * back from memory). A value of the group read elsewhere than by the program keeps its buffer,
   * unless {@code recomputed.test(reader, step)} says the reader's group recomputes it.
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
      java.util.function.BiPredicate<Integer, Integer> recomputed,
      boolean[] strided,
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
        else if ((k < first || k > end) && !recomputed.test(k, program[i])) kept[i] = true;
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
    int[] foldedInto = folds(steps, program, kept, opA, opB, reduceValue, single, lastUse, b);
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
      if (foldedInto[i] == -2) register[i] = FOLDED;
      else if (!kept[i]) register[i] = free.isEmpty() ? registers++ : free.pop();
    }
    for (int i = 0; i < m; i++) if (foldedInto[i] == -2) foldedInto[i] = -1;
    int[] es = ext.stream().mapToInt(Integer::intValue).toArray();
    boolean[] esingle = new boolean[single.size()];
    for (int i = 0; i < esingle.length; i++) esingle[i] = single.get(i);
    return new FusedGroup(
        slots,
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
        foldedInto,
        strided,
        u,
        b);
  }

  /**
   * Which members fold into the next: a member {@code i} that is add, sub, mul or div, kept in a
   * register and read only by member {@code i+1}, a product of it with one value (stride 0), runs
   * inside that product's kernel call. Returns per member the member folded into it, -2 for a
   * folded member, else -1; extends the lives of a folded member's operands to the product.
   */
  private static int[] folds(
      Step[] steps,
      int[] program,
      boolean[] kept,
      int[] opA,
      int[] opB,
      int reduceValue,
      java.util.List<Boolean> single,
      int[] lastUse,
      Map<Object, BinaryOp> b) {
    int m = program.length;
    int[] reads = new int[m];
    for (int i = 0; i < m; i++) {
      if (opA[i] < m) reads[opA[i]]++;
      if (opB[i] >= 0 && opB[i] < m) reads[opB[i]]++;
    }
    int[] into = new int[m];
    Arrays.fill(into, -1);
    for (int i = 0; i + 1 < m; i++) {
      int j = i + 1;
      BinaryOp op = b.get(steps[program[i]].def());
      boolean foldable =
          op == BinaryOp.ADD || op == BinaryOp.SUB || op == BinaryOp.MUL || op == BinaryOp.DIV;
      if (!foldable || kept[i] || i == reduceValue || reads[i] != 1 || into[i] != -1) continue;
      if (b.get(steps[program[j]].def()) != BinaryOp.MUL) continue;
      int other = opA[j] == i ? opB[j] : opB[j] == i ? opA[j] : -1;
      if (other < m || !single.get(other - m)) continue;
      into[i] = -2;
      into[j] = i;
      if (opA[i] < m) lastUse[opA[i]] = Math.max(lastUse[opA[i]], j);
      if (opB[i] < m) lastUse[opB[i]] = Math.max(lastUse[opB[i]], j);
    }
    return into;
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
    int source = Fusion.expandSource(slots, steps, s);
    if (source >= 0 && !Fusion.broadcastSingle(slots, steps, s))
      s = source; // an expanded tensor: read its source as a broadcast operand
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

    /** Per external value gathered by strides: its tensor's strides in this call. */
    final int[][] strides;

    final Tensor[] outs;
    final double[] partials;

    /** A reduction over leading dims: its column accumulators. */
    final double[] columnSums;

    /** A reduction over trailing dims: its output tensor, written row by row. */
    Tensor rowOut;

    Object rowArray;
    int rowOffset;

    State(FusedGroup g) {
      int values = g.members.length + g.externalSlots.length;
      array = new Object[values];
      offset = new int[values];
      stride = new int[values];
      strides = new int[g.externalSlots.length][];
      outs = new Tensor[g.members.length];
      boolean full = g.reduce >= 0 && g.rowLength == 0 && g.columns == 0;
      partials = new double[full ? (g.numel + BLOCK - 1) / BLOCK : 0];
      columnSums = new double[g.columns];
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
      } else if (gathered[e]) {
        if (!Arrays.equals(t.shapeRef(), shape)) return false;
        st.strides[e] = t.strideRef();
        st.stride[v] = 1;
      } else if (externalShape[e] != null) {
        if (!t.isContiguous() || !Arrays.equals(t.shapeRef(), externalShape[e])) return false;
        st.stride[v] = 1;
      } else {
        if (!t.isContiguous() || !Arrays.equals(t.shapeRef(), shape)) return false;
        st.stride[v] = 1;
      }
      st.array[v] = array(t);
      st.offset[v] = t.storageOffset();
    }
    for (int i = 0; i < m; i++) {
      if (register[i] != WRITTEN) continue;
      int k = members[i];
      Tensor out = fresh[k] ? Creation.uninitialized(dtype, shape) : outs[k];
      st.outs[i] = out;
      st.array[i] = array(out);
      st.offset[i] = out.storageOffset();
      st.stride[i] = 1;
    }
    if (rowLength > 0) {
      Tensor out = fresh[reduce] ? Creation.uninitialized(dtype, reduceShape) : outs[reduce];
      st.rowOut = out;
      st.rowArray = array(out);
      st.rowOffset = out.storageOffset();
    }
    if (columns > 0) Arrays.fill(st.columnSums, 0.0);
    int blocks = (numel + blockLength - 1) / blockLength;
    int tasks =
        numel >= 2 * PARALLEL_MIN && columns == 0
            ? Math.min(Parallel.threads(), numel / PARALLEL_MIN)
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
    for (int i = 0; i < m; i++) if (register[i] == WRITTEN) slots[outSlots[i]] = st.outs[i];
    if (rowLength > 0) {
      slots[reduceOutSlot] = st.rowOut;
    } else if (columns > 0) {
      Tensor out = fresh[reduce] ? Creation.uninitialized(dtype, reduceShape) : outs[reduce];
      int rows = numel / columns; // each column sums this many (exactly: columns divides numel)
      double scale = mean ? 1.0 / rows : 1;
      int o = out.storageOffset();
      if (dtype == DType.FLOAT32) {
        float[] y = Tensors.storage(out).floats();
        for (int j = 0; j < columns; j++) y[o + j] = (float) (st.columnSums[j] * scale);
      } else {
        double[] y = Tensors.storage(out).doubles();
        for (int j = 0; j < columns; j++) y[o + j] = st.columnSums[j] * scale;
      }
      slots[reduceOutSlot] = out;
    } else if (reduce >= 0) {
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

  // where value v (a member or an external value) is read in a block: its register, or its own
  // array at its offset plus the block's start times its stride
  private int registerOf(int v) {
    int m = members.length;
    return v < m ? register[v] : externalRegister[v - m];
  }

  private int offsetIn(State st, int v, int start) {
    int r = registerOf(v);
    return r >= 0 ? r * BLOCK : st.offset[v] + start * st.stride[v];
  }

  private int strideIn(State st, int v) {
    return registerOf(v) >= 0 ? 1 : st.stride[v];
  }

  /**
   * Fills the block registers of the gathered (strided) and broadcast operands with their elements
   * [start, start + len) as laid out over the group's shape.
   */
  private void loadExternals(State st, Object scratch, int start, int len) {
    int m = members.length;
    for (int e = 0; e < externalRegister.length; e++) {
      if (externalRegister[e] < 0) continue; // read in place
      int[] strides = gathered[e] ? st.strides[e] : externalStrides[e];
      copyRuns(
          st.array[m + e],
          st.offset[m + e],
          strides,
          scratch,
          externalRegister[e] * BLOCK,
          start,
          len);
    }
  }

  /**
   * Copies elements [start, start + len) of an operand laid out over the group's shape by {@code
   * strides} (0 along broadcast dims) from {@code srcOff} into {@code dst}, a run along the last
   * dim at a time: a copy, one value repeated, or a strided walk.
   */
  private void copyRuns(
      Object src, int srcOff, int[] strides, Object dst, int dOff, int start, int len) {
    int r = shape.length, last = shape[r - 1], ls = strides[r - 1];
    boolean f = dtype == DType.FLOAT32;
    for (int pos = start, end = start + len; pos < end; ) {
      int row = pos / last, col = pos - row * last, run = Math.min(last - col, end - pos);
      int off = srcOff + col * ls;
      for (int d = r - 2, q = row; d >= 0; d--) {
        off += (q % shape[d]) * strides[d];
        q /= shape[d];
      }
      int to = dOff + pos - start;
      if (ls == 1) System.arraycopy(src, off, dst, to, run);
      else if (ls == 0 && f) Arrays.fill((float[]) dst, to, to + run, ((float[]) src)[off]);
      else if (ls == 0) Arrays.fill((double[]) dst, to, to + run, ((double[]) src)[off]);
      else if (f) {
        float[] s = (float[]) src, o = (float[]) dst;
        for (int i = 0; i < run; i++) o[to + i] = s[off + i * ls];
      } else {
        double[] s = (double[]) src, o = (double[]) dst;
        for (int i = 0; i < run; i++) o[to + i] = s[off + i * ls];
      }
      pos += run;
    }
  }

  private void runFloat(State st, int from, int to) {
    Kernels k = KernelProvider.get();
    float[] scratch = FLOATS.get();
    if (scratch == null || scratch.length < registers * BLOCK)
      FLOATS.set(scratch = new float[Math.max(1, registers) * BLOCK]);
    int m = members.length;
    for (int blk = from; blk < to; blk++) {
      int start = blk * blockLength, len = Math.min(blockLength, numel - start);
      loadExternals(st, scratch, start, len);
      for (int i = 0; i < m; i++) {
        if (register[i] == FOLDED) continue; // the next member computes it
        float[] out = register[i] >= 0 ? scratch : (float[]) st.array[i];
        int oOff = offsetIn(st, i, start);
        int f = foldedInto[i];
        int a = f >= 0 ? opA[f] : opA[i], b = f >= 0 ? opB[f] : opB[i];
        float[] av = registerOf(a) >= 0 ? scratch : (float[]) st.array[a];
        int aOff = offsetIn(st, a, start), as = strideIn(st, a);
        if (special[i] != null) { // contiguous operands (Fusion.operandsFit)
          boolean two = special[i].binary();
          float[] bv = two ? (registerOf(b) >= 0 ? scratch : (float[]) st.array[b]) : null;
          int bOff = two ? offsetIn(st, b, start) : 0;
          FusedKernels.run(special[i], k, av, aOff, bv, bOff, out, oOff, len);
          continue;
        }
        if (f < 0 && unary[i] != null) {
          k.unary(unary[i], param[i], av, aOff, as, out, oOff, len);
          continue;
        }
        float[] bv = registerOf(b) >= 0 ? scratch : (float[]) st.array[b];
        int bOff = offsetIn(st, b, start), bs = strideIn(st, b);
        if (f >= 0) { // (a op b)·c, c the product's other operand
          int cv = opA[i] == f ? opB[i] : opA[i];
          float c = ((float[]) st.array[cv])[st.offset[cv]];
          k.binaryTimes(binary[f], av, aOff, as, bv, bOff, bs, c, out, oOff, len);
        } else {
          k.binary(binary[i], av, aOff, as, bv, bOff, bs, out, oOff, len);
        }
      }
      if (reduce >= 0) {
        float[] rv = register[reduceValue] >= 0 ? scratch : (float[]) st.array[reduceValue];
        int off = offsetIn(st, reduceValue, start);
        if (columns > 0) { // column by column, row after row, as eager
          double[] acc = st.columnSums;
          for (int i = 0, j = start % columns; i < len; i++) {
            acc[j] += rv[off + i];
            if (++j == columns) j = 0;
          }
        } else if (rowLength == 0) {
          st.partials[blk] = k.sum(rv, off, len);
        } else { // each row as eager sums it
          float[] o = (float[]) st.rowArray;
          int row0 = st.rowOffset + start / rowLength;
          double scale = mean ? 1.0 / rowLength : 1;
          for (int r = 0; r * rowLength < len; r++)
            o[row0 + r] = (float) (k.sum(rv, off + r * rowLength, rowLength) * scale);
        }
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
      int start = blk * blockLength, len = Math.min(blockLength, numel - start);
      loadExternals(st, scratch, start, len);
      for (int i = 0; i < m; i++) {
        if (register[i] == FOLDED) continue; // the next member computes it
        double[] out = register[i] >= 0 ? scratch : (double[]) st.array[i];
        int oOff = offsetIn(st, i, start);
        int f = foldedInto[i];
        int a = f >= 0 ? opA[f] : opA[i], b = f >= 0 ? opB[f] : opB[i];
        double[] av = registerOf(a) >= 0 ? scratch : (double[]) st.array[a];
        int aOff = offsetIn(st, a, start), as = strideIn(st, a);
        if (special[i] != null) { // contiguous operands (Fusion.operandsFit)
          boolean two = special[i].binary();
          double[] bv = two ? (registerOf(b) >= 0 ? scratch : (double[]) st.array[b]) : null;
          int bOff = two ? offsetIn(st, b, start) : 0;
          FusedKernels.run(special[i], k, av, aOff, bv, bOff, out, oOff, len);
          continue;
        }
        if (f < 0 && unary[i] != null) {
          k.unary(unary[i], param[i], av, aOff, as, out, oOff, len);
          continue;
        }
        double[] bv = registerOf(b) >= 0 ? scratch : (double[]) st.array[b];
        int bOff = offsetIn(st, b, start), bs = strideIn(st, b);
        if (f >= 0) { // (a op b)·c, c the product's other operand
          int cv = opA[i] == f ? opB[i] : opA[i];
          double c = ((double[]) st.array[cv])[st.offset[cv]];
          k.binaryTimes(binary[f], av, aOff, as, bv, bOff, bs, c, out, oOff, len);
        } else {
          k.binary(binary[i], av, aOff, as, bv, bOff, bs, out, oOff, len);
        }
      }
      if (reduce >= 0) {
        double[] rv = register[reduceValue] >= 0 ? scratch : (double[]) st.array[reduceValue];
        int off = offsetIn(st, reduceValue, start);
        if (columns > 0) { // column by column, row after row, as eager
          double[] acc = st.columnSums;
          for (int i = 0, j = start % columns; i < len; i++) {
            acc[j] += rv[off + i];
            if (++j == columns) j = 0;
          }
        } else if (rowLength == 0) {
          st.partials[blk] = k.sum(rv, off, len);
        } else { // each row as eager sums it
          double[] o = (double[]) st.rowArray;
          int row0 = st.rowOffset + start / rowLength;
          double scale = mean ? 1.0 / rowLength : 1;
          for (int r = 0; r * rowLength < len; r++)
            o[row0 + r] = (k.sum(rv, off + r * rowLength, rowLength) * scale);
        }
      }
    }
  }

  private int broadcastOperands() {
    int n = 0;
    for (int e = 0; e < externalRegister.length; e++)
      if (externalRegister[e] >= 0 && !gathered[e]) n++;
    return n;
  }

  private int gatheredOperands() {
    int n = 0;
    for (boolean g : gathered) if (g) n++;
    return n;
  }

  /** One line for toString(): what the group runs and what it keeps. */
  String describe(int number) {
    int kept = 0;
    int folded = 0;
    for (int r : register) {
      if (r == WRITTEN) kept++;
      if (r == FOLDED) folded++;
    }
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
        + (rowLength > 0 ? " over rows of " + rowLength : "")
        + (columns > 0 ? " over leading dims into " + columns + " columns" : "")
        + ", "
        + dtype.torchName()
        + Shapes.str(shape)
        + " in blocks of "
        + blockLength
        + "): "
        + kept
        + " values written to buffers, "
        + (members.length - recomputed - kept - folded)
        + " kept in "
        + registers
        + " block registers"
        + (folded > 0 ? ", " + folded + " computed inside the product after them" : "")
        + (broadcastOperands() > 0
            ? "; " + broadcastOperands() + " broadcast operands copied into block registers"
            : "")
        + (gatheredOperands() > 0
            ? "; " + gatheredOperands() + " strided operands gathered into block registers"
            : "")
        + (recomputed > 0
            ? "; recomputes the "
                + recomputed
                + (recomputed == 1 ? " forward op of step " : " forward ops of steps ")
                + Recompute.ranges(Arrays.copyOf(members, recomputed))
                + " per block instead of reading their values back"
            : "");
  }
}
