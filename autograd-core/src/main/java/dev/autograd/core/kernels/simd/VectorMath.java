package dev.autograd.core.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vectorised float exp, log, tanh and sigmoid (range reduction plus a minimax polynomial, the
 * Cephes coefficients), accurate to a few ulps. {@code lanewise(EXP)} and {@code TANH} are not
 * intrinsified on JDK 17 here (13 and 21 ns per element, against well under 1 ns for these). Each
 * is a loop over arrays with straight-line, branch-free bodies: see Note [no vector crosses a
 * call].
 */
final class VectorMath {
  private VectorMath() {}

  private static final VectorSpecies<Float> F = VectorKernels.F;

  // a.fma(b, c) is written out at each use as (FAST_FMA ? a.fma(b, c) : a.mul(b).add(c)), not
  // through a helper method: see Note [no vector crosses a call]
  private static final boolean FAST_FMA = VectorKernels.FAST_FMA;

  private static final float LOG2E = 1.44269504088896341f;
  private static final float LN2_HI = 0.693359375f; // few bits: n·LN2_HI is exact
  private static final float LN2_LO = -2.12194440e-4f;

  /** 1.5·2^23: adding it rounds a float below 2^22 to an integer, readable from the low bits. */
  private static final float SHIFTER = 12582912f;

  private static final int SHIFTER_BITS = 0x4B400000;

  /** Elements per two-pass chunk: a multiple of every vector length, small enough for L1. */
  private static final int CHUNK = 1024;

  // Note [no vector crosses a call]: on JDK 17 a vector passed to or returned from a method that
  // C2 does not inline is boxed, and C2 stops inlining once a compilation grows past its node
  // budget (NodeCountInliningCutoff: the Vector API's own methods are force-inlined past it, ours
  // are not; a log loop that called a small fma helper boxed its last two vectors on some runs) or
  // the callee was already compiled on its own. So these kernels are whole loops over arrays that
  // call no helper of ours; a function built on e^x runs in two passes per L1-sized chunk, e^x
  // first into a
  // per-thread buffer (which also keeps in-place calls, a == out, correct).
  private static final ThreadLocal<float[]> CHUNK_BUFFER =
      ThreadLocal.withInitial(() -> new float[CHUNK]);

  /** out[oOff + i] = e^{a[aOff + i]} for i in [0, end). */
  static void expLoop(float[] a, int aOff, float[] out, int oOff, int end) {
    expPass(a, aOff, out, oOff, 0, end, false, 0f);
  }

  /**
   * dst[dOff + i] = e^x, or e^{−scale·|x|} when {@code negAbs}, for x = a[aOff + i], i in [c0, c1):
   * x = n·ln2 + r with |r| ≤ ln2/2, e^r by a degree-7 polynomial, then scaled by 2^n. For |x| ≤ 86
   * (2^n and the result normal floats) the scaling adds n to the exponent bits. Only a vector with
   * a lane outside (overflow, subnormal results, ±inf, NaN) runs the polynomial again on x clamped
   * to [-104, 89] and scales in two halves; that gives the same bits for the lanes in range, so a
   * result does not depend on which lanes share a vector. (FloatVector.max/min cost more than the
   * whole fast path: they honour NaN and -0.) Once C2 has seen that path often (many inputs beyond
   * ±86 while it compiles), the loop runs at about the old speed, ~0.4 ns per element, not ~0.13.
   */
  private static void expPass(
      float[] a, int aOff, float[] dst, int dOff, int c0, int c1, boolean negAbs, float scale) {
    for (int i = c0; i < c1; i += F.length()) {
      FloatVector x0 = FloatVector.fromArray(F, a, aOff + i);
      // a loop-invariant branch (C2 unswitches the loop): cheaper than a blend per iteration
      FloatVector x = negAbs ? x0.abs().mul(-scale) : x0;
      FloatVector t = x.mul(LOG2E).add(SHIFTER);
      FloatVector n = t.sub(SHIFTER);
      FloatVector r =
          (FAST_FMA
              ? n.fma(FloatVector.broadcast(F, -LN2_HI), x)
              : n.mul(FloatVector.broadcast(F, -LN2_HI)).add(x));
      r =
          (FAST_FMA
              ? n.fma(FloatVector.broadcast(F, -LN2_LO), r)
              : n.mul(FloatVector.broadcast(F, -LN2_LO)).add(r));
      FloatVector p =
          (FAST_FMA
              ? r.fma(1.9875691500e-4f, 1.3981999507e-3f)
              : r.mul(1.9875691500e-4f).add(1.3981999507e-3f));
      p =
          (FAST_FMA
              ? p.fma(r, FloatVector.broadcast(F, 8.3334519073e-3f))
              : p.mul(r).add(FloatVector.broadcast(F, 8.3334519073e-3f)));
      p =
          (FAST_FMA
              ? p.fma(r, FloatVector.broadcast(F, 4.1665795894e-2f))
              : p.mul(r).add(FloatVector.broadcast(F, 4.1665795894e-2f)));
      p =
          (FAST_FMA
              ? p.fma(r, FloatVector.broadcast(F, 1.6666665459e-1f))
              : p.mul(r).add(FloatVector.broadcast(F, 1.6666665459e-1f)));
      p =
          (FAST_FMA
              ? p.fma(r, FloatVector.broadcast(F, 5.0000001201e-1f))
              : p.mul(r).add(FloatVector.broadcast(F, 5.0000001201e-1f)));
      p = (FAST_FMA ? p.fma(r.mul(r), r) : p.mul(r.mul(r)).add(r)).add(1f);
      IntVector ni = t.reinterpretAsInts().sub(SHIFTER_BITS);
      FloatVector y =
          p.reinterpretAsInts().add(ni.lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats();
      VectorMask<Float> wide = x.abs().compare(VectorOperators.LE, 86f).not();
      if (wide.anyTrue()) {
        // NOTE: clamping keeps n in [-150, 128]: below -104 e^x rounds to 0, above 89 to infinity.
        FloatVector xc = x.max(-104f).min(89f);
        FloatVector tc = xc.mul(LOG2E).add(SHIFTER);
        FloatVector nc = tc.sub(SHIFTER);
        FloatVector rc =
            (FAST_FMA
                ? nc.fma(FloatVector.broadcast(F, -LN2_HI), xc)
                : nc.mul(FloatVector.broadcast(F, -LN2_HI)).add(xc));
        rc =
            (FAST_FMA
                ? nc.fma(FloatVector.broadcast(F, -LN2_LO), rc)
                : nc.mul(FloatVector.broadcast(F, -LN2_LO)).add(rc));
        FloatVector q =
            (FAST_FMA
                ? rc.fma(1.9875691500e-4f, 1.3981999507e-3f)
                : rc.mul(1.9875691500e-4f).add(1.3981999507e-3f));
        q =
            (FAST_FMA
                ? q.fma(rc, FloatVector.broadcast(F, 8.3334519073e-3f))
                : q.mul(rc).add(FloatVector.broadcast(F, 8.3334519073e-3f)));
        q =
            (FAST_FMA
                ? q.fma(rc, FloatVector.broadcast(F, 4.1665795894e-2f))
                : q.mul(rc).add(FloatVector.broadcast(F, 4.1665795894e-2f)));
        q =
            (FAST_FMA
                ? q.fma(rc, FloatVector.broadcast(F, 1.6666665459e-1f))
                : q.mul(rc).add(FloatVector.broadcast(F, 1.6666665459e-1f)));
        q =
            (FAST_FMA
                ? q.fma(rc, FloatVector.broadcast(F, 5.0000001201e-1f))
                : q.mul(rc).add(FloatVector.broadcast(F, 5.0000001201e-1f)));
        q = (FAST_FMA ? q.fma(rc.mul(rc), rc) : q.mul(rc.mul(rc)).add(rc)).add(1f);
        // 2^n = 2^(n/2) · 2^(n - n/2): each half is a normal float even when 2^n is not
        IntVector nic = tc.reinterpretAsInts().sub(SHIFTER_BITS);
        IntVector n1 = nic.lanewise(VectorOperators.ASHR, 1);
        IntVector n2 = nic.sub(n1);
        FloatVector s1 = n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = n2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        y.blend(q.mul(s1).mul(s2), wide).intoArray(dst, dOff + i);
      } else {
        y.intoArray(dst, dOff + i); // no vector phi after the branch (C2 would box it)
      }
    }
  }

  /** σ(x) = 1/(1 + e^{−|x|}) for x ≥ 0 and e^{−|x|}/(1 + e^{−|x|}) below: e never overflows. */
  static void sigmoidLoop(float[] a, int aOff, float[] out, int oOff, int end, boolean timesX) {
    float[] e = CHUNK_BUFFER.get();
    for (int c0 = 0; c0 < end; c0 += CHUNK) {
      int c1 = Math.min(end, c0 + CHUNK);
      expPass(a, aOff + c0, e, 0, 0, c1 - c0, true, 1f);
      sigmoidFromExp(a, aOff + c0, e, out, oOff + c0, c1 - c0, timesX);
    }
  }

  /** σ(x), or x·σ(x) (SiLU) when {@code timesX}, from x and e = e^{−|x|}. */
  private static void sigmoidFromExp(
      float[] a, int aOff, float[] e, float[] out, int oOff, int len, boolean timesX) {
    VectorMask<Float> mulX = F.maskAll(timesX);
    for (int i = 0; i < len; i += F.length()) {
      FloatVector x = FloatVector.fromArray(F, a, aOff + i);
      FloatVector ev = FloatVector.fromArray(F, e, i);
      FloatVector s = FloatVector.broadcast(F, 1f).div(ev.add(1f));
      FloatVector sig = s.blend(ev.mul(s), x.lt(0f));
      sig.blend(sig.mul(x), mulX).intoArray(out, oOff + i);
    }
  }

  /**
   * out[oOff + i] = ln a[aOff + i] for i in [0, end): x = m·2^e with m in [√½, √2), ln(1+f) by a
   * degree-9 polynomial, plus e·ln2.
   */
  static void logLoop(float[] a, int aOff, float[] out, int oOff, int end) {
    for (int i = 0; i < end; i += F.length()) {
      FloatVector x = FloatVector.fromArray(F, a, aOff + i);
      VectorMask<Float> subnormal = x.lt(Float.MIN_NORMAL);
      FloatVector xs = x.blend(x.mul(8388608f), subnormal); // 2^23 lifts subnormals
      IntVector bits = xs.reinterpretAsInts();
      FloatVector e =
          (FloatVector)
              bits.lanewise(VectorOperators.LSHR, 23).sub(126).convert(VectorOperators.I2F, 0);
      e = e.sub(FloatVector.zero(F).blend(23f, subnormal));
      FloatVector m = bits.and(0x007fffff).or(0x3f000000).reinterpretAsFloats(); // in [0.5, 1)
      VectorMask<Float> low = m.lt(0.707106781186547524f);
      e = e.sub(FloatVector.zero(F).blend(1f, low));
      FloatVector f = m.blend(m.add(m), low).sub(1f);
      FloatVector z = f.mul(f);
      FloatVector p =
          (FAST_FMA
              ? f.fma(7.0376836292e-2f, -1.1514610310e-1f)
              : f.mul(7.0376836292e-2f).add(-1.1514610310e-1f));
      p =
          (FAST_FMA
              ? p.fma(f, FloatVector.broadcast(F, 1.1676998740e-1f))
              : p.mul(f).add(FloatVector.broadcast(F, 1.1676998740e-1f)));
      p =
          (FAST_FMA
              ? p.fma(f, FloatVector.broadcast(F, -1.2420140846e-1f))
              : p.mul(f).add(FloatVector.broadcast(F, -1.2420140846e-1f)));
      p =
          (FAST_FMA
              ? p.fma(f, FloatVector.broadcast(F, 1.4249322787e-1f))
              : p.mul(f).add(FloatVector.broadcast(F, 1.4249322787e-1f)));
      p =
          (FAST_FMA
              ? p.fma(f, FloatVector.broadcast(F, -1.6668057665e-1f))
              : p.mul(f).add(FloatVector.broadcast(F, -1.6668057665e-1f)));
      p =
          (FAST_FMA
              ? p.fma(f, FloatVector.broadcast(F, 2.0000714765e-1f))
              : p.mul(f).add(FloatVector.broadcast(F, 2.0000714765e-1f)));
      p =
          (FAST_FMA
              ? p.fma(f, FloatVector.broadcast(F, -2.4999993993e-1f))
              : p.mul(f).add(FloatVector.broadcast(F, -2.4999993993e-1f)));
      p =
          (FAST_FMA
              ? p.fma(f, FloatVector.broadcast(F, 3.3333331174e-1f))
              : p.mul(f).add(FloatVector.broadcast(F, 3.3333331174e-1f)));
      FloatVector y = p.mul(f).mul(z);
      y =
          (FAST_FMA
              ? e.fma(FloatVector.broadcast(F, LN2_LO), y)
              : e.mul(FloatVector.broadcast(F, LN2_LO)).add(y));
      y =
          (FAST_FMA
              ? z.fma(FloatVector.broadcast(F, -0.5f), y)
              : z.mul(FloatVector.broadcast(F, -0.5f)).add(y));
      FloatVector r =
          (FAST_FMA
              ? e.fma(FloatVector.broadcast(F, LN2_HI), f.add(y))
              : e.mul(FloatVector.broadcast(F, LN2_HI)).add(f.add(y)));
      // special values: ln 0 = -inf, ln(x<0) = NaN, ln inf = inf, NaN stays NaN
      r = r.blend(Float.NEGATIVE_INFINITY, x.eq(0f));
      r = r.blend(Float.NaN, x.lt(0f).or(x.compare(VectorOperators.NE, x)));
      r.blend(Float.POSITIVE_INFINITY, x.eq(Float.POSITIVE_INFINITY)).intoArray(out, oOff + i);
    }
  }

  /**
   * out[oOff + i] = tanh a[aOff + i] for i in [0, end): an odd polynomial below |x| = 0.625, and (1
   * − e^{−2|x|})/(1 + e^{−2|x|}) with x's sign above.
   */
  static void tanhLoop(float[] a, int aOff, float[] out, int oOff, int end) {
    float[] e = CHUNK_BUFFER.get();
    for (int c0 = 0; c0 < end; c0 += CHUNK) {
      int c1 = Math.min(end, c0 + CHUNK);
      expPass(a, aOff + c0, e, 0, 0, c1 - c0, true, 2f);
      tanhFromExp(a, aOff + c0, e, out, oOff + c0, c1 - c0);
    }
  }

  /** tanh from x and e = e^{−2|x|}: a polynomial below |x| = 0.625, ±(1 − e)/(1 + e) above. */
  private static void tanhFromExp(float[] a, int aOff, float[] ev, float[] out, int oOff, int len) {
    for (int i = 0; i < len; i += F.length()) {
      FloatVector x = FloatVector.fromArray(F, a, aOff + i);
      FloatVector e = FloatVector.fromArray(F, ev, i);
      FloatVector big = FloatVector.broadcast(F, 1f).sub(e).div(e.add(1f));
      FloatVector signed = big.blend(big.neg(), x.lt(0f));
      FloatVector z = x.mul(x);
      FloatVector p =
          (FAST_FMA
              ? z.fma(-5.70498872745e-3f, 2.06390887954e-2f)
              : z.mul(-5.70498872745e-3f).add(2.06390887954e-2f));
      p =
          (FAST_FMA
              ? p.fma(z, FloatVector.broadcast(F, -5.37397155531e-2f))
              : p.mul(z).add(FloatVector.broadcast(F, -5.37397155531e-2f)));
      p =
          (FAST_FMA
              ? p.fma(z, FloatVector.broadcast(F, 1.33314422036e-1f))
              : p.mul(z).add(FloatVector.broadcast(F, 1.33314422036e-1f)));
      p =
          (FAST_FMA
              ? p.fma(z, FloatVector.broadcast(F, -3.33332819422e-1f))
              : p.mul(z).add(FloatVector.broadcast(F, -3.33332819422e-1f)));
      FloatVector small = (FAST_FMA ? p.mul(z).fma(x, x) : p.mul(z).mul(x).add(x));
      signed.blend(small, x.abs().lt(0.625f)).intoArray(out, oOff + i);
    }
  }
}
