package dev.autograd.core.kernels.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The plain-Java twins of the GEMM micro-kernels give the vector kernels' bits: every path of
 * {@link FloatGemm} (direct and blocked, packed or not, whole and partial tiles, the edge columns
 * by dot products and by axpys, accumulation into C), with signed zeros, infinities and NaN, cold
 * and after C2 has compiled the vector kernels.
 */
class ColdGemmParityTest {
  @AfterEach
  void sample() {
    ColdGemm.mode = ColdGemm.Mode.SAMPLE;
  }

  /** m, n, k, A transposed, B transposed, accumulate. */
  static Object[][] shapes() {
    return new Object[][] {
      {64, 100, 1000, false, false, false}, // the seed's x·w1: tiles + dot-product edge
      {64, 100, 1000, false, false, true},
      {1000, 100, 64, true, false, true}, // its weight gradient: axpys edge, accumulated
      {1000, 100, 64, true, false, false},
      {64, 100, 10, false, true, false}, // g·w2ᵀ: B copied dense, a partial last panel
      {100, 10, 64, true, false, false}, // hᵀ·g: one-vector tiles, a partial last row panel
      {64, 10, 100, false, false, true},
      {4, 40, 33, false, false, false}, // four rows: the half-height kernel
      {3, 70, 17, false, false, true},
      {37, 131, 29, false, false, false}, // ragged everywhere
      {37, 131, 29, true, true, true},
      {96, 256, 600, false, false, false}, // blocked: A packed, K in two slabs
      {96, 256, 600, true, true, true}, // blocked, B packed
      {70, 200, 20, false, true, false},
      {33, 97, 16, false, false, false}, // one vector of K in the dot products, no tail
      {33, 98, 47, true, false, true}, // rows past the axpys' vectors
      {1, 1, 1, false, false, true},
    };
  }

  @ParameterizedTest
  @MethodSource("shapes")
  void twinsGiveTheVectorKernelsBits(int m, int n, int k, boolean ta, boolean tb, boolean acc) {
    for (long seed = 0; seed < 3; seed++) {
      Product p = new Product(m, n, k, ta, tb, acc, seed, seed == 2);
      assertSameBits(p.run(ColdGemm.Mode.VECTOR), p.run(ColdGemm.Mode.TWIN), p.toString());
    }
  }

  @Test
  void twinsGiveTheCompiledKernelsBitsToo() {
    // enough calls for C2 to compile the vector kernels (and the reductions' intrinsics) on the way
    Product[] ps = {
      new Product(64, 100, 200, false, false, true, 7, true),
      new Product(200, 100, 64, true, false, true, 8, true),
      new Product(64, 10, 100, false, false, false, 9, false),
      new Product(100, 10, 64, true, false, false, 10, false),
      new Product(4, 40, 33, false, false, true, 11, true),
    };
    float[][] twins = new float[ps.length][];
    for (int i = 0; i < ps.length; i++) twins[i] = ps[i].run(ColdGemm.Mode.TWIN);
    for (int rep = 0; rep < 2_000; rep++) {
      for (int i = 0; i < ps.length; i++) {
        float[] v = ps[i].run(ColdGemm.Mode.VECTOR);
        if (rep % 500 == 0 || rep == 1_999) assertSameBits(v, twins[i], ps[i] + " rep " + rep);
      }
    }
  }

  @Test
  void samplingRoutesCallsBetweenTheTwinAndTheVectorKernelsWithoutChangingAValue() {
    Product p = new Product(64, 100, 300, false, false, true, 12, true);
    float[] vector = p.run(ColdGemm.Mode.VECTOR);
    for (int rep = 0; rep < 50; rep++)
      assertSameBits(vector, p.run(ColdGemm.Mode.SAMPLE), "sampled");
  }

  private static void assertSameBits(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
        assertEquals(expected[i], actual[i], what + ": element " + i + " differs");
        assertEquals(
            Float.floatToIntBits(expected[i]),
            Float.floatToIntBits(actual[i]),
            what + ": element " + i + " differs in sign of zero");
      }
    }
  }

  /** One product's operands (in a larger array at an offset, with strides) and its initial C. */
  private static final class Product {
    final int m, n, k, aOff = 3, bOff = 5, cOff = 2, ldc;
    final boolean ta, tb, acc;
    final float[] a, b, c0;
    final String name;

    Product(int m, int n, int k, boolean ta, boolean tb, boolean acc, long seed, boolean special) {
      this.m = m;
      this.n = n;
      this.k = k;
      this.ta = ta;
      this.tb = tb;
      this.acc = acc;
      this.ldc = n + 3;
      Random r = new Random(seed);
      a = values(r, aOff + m * k + 7, special);
      b = values(r, bOff + k * n + 7, special);
      c0 = values(r, cOff + m * ldc, special);
      name = m + "x" + n + "x" + k + (ta ? " Aᵀ" : "") + (tb ? " Bᵀ" : "") + (acc ? " +=" : "");
    }

    float[] run(ColdGemm.Mode mode) {
      ColdGemm.mode = mode;
      float[] c = c0.clone();
      FloatGemm.gemm(
          m,
          n,
          k,
          a,
          aOff,
          ta ? 1 : k,
          ta ? m : 1,
          b,
          bOff,
          tb ? 1 : n,
          tb ? k : 1,
          c,
          cOff,
          ldc,
          acc);
      return c;
    }

    @Override
    public String toString() {
      return name;
    }

    private static float[] values(Random r, int size, boolean special) {
      float[] v = new float[size];
      for (int i = 0; i < size; i++) {
        v[i] = (float) r.nextGaussian();
        if (special) {
          int pick = r.nextInt(200);
          if (pick == 0) v[i] = -0f;
          else if (pick == 1) v[i] = 0f;
          else if (pick == 2) v[i] = Float.POSITIVE_INFINITY;
          else if (pick == 3) v[i] = Float.NaN;
          else if (pick < 40) v[i] = -0f * v[i]; // many exact zeros: products and sums of -0
        }
      }
      return v;
    }
  }
}
