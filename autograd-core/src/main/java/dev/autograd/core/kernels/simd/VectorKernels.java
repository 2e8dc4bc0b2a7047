package dev.autograd.core.kernels.simd;

import dev.autograd.core.kernels.BinaryOp;
import dev.autograd.core.kernels.ScalarKernels;
import dev.autograd.core.kernels.UnaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Kernels on the JDK Vector API (package {@code simd} is the only one importing {@code
 * jdk.incubator.vector}). It extends the scalar kernels, so an op without a vector body still
 * works. One vector size is used everywhere: on JDK 17, mixing sizes in one JVM slows every kernel
 * down.
 */
public class VectorKernels extends ScalarKernels {
  static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

  /** Doubles in vectors of the same bit size as {@link #F} (JDK 17 slows down on mixed sizes). */
  static final VectorSpecies<Double> D =
      VectorSpecies.of(double.class, VectorShape.forBitSize(F.vectorBitSize()));

  /**
   * Whether kernels may use fused multiply-add ({@code -Dautograd.fma=false} turns it off): FMA is
   * one instruction on current x86 and ARM cores but a slow software routine where the CPU lacks
   * it.
   */
  static final boolean FAST_FMA = Boolean.parseBoolean(System.getProperty("autograd.fma", "true"));

  // which vector loops run compiled yet (see Warmup): one per loop method of the bit-exact kernels
  private final Warmup[] unaryWarmup, binaryWarmup, clampWarmup, maskWarmup;
  private final Warmup addIntoWarmup;
  private final Warmup[] sgdWarmup; // float, double

  /** The kernels as a program starts: cold vector loops get a small share of each call. */
  public VectorKernels() {
    this(false);
  }

  private VectorKernels(boolean warm) {
    if (F.length() < 4) throw new UnsupportedOperationException("vector lanes < 4: " + F.length());
    unaryWarmup = Warmup.perOp(UnaryOp.values().length, warm);
    binaryWarmup = Warmup.perOp(BinaryOp.values().length, warm);
    clampWarmup = Warmup.perOp(2, warm);
    maskWarmup = Warmup.perOp(4, warm);
    addIntoWarmup = warm ? Warmup.warmed() : new Warmup();
    sgdWarmup = Warmup.perOp(2, warm);
  }

  /**
   * Kernels whose vector loops take whole calls from the first one, as they do once compiled (tests
   * compare both with the plain-Java loops).
   */
  public static VectorKernels warmedUp() {
    return new VectorKernels(true);
  }

  @Override
  public String name() {
    return "vector (" + F.length() + " float lanes)";
  }

  @Override
  public void unary(
      UnaryOp op, double p, float[] a, int aOff, int aStride, float[] out, int oOff, int n) {
    int done = 0;
    if (aStride == 1) {
      // only the loops that equal the plain-Java ones bit for bit may split a call (Warmup)
      Warmup w = bitExact(op) ? unaryWarmup[op.ordinal()] : null;
      int share = w == null ? n : w.share(n);
      long t0 = share < n ? System.nanoTime() : 0;
      done = unaryBody(op, (float) p, a, aOff, out, oOff, share);
      if (share < n) w.timed(t0);
    }
    if (done < n)
      super.unary(
          op, p, a, aOff + done * aStride, aStride, out, oOff + done, n - done); // scalar tail
  }

  private static boolean bitExact(UnaryOp op) {
    switch (op) {
      case NEG:
      case ABS:
      case SQRT:
      case SQUARE:
      case RECIPROCAL:
      case RELU:
      case LEAKY_RELU:
      case ADD_SCALAR:
      case MUL_SCALAR:
        return true;
      default: // exp, log, tanh, sigmoid, silu: within a few ulps of Math's, not equal
        return false;
    }
  }

  // NOTE: one small method per op, the switch outside the loops, and no vector variable assigned
  // in a branch: on JDK 17 a vector phi, or a loop that outgrows C2's inlining budget, boxes every
  // vector and runs 10–100× slower.
  /** The vector body of a contiguous unary map; returns how many elements it wrote. */
  private static int unaryBody(
      UnaryOp op, float p, float[] a, int aOff, float[] out, int oOff, int n) {
    int end = F.loopBound(n);
    switch (op) {
      case NEG:
        neg(p, a, aOff, out, oOff, end);
        return end;
      case ABS:
        abs(p, a, aOff, out, oOff, end);
        return end;
      case SQRT:
        sqrt(p, a, aOff, out, oOff, end);
        return end;
      case SQUARE:
        square(p, a, aOff, out, oOff, end);
        return end;
      case RECIPROCAL:
        reciprocal(p, a, aOff, out, oOff, end);
        return end;
      case RELU:
        relu(p, a, aOff, out, oOff, end);
        return end;
      case LEAKY_RELU:
        leakyRelu(p, a, aOff, out, oOff, end);
        return end;
      case ADD_SCALAR:
        addScalar(p, a, aOff, out, oOff, end);
        return end;
      case MUL_SCALAR:
        mulScalar(p, a, aOff, out, oOff, end);
        return end;
      case EXP:
        exp(p, a, aOff, out, oOff, end);
        return end;
      case LOG:
        log(p, a, aOff, out, oOff, end);
        return end;
      case TANH:
        tanh(p, a, aOff, out, oOff, end);
        return end;
      case SIGMOID:
        sigmoid(p, a, aOff, out, oOff, end);
        return end;
      case SILU:
        silu(p, a, aOff, out, oOff, end);
        return end;
      default:
        return 0;
    }
  }

  private static void neg(float p, float[] a, int aOff, float[] out, int oOff, int end) {
    for (int i = 0; i < end; i += F.length()) {
      FloatVector x = FloatVector.fromArray(F, a, aOff + i);
      x.neg().intoArray(out, oOff + i);
    }
  }

  private static void abs(float p, float[] a, int aOff, float[] out, int oOff, int end) {
    for (int i = 0; i < end; i += F.length()) {
      FloatVector x = FloatVector.fromArray(F, a, aOff + i);
      x.abs().intoArray(out, oOff + i);
    }
  }

  private static void sqrt(float p, float[] a, int aOff, float[] out, int oOff, int end) {
    for (int i = 0; i < end; i += F.length()) {
      FloatVector x = FloatVector.fromArray(F, a, aOff + i);
      x.sqrt().intoArray(out, oOff + i);
    }
  }

  private static void square(float p, float[] a, int aOff, float[] out, int oOff, int end) {
    for (int i = 0; i < end; i += F.length()) {
      FloatVector x = FloatVector.fromArray(F, a, aOff + i);
      x.mul(x).intoArray(out, oOff + i);
    }
  }

  private static void reciprocal(float p, float[] a, int aOff, float[] out, int oOff, int end) {
    for (int i = 0; i < end; i += F.length()) {
      FloatVector x = FloatVector.fromArray(F, a, aOff + i);
      FloatVector.broadcast(F, 1f).div(x).intoArray(out, oOff + i);
    }
  }

  // max(x, 0) keeps NaN and maps -0 to +0, like the scalar formula
  private static void relu(float p, float[] a, int aOff, float[] out, int oOff, int end) {
    for (int i = 0; i < end; i += F.length()) {
      FloatVector x = FloatVector.fromArray(F, a, aOff + i);
      x.max(0f).intoArray(out, oOff + i);
    }
  }

  private static void leakyRelu(float p, float[] a, int aOff, float[] out, int oOff, int end) {
    for (int i = 0; i < end; i += F.length()) {
      FloatVector x = FloatVector.fromArray(F, a, aOff + i);
      x.blend(x.mul(p), x.compare(VectorOperators.GT, 0f).not()).intoArray(out, oOff + i);
    }
  }

  private static void addScalar(float p, float[] a, int aOff, float[] out, int oOff, int end) {
    for (int i = 0; i < end; i += F.length()) {
      FloatVector x = FloatVector.fromArray(F, a, aOff + i);
      x.add(p).intoArray(out, oOff + i);
    }
  }

  private static void mulScalar(float p, float[] a, int aOff, float[] out, int oOff, int end) {
    for (int i = 0; i < end; i += F.length()) {
      FloatVector x = FloatVector.fromArray(F, a, aOff + i);
      x.mul(p).intoArray(out, oOff + i);
    }
  }

  private static void exp(float p, float[] a, int aOff, float[] out, int oOff, int end) {
    VectorMath.expLoop(a, aOff, out, oOff, end);
  }

  private static void log(float p, float[] a, int aOff, float[] out, int oOff, int end) {
    VectorMath.logLoop(a, aOff, out, oOff, end);
  }

  private static void tanh(float p, float[] a, int aOff, float[] out, int oOff, int end) {
    VectorMath.tanhLoop(a, aOff, out, oOff, end);
  }

  private static void sigmoid(float p, float[] a, int aOff, float[] out, int oOff, int end) {
    VectorMath.sigmoidLoop(a, aOff, out, oOff, end, false);
  }

  private static void silu(float p, float[] a, int aOff, float[] out, int oOff, int end) {
    VectorMath.sigmoidLoop(a, aOff, out, oOff, end, true);
  }

  @Override
  public void binary(
      BinaryOp op,
      float[] a,
      int aOff,
      int aStride,
      float[] b,
      int bOff,
      int bStride,
      float[] out,
      int oOff,
      int n) {
    int done = 0;
    if (VectorBinary.vectorisable(aStride, bStride)) {
      Warmup w = binaryWarmup[op.ordinal()];
      int share = w.share(n);
      long t0 = share < n ? System.nanoTime() : 0;
      done = VectorBinary.binary(op, a, aOff, aStride, b, bOff, bStride, out, oOff, share);
      if (share < n) w.timed(t0);
    }
    if (done < n) { // scalar tail
      super.binary(
          op,
          a,
          aOff + done * aStride,
          aStride,
          b,
          bOff + done * bStride,
          bStride,
          out,
          oOff + done,
          n - done);
    }
  }

  @Override
  public void binaryTimes(
      BinaryOp op,
      float[] a,
      int aOff,
      int aStride,
      float[] b,
      int bOff,
      int bStride,
      float c,
      float[] out,
      int oOff,
      int n) {
    int done =
        VectorBinary.vectorisable(aStride, bStride)
            ? FusedBinary.binaryTimes(op, a, aOff, aStride, b, bOff, bStride, c, out, oOff, n)
            : 0;
    if (done < n) { // scalar tail, or an op without a fused body
      super.binaryTimes(
          op,
          a,
          aOff + done * aStride,
          aStride,
          b,
          bOff + done * bStride,
          bStride,
          c,
          out,
          oOff + done,
          n - done);
    }
  }

  @Override
  public void sgdStep(float[] w, int wOff, float[] g, int gOff, float lr, boolean zeroGrad, int n) {
    Warmup warmup = sgdWarmup[0];
    int share = warmup.share(n);
    long t0 = share < n ? System.nanoTime() : 0;
    int done = VectorSgd.step(w, wOff, g, gOff, lr, zeroGrad, share);
    if (share < n) warmup.timed(t0);
    if (done < n) super.sgdStep(w, wOff + done, g, gOff + done, lr, zeroGrad, n - done);
  }

  @Override
  public void sgdStep(
      double[] w, int wOff, double[] g, int gOff, double lr, boolean zeroGrad, int n) {
    Warmup warmup = sgdWarmup[1];
    int share = warmup.share(n);
    long t0 = share < n ? System.nanoTime() : 0;
    int done = VectorSgd.step(w, wOff, g, gOff, lr, zeroGrad, share);
    if (share < n) warmup.timed(t0);
    if (done < n) super.sgdStep(w, wOff + done, g, gOff + done, lr, zeroGrad, n - done);
  }

  // compare(...) into boolean[] is inherited (scalar): VectorMask.intoArray(boolean[]) boxes every
  // mask on JDK 17, 2 bytes allocated per element, which a compiled step must not do

  @Override
  public double sum(float[] a, int off, int n) {
    // several independent accumulators hide add latency; folding into a double every block
    // keeps the rounding error of long sums small
    double total = 0;
    int i = 0;
    int step = F.length() * 4;
    while (i + step <= n) {
      int blockEnd = Math.min(n - step + 1, i + 4096);
      FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
      for (; i < blockEnd; i += step) { // vector body
        s0 = s0.add(FloatVector.fromArray(F, a, off + i));
        s1 = s1.add(FloatVector.fromArray(F, a, off + i + F.length()));
        s2 = s2.add(FloatVector.fromArray(F, a, off + i + 2 * F.length()));
        s3 = s3.add(FloatVector.fromArray(F, a, off + i + 3 * F.length()));
      }
      total += s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD); // reduce
    }
    for (; i < n; i++) total += a[off + i]; // scalar tail
    return total;
  }

  @Override
  public void addInto(float[] src, int sOff, float[] acc, int aOff, int n) {
    int share = addIntoWarmup.share(n), end = F.loopBound(share);
    long t0 = share < n ? System.nanoTime() : 0;
    addIntoBody(src, sOff, acc, aOff, end);
    if (share < n) addIntoWarmup.timed(t0);
    for (int i = end; i < n; i++) acc[aOff + i] += src[sOff + i];
  }

  private static void addIntoBody(float[] src, int sOff, float[] acc, int aOff, int end) {
    for (int i = 0; i < end; i += F.length()) {
      FloatVector.fromArray(F, acc, aOff + i)
          .add(FloatVector.fromArray(F, src, sOff + i))
          .intoArray(acc, aOff + i);
    }
  }

  @Override
  public void clamp(float[] a, int aOff, float lo, float hi, float[] out, int oOff, int n) {
    boolean minOnly = hi == Float.POSITIVE_INFINITY;
    Warmup w = clampWarmup[minOnly ? 0 : 1];
    int share = w.share(n), end = F.loopBound(share);
    long t0 = share < n ? System.nanoTime() : 0;
    if (minOnly) clampMinBody(a, aOff, lo, out, oOff, end);
    else clampBody(a, aOff, lo, hi, out, oOff, end);
    if (share < n) w.timed(t0);
    if (end < n) super.clamp(a, aOff + end, lo, hi, out, oOff + end, n - end); // scalar tail
  }

  // clampMin (relu as the seed writes it): no x is above +inf, so the second blend is the identity
  // (NaN compares false in both); one compare and one blend per vector, warm or cold
  private static void clampMinBody(float[] a, int aOff, float lo, float[] out, int oOff, int end) {
    FloatVector l = FloatVector.broadcast(F, lo);
    for (int i = 0; i < end; i += F.length()) {
      FloatVector x = FloatVector.fromArray(F, a, aOff + i);
      x.blend(l, x.compare(VectorOperators.LT, l)).intoArray(out, oOff + i);
    }
  }

  // two blends in the scalar formula's order, lo first (not min/max, which would turn -0 into +0)
  private static void clampBody(
      float[] a, int aOff, float lo, float hi, float[] out, int oOff, int end) {
    FloatVector l = FloatVector.broadcast(F, lo), h = FloatVector.broadcast(F, hi);
    for (int i = 0; i < end; i += F.length()) {
      FloatVector x = FloatVector.fromArray(F, a, aOff + i);
      FloatVector t = x.blend(l, x.compare(VectorOperators.LT, l));
      t.blend(h, t.compare(VectorOperators.GT, h)).intoArray(out, oOff + i);
    }
  }

  @Override
  public void maskGrad(
      float[] g,
      int gOff,
      float[] x,
      int xOff,
      float lo,
      float hi,
      boolean loOpen,
      float[] out,
      int oOff,
      int n) {
    int loop = (hi == Float.POSITIVE_INFINITY ? 0 : 2) + (loOpen ? 0 : 1);
    Warmup w = maskWarmup[loop];
    int share = w.share(n), end = F.loopBound(share);
    long t0 = share < n ? System.nanoTime() : 0;
    if (loop == 0) reluGrad(g, gOff, x, xOff, lo, out, oOff, end);
    else if (loop == 1) clampMinGrad(g, gOff, x, xOff, lo, out, oOff, end);
    else if (loop == 2) maskGradOpen(g, gOff, x, xOff, lo, hi, out, oOff, end);
    else maskGradClosed(g, gOff, x, xOff, lo, hi, out, oOff, end);
    if (share < n) w.timed(t0);
    if (end < n)
      super.maskGrad(
          g, gOff + end, x, xOff + end, lo, hi, loOpen, out, oOff + end, n - end); // scalar tail
  }

  // relu and clampMin (no upper bound): x > +inf never holds and x <= +inf holds for all but NaN,
  // so one compare gives the same mask as the two-sided forms below (one loop per method, as
  // above). relu (open): x <= lo zeroes, a NaN keeps g.
  private static void reluGrad(
      float[] g, int gOff, float[] x, int xOff, float lo, float[] out, int oOff, int end) {
    FloatVector l = FloatVector.broadcast(F, lo), zero = FloatVector.zero(F);
    for (int i = 0; i < end; i += F.length()) {
      VectorMask<Float> off = FloatVector.fromArray(F, x, xOff + i).compare(VectorOperators.LE, l);
      FloatVector.fromArray(F, g, gOff + i).blend(zero, off).intoArray(out, oOff + i);
    }
  }

  // clampMin (closed): x >= lo keeps g, a NaN gets 0
  private static void clampMinGrad(
      float[] g, int gOff, float[] x, int xOff, float lo, float[] out, int oOff, int end) {
    FloatVector l = FloatVector.broadcast(F, lo), zero = FloatVector.zero(F);
    for (int i = 0; i < end; i += F.length()) {
      VectorMask<Float> keep = FloatVector.fromArray(F, x, xOff + i).compare(VectorOperators.GE, l);
      zero.blend(FloatVector.fromArray(F, g, gOff + i), keep).intoArray(out, oOff + i);
    }
  }

  // comparisons with NaN are false, so a NaN in x keeps g (relu), as in the scalar loop; clamp's
  // closed form zeroes it
  private static void maskGradOpen(
      float[] g,
      int gOff,
      float[] x,
      int xOff,
      float lo,
      float hi,
      float[] out,
      int oOff,
      int end) {
    for (int i = 0; i < end; i += F.length()) {
      FloatVector xv = FloatVector.fromArray(F, x, xOff + i);
      VectorMask<Float> zero =
          xv.compare(VectorOperators.LE, lo).or(xv.compare(VectorOperators.GT, hi));
      FloatVector.fromArray(F, g, gOff + i).blend(0f, zero).intoArray(out, oOff + i);
    }
  }

  private static void maskGradClosed(
      float[] g,
      int gOff,
      float[] x,
      int xOff,
      float lo,
      float hi,
      float[] out,
      int oOff,
      int end) {
    for (int i = 0; i < end; i += F.length()) {
      FloatVector xv = FloatVector.fromArray(F, x, xOff + i);
      VectorMask<Float> keep =
          xv.compare(VectorOperators.GE, lo)
              .and(xv.compare(VectorOperators.LE, hi)); // NaN: not kept
      FloatVector.fromArray(F, g, gOff + i).blend(0f, keep.not()).intoArray(out, oOff + i);
    }
  }

  @Override
  public void adam(
      float[] p,
      int pOff,
      float[] g,
      int gOff,
      float[] m,
      int mOff,
      float[] v,
      int vOff,
      float[] vMax,
      int maxOff,
      int n,
      double[] c) {
    int end = vMax == null ? F.loopBound(n) : 0; // amsgrad runs the plain loop
    if (end > 0) {
      if (c[0] != 0) adamDecay(p, pOff, g, gOff, m, mOff, v, vOff, end, c);
      else adamPlain(p, pOff, g, gOff, m, mOff, v, vOff, end, c);
    }
    if (end < n)
      super.adam(
          p,
          pOff + end,
          g,
          gOff + end,
          m,
          mOff + end,
          v,
          vOff + end,
          vMax,
          maxOff + end,
          n - end,
          c); // scalar tail
  }

  // mul then add, never fma: the same roundings as the scalar loop and the op-by-op update
  private static void adamPlain(
      float[] p,
      int pOff,
      float[] g,
      int gOff,
      float[] m,
      int mOff,
      float[] v,
      int vOff,
      int end,
      double[] c) {
    float b1 = (float) c[1], c1 = (float) c[2], b2 = (float) c[3], c2 = (float) c[4];
    float bc2Sqrt = (float) c[5], eps = (float) c[6], step = (float) c[7];
    for (int i = 0; i < end; i += F.length()) {
      FloatVector gr = FloatVector.fromArray(F, g, gOff + i);
      FloatVector mi = FloatVector.fromArray(F, m, mOff + i).mul(b1).add(gr.mul(c1));
      FloatVector vi = FloatVector.fromArray(F, v, vOff + i).mul(b2).add(gr.mul(gr).mul(c2));
      mi.intoArray(m, mOff + i);
      vi.intoArray(v, vOff + i);
      FloatVector denom = vi.sqrt().div(bc2Sqrt).add(eps);
      FloatVector.fromArray(F, p, pOff + i).add(mi.div(denom).mul(step)).intoArray(p, pOff + i);
    }
  }

  private static void adamDecay(
      float[] p,
      int pOff,
      float[] g,
      int gOff,
      float[] m,
      int mOff,
      float[] v,
      int vOff,
      int end,
      double[] c) {
    float wd = (float) c[0],
        b1 = (float) c[1],
        c1 = (float) c[2],
        b2 = (float) c[3],
        c2 = (float) c[4];
    float bc2Sqrt = (float) c[5], eps = (float) c[6], step = (float) c[7];
    for (int i = 0; i < end; i += F.length()) {
      FloatVector pv = FloatVector.fromArray(F, p, pOff + i);
      FloatVector gr = FloatVector.fromArray(F, g, gOff + i).add(pv.mul(wd));
      FloatVector mi = FloatVector.fromArray(F, m, mOff + i).mul(b1).add(gr.mul(c1));
      FloatVector vi = FloatVector.fromArray(F, v, vOff + i).mul(b2).add(gr.mul(gr).mul(c2));
      mi.intoArray(m, mOff + i);
      vi.intoArray(v, vOff + i);
      FloatVector denom = vi.sqrt().div(bc2Sqrt).add(eps);
      pv.add(mi.div(denom).mul(step)).intoArray(p, pOff + i);
    }
  }

  @Override
  public void gemm(
      int m,
      int n,
      int k,
      float[] a,
      int aOff,
      int aRs,
      int aCs,
      float[] b,
      int bOff,
      int bRs,
      int bCs,
      float[] c,
      int cOff,
      int ldc,
      boolean accumulate) {
    FloatGemm.gemm(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate);
  }

  @Override
  public void gemm(
      int m,
      int n,
      int k,
      double[] a,
      int aOff,
      int aRs,
      int aCs,
      double[] b,
      int bOff,
      int bRs,
      int bCs,
      double[] c,
      int cOff,
      int ldc,
      boolean accumulate) {
    DoubleGemm.gemm(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate);
  }
}
