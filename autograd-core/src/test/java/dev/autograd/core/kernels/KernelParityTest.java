package dev.autograd.core.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Vector API kernels against the plain-Java ones over lengths that straddle the lane count (and
 * the 512-element share of a cold loop): arithmetic bit for bit, transcendentals within a few ulps,
 * sums within 1e-5·n.
 */
class KernelParityTest {
  private static final int[] LENGTHS = {
    1, 3, 7, 8, 9, 15, 16, 17, 31, 64, 127, 512, 513, 1000, 4099, 16384
  };
  private static final float[] SPECIALS = {
    0f,
    -0f,
    Float.NaN,
    Float.POSITIVE_INFINITY,
    Float.NEGATIVE_INFINITY,
    Float.MIN_VALUE,
    -Float.MIN_VALUE,
    Float.MIN_NORMAL,
    Float.MAX_VALUE,
    -Float.MAX_VALUE,
    1f,
    -1f
  };

  private final Kernels scalar = KernelProvider.scalar();
  private Kernels vector;
  private final Random rnd = new Random(3);

  @BeforeEach
  void vectorKernels() {
    assumeTrue(
        ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
        "jdk.incubator.vector not in the boot layer");
    vector = kernelsUnderTest();
  }

  /**
   * The vector kernels under test: here with every loop warm (whole calls, as once compiled);
   * {@link ColdKernelParityTest} repeats every test with cold loops, which split calls with plain
   * Java.
   */
  Kernels kernelsUnderTest() {
    return dev.autograd.core.kernels.simd.VectorKernels.warmedUp();
  }

  /** n values uniform in [lo, hi), with the special values sprinkled in when asked. */
  private float[] data(int n, float lo, float hi, boolean specials) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) x[i] = lo + rnd.nextFloat() * (hi - lo);
    if (specials) for (int i = 0; i < n; i += 5) x[i] = SPECIALS[rnd.nextInt(SPECIALS.length)];
    return x;
  }

  private static void assertBitExact(float[] expected, float[] actual, String what) {
    for (int i = 0; i < expected.length; i++) {
      if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
        throw new AssertionError(
            what + " at " + i + ": scalar " + expected[i] + ", vector " + actual[i]);
      }
    }
  }

  private static void assertClose(float[] expected, float[] actual, int ulps, String what) {
    for (int i = 0; i < expected.length; i++) {
      float e = expected[i], a = actual[i];
      if (Float.isNaN(e) || Float.isInfinite(e) || e == 0f) {
        boolean ok =
            Float.isNaN(e) ? Float.isNaN(a) : (e == 0f ? Math.abs(a) <= Float.MIN_NORMAL : e == a);
        if (!ok)
          throw new AssertionError(what + " at output " + i + ": scalar " + e + ", vector " + a);
        continue;
      }
      double err = Math.abs((double) e - a);
      if (err > ulps * Math.ulp(e) && err > 1e-6 * Math.abs(e)) {
        throw new AssertionError(
            what
                + " at output "
                + i
                + ": scalar "
                + e
                + ", vector "
                + a
                + " ("
                + err / Math.ulp(e)
                + " ulp)");
      }
    }
  }

  private void unaryBoth(
      UnaryOp op, double p, float[] x, float[] expected, float[] actual, int off) {
    int n = x.length - off;
    scalar.unary(op, p, x, off, 1, expected, 2, n);
    vector.unary(op, p, x, off, 1, actual, 2, n);
  }

  @Test
  void arithmeticUnaryIsBitExact() {
    Object[][] ops = {
      {UnaryOp.NEG, 0.0},
      {UnaryOp.ABS, 0.0},
      {UnaryOp.SQRT, 0.0},
      {UnaryOp.SQUARE, 0.0},
      {UnaryOp.RECIPROCAL, 0.0},
      {UnaryOp.RELU, 0.0},
      {UnaryOp.LEAKY_RELU, 0.01},
      {UnaryOp.ADD_SCALAR, 0.3},
      {UnaryOp.MUL_SCALAR, 1.7}
    };
    for (Object[] o : ops) {
      for (int n : LENGTHS) {
        UnaryOp op = (UnaryOp) o[0];
        float[] x = data(n + 1, -10, 10, true);
        float[] e = new float[n + 2], a = new float[n + 2];
        unaryBoth(op, (Double) o[1], x, e, a, 1);
        assertBitExact(e, a, op + " n=" + n);
      }
    }
  }

  @Test
  void transcendentalsWithinAFewUlps() {
    Object[][] ops = {
      {UnaryOp.EXP, -110f, 95f},
      {UnaryOp.EXP, -2f, 2f},
      {UnaryOp.LOG, 0f, 100f},
      {UnaryOp.LOG, 0.5f, 2f},
      {UnaryOp.LOG, -1e-37f, 1e-37f},
      {UnaryOp.TANH, -12f, 12f},
      {UnaryOp.TANH, -0.8f, 0.8f},
      {UnaryOp.SIGMOID, -110f, 110f},
      {UnaryOp.SIGMOID, -3f, 3f},
      {UnaryOp.SILU, -20f, 20f}
    };
    for (Object[] o : ops) {
      for (int n : LENGTHS) {
        UnaryOp op = (UnaryOp) o[0];
        float[] x = data(n, (Float) o[1], (Float) o[2], true);
        float[] e = new float[n + 2], a = new float[n + 2];
        unaryBoth(op, 0, x, e, a, 0);
        assertClose(e, a, 4, op + " n=" + n);
      }
    }
  }

  @Test
  void inPlaceUnaryMatchesOutOfPlace() {
    for (UnaryOp op :
        new UnaryOp[] {
          UnaryOp.EXP, UnaryOp.LOG, UnaryOp.TANH, UnaryOp.SIGMOID, UnaryOp.SILU, UnaryOp.RELU
        }) {
      for (int n : new int[] {17, 1000, 4099}) {
        float[] x = data(n, 0.01f, 5, false);
        float[] e = new float[n];
        scalar.unary(op, 0, x, 0, 1, e, 0, n);
        vector.unary(op, 0, x, 0, 1, x, 0, n); // out aliases the input
        assertClose(e, x, 4, "in-place " + op + " n=" + n);
      }
    }
  }

  @Test
  void stridedUnaryTakesTheScalarPath() {
    float[] x = data(2 * 100, -3, 3, false);
    float[] e = new float[100], a = new float[100];
    scalar.unary(UnaryOp.EXP, 0, x, 1, 2, e, 0, 100);
    vector.unary(UnaryOp.EXP, 0, x, 1, 2, a, 0, 100);
    assertClose(e, a, 4, "strided exp");
  }

  @Test
  void binaryIsBitExactForEveryStridePattern() {
    int[][] strides = {{1, 1}, {0, 1}, {1, 0}, {2, 1}, {1, 2}, {0, 0}};
    for (BinaryOp op : BinaryOp.values()) {
      for (int[] st : strides) {
        for (int n : LENGTHS) {
          float[] a = data(2 * n + 2, -4, 4, op != BinaryOp.POW), b = data(2 * n + 2, -4, 4, true);
          if (op == BinaryOp.POW) for (int i = 0; i < a.length; i++) a[i] = Math.abs(a[i]);
          float[] e = new float[n + 1], v = new float[n + 1];
          scalar.binary(op, a, 1, st[0], b, 2, st[1], e, 1, n);
          vector.binary(op, a, 1, st[0], b, 2, st[1], v, 1, n);
          assertBitExact(e, v, op + " strides " + st[0] + "," + st[1] + " n=" + n);
        }
      }
    }
  }

  @Test
  void compareIsExactForEveryStridePattern() {
    int[][] strides = {{1, 1}, {0, 1}, {1, 0}, {2, 1}};
    for (CompareOp op : CompareOp.values()) {
      for (int[] st : strides) {
        for (int n : LENGTHS) {
          float[] a = data(2 * n + 1, -2, 2, true), b = data(2 * n + 1, -2, 2, true);
          for (int i = 0; i < a.length; i += 3) a[i] = b[i]; // ties
          boolean[] e = new boolean[n + 3], v = new boolean[n + 3];
          scalar.compare(op, a, 1, st[0], b, 0, st[1], e, 3, n);
          vector.compare(op, a, 1, st[0], b, 0, st[1], v, 3, n);
          assertArrayEquals(e, v, op + " strides " + st[0] + "," + st[1] + " n=" + n);
        }
      }
    }
  }

  @Test
  void sumWithinToleranceScaledWithLength() {
    for (int n : LENGTHS) {
      float[] x = data(n + 3, -1, 1, false);
      assertEquals(scalar.sum(x, 3, n), vector.sum(x, 3, n), 1e-5 * n, "sum n=" + n);
    }
    float[] ones = new float[1 << 20];
    java.util.Arrays.fill(ones, 0.1f);
    assertEquals(
        ones.length * (double) 0.1f,
        vector.sum(ones, 0, ones.length),
        1e-5 * ones.length,
        "long sum");
  }

  @Test
  void addIntoIsBitExact() {
    for (int n : LENGTHS) {
      float[] src = data(n + 1, -5, 5, false), e = data(n + 2, -5, 5, false);
      float[] v = e.clone();
      scalar.addInto(src, 1, e, 2, n);
      vector.addInto(src, 1, v, 2, n);
      assertBitExact(e, v, "addInto n=" + n);
    }
  }

  /**
   * The one-pass SGD step equals its two kernels (a MUL by lr, then a SUB) bit for bit, on both
   * kernel sets, and clears the gradient only when asked.
   */
  @Test
  void sgdStepIsBitExactWithMulThenSub() {
    for (boolean zero : new boolean[] {false, true}) {
      for (int n : LENGTHS) {
        float[] w = data(n + 1, -3, 3, true), g = data(n + 2, -3, 3, true);
        float lr = 1e-3f;
        float[] product = new float[n], expected = w.clone();
        scalar.binary(BinaryOp.MUL, g, 2, 1, new float[] {lr}, 0, 0, product, 0, n);
        scalar.binary(BinaryOp.SUB, w, 1, 1, product, 0, 1, expected, 1, n);
        for (Kernels k : new Kernels[] {scalar, vector}) {
          float[] wk = w.clone(), gk = g.clone();
          k.sgdStep(wk, 1, gk, 2, lr, zero, n);
          assertBitExact(expected, wk, k.name() + " sgdStep w n=" + n);
          for (int i = 0; i < gk.length; i++) {
            boolean cleared = zero && i >= 2 && i < n + 2;
            assertEquals(cleared ? 0f : g[i], gk[i], k.name() + " sgdStep g[" + i + "] n=" + n);
          }
        }
        double[] wd = new double[n + 1], gd = new double[n + 1];
        for (int i = 0; i < n; i++) {
          wd[i + 1] = w[i];
          gd[i + 1] = g[i];
        }
        double[] pd = new double[n], ed = wd.clone();
        scalar.binary(BinaryOp.MUL, gd, 1, 1, new double[] {1e-3}, 0, 0, pd, 0, n);
        scalar.binary(BinaryOp.SUB, wd, 1, 1, pd, 0, 1, ed, 1, n);
        for (Kernels k : new Kernels[] {scalar, vector}) {
          double[] wk = wd.clone(), gk = gd.clone();
          k.sgdStep(wk, 1, gk, 1, 1e-3, zero, n);
          assertArrayEquals(ed, wk, 0.0, k.name() + " sgdStep double w n=" + n);
          assertEquals(zero ? 0.0 : gd[n], gk[n], k.name() + " sgdStep double g n=" + n);
        }
      }
    }
  }

  @Test
  void clampIsBitExact() {
    for (int n : LENGTHS) {
      float[] x = data(n + 1, -3, 3, true);
      float[] e = new float[n + 2], a = new float[n + 2];
      scalar.clamp(x, 1, -0.5f, 0.75f, e, 2, n);
      vector.clamp(x, 1, -0.5f, 0.75f, a, 2, n);
      assertBitExact(e, a, "clamp n=" + n);
      scalar.clamp(x, 1, 0f, Float.POSITIVE_INFINITY, e, 2, n);
      vector.clamp(x, 1, 0f, Float.POSITIVE_INFINITY, a, 2, n);
      assertBitExact(e, a, "clampMin(0) n=" + n);
      scalar.clamp(x, 1, 1f, -1f, e, 2, n); // min > max: max wins, as PyTorch
      vector.clamp(x, 1, 1f, -1f, a, 2, n);
      assertBitExact(e, a, "clamp(1, -1) n=" + n);
    }
  }

  @Test
  void maskGradIsBitExact() {
    // relu (open, no upper bound), clampMin (closed, no upper bound) and clamp's two-sided forms:
    // the vector path has a one-compare loop for the first two; NaN, infinities and -0 included
    float[][] bounds = {
      {0f, Float.POSITIVE_INFINITY}, {-0.5f, 0.75f}, {Float.NEGATIVE_INFINITY, 0.25f}
    };
    for (boolean open : new boolean[] {true, false}) {
      for (float[] b : bounds) {
        for (int n : LENGTHS) {
          float[] g = data(n + 1, -5, 5, true), x = data(n + 2, -2, 2, true);
          float[] e = new float[n + 3], a = new float[n + 3];
          scalar.maskGrad(g, 1, x, 2, b[0], b[1], open, e, 3, n);
          vector.maskGrad(g, 1, x, 2, b[0], b[1], open, a, 3, n);
          assertBitExact(e, a, "maskGrad open=" + open + " [" + b[0] + ", " + b[1] + "] n=" + n);
        }
      }
    }
  }

  @Test
  void adamIsBitExact() {
    double[][] coefs = {
      {
        0,
        0.9,
        0.1,
        0.999,
        1e-3,
        Math.sqrt(1 - Math.pow(0.999, 3)),
        1e-8,
        -1e-3 / (1 - Math.pow(0.9, 3))
      },
      {0.01, 0.8, 0.2, 0.99, 0.01, 0.3, 1e-6, -0.05}
    };
    for (double[] c : coefs) {
      for (boolean ams : new boolean[] {false, true}) {
        for (int n : LENGTHS) {
          float[] p = data(n + 1, -1, 1, false),
              g = data(n + 2, -1, 1, false),
              m = data(n + 1, -0.1f, 0.1f, false),
              v = data(n + 1, 0, 0.01f, false);
          float[] vm = ams ? data(n + 1, 0, 0.02f, false) : null;
          float[] p2 = p.clone(), m2 = m.clone(), v2 = v.clone(), vm2 = ams ? vm.clone() : null;
          scalar.adam(p, 1, g, 2, m, 1, v, 1, vm, 1, n, c);
          vector.adam(p2, 1, g, 2, m2, 1, v2, 1, vm2, 1, n, c);
          assertBitExact(p, p2, "adam p n=" + n);
          assertBitExact(m, m2, "adam m n=" + n);
          assertBitExact(v, v2, "adam v n=" + n);
          if (ams) assertBitExact(vm, vm2, "adam vMax n=" + n);
        }
      }
    }
  }
}
