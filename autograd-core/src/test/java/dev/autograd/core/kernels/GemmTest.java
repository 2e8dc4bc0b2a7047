package dev.autograd.core.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both GEMM implementations against a naive triple loop (in double): many shapes straddling the
 * micro-tile sizes, row-major, transposed and strided operands, offsets, ldc > n, accumulate, and
 * products large enough to run on the thread pool.
 */
class GemmTest {
  private static final int[] SIZES = {
    1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 33, 64, 65, 100, 127, 128, 129, 257
  };

  static Stream<Kernels> kernels() {
    List<Kernels> list = new ArrayList<>();
    list.add(KernelProvider.scalar());
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
      list.add(new dev.autograd.core.kernels.simd.VectorKernels());
    }
    return list.stream();
  }

  /**
   * A k-by-... operand laid out as row-major (0), transposed (1) or with every other column (2).
   */
  private static final class Operand {
    final int off, rs, cs, rows, cols;
    final float[] f;
    final double[] d;

    Operand(int rows, int cols, int layout, Random rnd) {
      this(rows, cols, layout, rnd, false);
    }

    /** exact: the array ends right after the last element (no trailing room to read past). */
    Operand(int rows, int cols, int layout, Random rnd, boolean exact) {
      this.rows = rows;
      this.cols = cols;
      off = rnd.nextInt(5);
      int pad = rnd.nextInt(3);
      if (layout == 0) {
        rs = cols + pad;
        cs = 1;
      } else if (layout == 1) {
        rs = 1;
        cs = rows + pad;
      } else {
        rs = 2 * cols + pad;
        cs = 2;
      }
      int size = off + (rows - 1) * rs + (cols - 1) * cs + 1 + (exact ? 0 : rnd.nextInt(4));
      f = new float[Math.max(size, 1)];
      d = new double[f.length];
      for (int i = 0; i < f.length; i++) d[i] = f[i] = rnd.nextFloat() * 2 - 1;
    }

    double at(int i, int j) {
      return f[off + i * rs + j * cs];
    }
  }

  private static void check(
      Kernels kern, int m, int n, int k, int layoutA, int layoutB, boolean accumulate, long seed) {
    check(kern, m, n, k, layoutA, layoutB, accumulate, seed, false);
  }

  private static void check(
      Kernels kern,
      int m,
      int n,
      int k,
      int layoutA,
      int layoutB,
      boolean accumulate,
      long seed,
      boolean exact) {
    Random rnd = new Random(seed);
    Operand a = new Operand(m, k, layoutA, rnd, exact);
    Operand b = new Operand(k, n, layoutB, rnd, exact);
    int cOff = rnd.nextInt(4);
    int ldc = n + rnd.nextInt(3);
    float[] cf = new float[cOff + m * ldc + 2];
    double[] cd = new double[cf.length];
    for (int i = 0; i < cf.length; i++) cd[i] = cf[i] = rnd.nextFloat() * 2 - 1;
    float[] cf0 = cf.clone();
    double[] cd0 = cd.clone();
    kern.gemm(m, n, k, a.f, a.off, a.rs, a.cs, b.f, b.off, b.rs, b.cs, cf, cOff, ldc, accumulate);
    kern.gemm(m, n, k, a.d, a.off, a.rs, a.cs, b.d, b.off, b.rs, b.cs, cd, cOff, ldc, accumulate);
    String what =
        kern.name()
            + " m="
            + m
            + " n="
            + n
            + " k="
            + k
            + " layouts "
            + layoutA
            + ","
            + layoutB
            + " acc="
            + accumulate;
    for (int idx = 0; idx < cf.length; idx++) {
      int rel = idx - cOff;
      int i = rel < 0 ? -1 : rel / ldc, j = rel < 0 ? -1 : rel % ldc;
      if (i < 0 || i >= m || j >= n) { // outside C's m×n window: untouched
        assertEquals(cf0[idx], cf[idx], what + ": wrote outside C at " + idx);
        assertEquals(cd0[idx], cd[idx], what + ": wrote outside C at " + idx);
        continue;
      }
      double ref = accumulate ? cd0[idx] : 0, scale = Math.abs(ref);
      for (int p = 0; p < k; p++) {
        ref += a.at(i, p) * b.at(p, j);
        scale += Math.abs(a.at(i, p) * b.at(p, j));
      }
      double tolF = 2e-7 * (k + 2) * scale + 1e-30, tolD = 1e-15 * (k + 2) * scale + 1e-300;
      double errF = Math.abs(cf[idx] - ref), errD = Math.abs(cd[idx] - ref);
      if (errF > tolF)
        throw new AssertionError(
            what + ": float C[" + i + "," + j + "] = " + cf[idx] + ", expected " + ref);
      if (errD > tolD)
        throw new AssertionError(
            what + ": double C[" + i + "," + j + "] = " + cd[idx] + ", expected " + ref);
    }
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void everySizeAlongOneDimension(Kernels kern) {
    long seed = 1;
    for (int s : SIZES) {
      check(kern, s, 17, 9, 0, 0, false, seed++);
      check(kern, 9, s, 17, 0, 0, false, seed++);
      check(kern, 17, 9, s, 0, 0, true, seed++);
    }
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void sampledShapesAndLayouts(Kernels kern) {
    Random rnd = new Random(42);
    for (int t = 0; t < 120; t++) {
      int m = SIZES[rnd.nextInt(SIZES.length)],
          n = SIZES[rnd.nextInt(SIZES.length)],
          k = SIZES[rnd.nextInt(SIZES.length)];
      check(kern, m, n, k, rnd.nextInt(3), rnd.nextInt(3), rnd.nextBoolean(), t);
    }
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void allLayoutsOnEdgeShapes(Kernels kern) {
    int[][] shapes = {
      {8, 32, 256},
      {9, 33, 257},
      {7, 31, 255},
      {64, 10, 100},
      {65, 100, 300},
      {1, 129, 3},
      {129, 1, 65}
    };
    long seed = 100;
    for (int[] s : shapes) {
      for (int la = 0; la < 3; la++) {
        for (int lb = 0; lb < 3; lb++)
          check(kern, s[0], s[1], s[2], la, lb, (la + lb) % 2 == 0, seed++);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void largeProductsUseThePool(Kernels kern) {
    check(kern, 300, 400, 500, 0, 0, false, 7); // 120 MFLOP: split by rows
    check(kern, 300, 400, 500, 1, 1, true, 8); // transposed operands: B packed in parallel
    check(kern, 8, 2000, 300, 0, 0, false, 9); // one row panel: split by columns
    check(kern, 70, 5000, 20, 0, 1, false, 10); // n beyond one column block
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void largeProductsOnOneThreadGiveThePoolsBits(Kernels kern) {
    // Parallel.withThreads(1) (Spark's tasks) changes how C is split, never a sum's order
    int[][] shapes = {{300, 400, 500}, {8, 2000, 300}, {70, 5000, 20}};
    Random rnd = new Random(11);
    for (int[] s : shapes) {
      int m = s[0], n = s[1], k = s[2];
      Operand a = new Operand(m, k, rnd.nextInt(2), rnd),
          b = new Operand(k, n, rnd.nextInt(2), rnd);
      float[] pooled = new float[m * n], alone = new float[m * n];
      double[] pooledD = new double[m * n], aloneD = new double[m * n];
      kern.gemm(m, n, k, a.f, a.off, a.rs, a.cs, b.f, b.off, b.rs, b.cs, pooled, 0, n, false);
      kern.gemm(m, n, k, a.d, a.off, a.rs, a.cs, b.d, b.off, b.rs, b.cs, pooledD, 0, n, false);
      Parallel.withThreads(
          1,
          () -> {
            kern.gemm(m, n, k, a.f, a.off, a.rs, a.cs, b.f, b.off, b.rs, b.cs, alone, 0, n, false);
            kern.gemm(m, n, k, a.d, a.off, a.rs, a.cs, b.d, b.off, b.rs, b.cs, aloneD, 0, n, false);
            return null;
          });
      String what = kern.name() + " " + m + "x" + n + "x" + k;
      assertTrue(java.util.Arrays.equals(pooled, alone), what + ": float bits differ");
      assertTrue(java.util.Arrays.equals(pooledD, aloneD), what + ": double bits differ");
    }
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void emptyDimensions(Kernels kern) {
    float[] c = {5, 5, 5, 5};
    kern.gemm(2, 2, 0, new float[0], 0, 0, 1, new float[0], 0, 2, 1, c, 0, 2, false);
    assertTrue(java.util.Arrays.equals(new float[4], c), "k = 0 without accumulate writes zeros");
    float[] d = {5, 5, 5, 5};
    kern.gemm(2, 2, 0, new float[0], 0, 0, 1, new float[0], 0, 2, 1, d, 0, 2, true);
    assertTrue(
        java.util.Arrays.equals(new float[] {5, 5, 5, 5}, d), "k = 0 with accumulate leaves C");
    kern.gemm(0, 2, 3, new float[0], 0, 3, 1, new float[6], 0, 2, 1, d, 0, 2, false);
    assertTrue(java.util.Arrays.equals(new float[] {5, 5, 5, 5}, d), "m = 0 leaves C");
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void smallProductsWithOperandsEndingTheArray(Kernels kern) {
    // the small-product path reads whole vectors past a row of B: at the array's end it must copy
    int[][] shapes = {
      {64, 10, 100},
      {64, 100, 10},
      {100, 10, 64},
      {8, 16, 5},
      {9, 17, 1},
      {7, 33, 3},
      {1, 1, 1},
      {3, 31, 2},
      {16, 70, 300},
      {5, 48, 40},
      {12, 100, 200},
      {64, 100, 1000}
    };
    long seed = 300;
    for (int[] s : shapes) {
      for (int la = 0; la < 3; la++) {
        for (int lb = 0; lb < 3; lb++)
          check(kern, s[0], s[1], s[2], la, lb, (la + lb + s[1]) % 2 == 0, seed++, true);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void lastFewColumnsPastThePanels(Kernels kern) {
    // n = 32q + 1..4 takes the edge-column path: dot products (A row-major) or row vectors (A
    // transposed)
    int[] ns = {33, 34, 35, 36, 37, 65, 68, 100};
    int[] ms = {1, 2, 3, 31, 32, 33, 64, 65};
    int[] ks = {1, 15, 16, 17, 100};
    Random rnd = new Random(5);
    long seed = 500;
    for (int n : ns) {
      for (int m : ms) {
        int k = ks[rnd.nextInt(ks.length)];
        check(
            kern,
            m,
            n,
            k,
            rnd.nextInt(3),
            rnd.nextInt(3),
            rnd.nextBoolean(),
            seed++,
            rnd.nextBoolean());
      }
    }
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void packedPathsAcrossSlabsAndTransposedPanels(Kernels kern) {
    check(
        kern, 20, 130, 40, 0, 1, false,
        700); // B transposed: 16x16 register transposes plus a scalar tail of K
    check(kern, 20, 130, 48, 1, 1, true, 701);
    check(kern, 70, 500, 600, 0, 0, false, 702); // B packed (k·n > 256K, m > 64), two K slabs
    check(kern, 70, 140, 1030, 1, 1, true, 703); // three K slabs, both operands transposed
    check(kern, 17, 129, 513, 0, 2, false, 704); // A packed (k > 256), B strided
    check(kern, 96, 128, 128, 0, 0, true, 705); // row-major A packed (n ≥ 128), accumulate
    check(kern, 96, 127, 128, 0, 0, true, 706); // row-major A read in place (n < 128)
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void wholeEightRowTilesReadingAInPlace(Kernels kern) {
    // small products read A in place: whole 8-row tiles of a transposed A take eight consecutive
    // values per step, one-vector tiles (n ≤ 16) of a row-major A index each row from its own
    // start; a short last row panel goes to the general kernels. The seed step's shapes, A and B
    // ending their arrays, included.
    int[][] shapes = { // m, n, k
      {8, 32, 1},
      {8, 64, 7},
      {16, 96, 64},
      {24, 64, 100},
      {41, 96, 17},
      {1000, 100, 64},
      {64, 100, 1000},
      {8, 16, 5},
      {16, 10, 100},
      {100, 10, 64},
      {43, 13, 9}
    };
    long seed = 1000;
    for (int[] s : shapes) {
      for (int la = 0; la < 3; la++) {
        for (int lb = 0; lb < 2; lb++)
          check(kern, s[0], s[1], s[2], la, lb, (la + lb) % 2 == 1, seed++, true);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void edgeColumnsOfATransposedAWithRaggedRows(Kernels kern) {
    // A transposed, n = 32q + 1..4: the last columns run down two vectors of rows at a time, a
    // ragged end as one more block overlapping the previous one (its rows must not count twice)
    int[] ms = {31, 32, 33, 47, 63, 64, 100};
    long seed = 1100;
    for (int m : ms) {
      for (int n : new int[] {33, 36, 68}) {
        check(kern, m, n, 17, 1, 0, true, seed++, true);
        check(kern, m, n, 64, 1, 1, false, seed++, false);
        check(kern, m, n, 5, 1, 2, true, seed++, true);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void smallTransposedBCopiedDense(Kernels kern) {
    // a small B read across its columns is copied dense four columns at a time, then one by one
    int[][] shapes = {{64, 10, 100}, {128, 256, 10}, {5, 9, 7}, {16, 3, 1}, {9, 33, 6}};
    long seed = 1200;
    for (int[] s : shapes) {
      check(kern, s[0], s[2], s[1], 0, 1, false, seed++, true);
      check(kern, s[0], s[2], s[1], 1, 2, true, seed++, true);
    }
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void vectorShapesAndOuterProducts(Kernels kern) {
    long seed = 800;
    for (int la = 0; la < 3; la++) {
      for (int lb = 0; lb < 3; lb++) {
        boolean acc = (la + lb) % 2 == 1;
        check(kern, 1, 1000, 300, la, lb, acc, seed++); // row vector · matrix (1×N)
        check(kern, 300, 1, 1000, la, lb, acc, seed++); // matrix · column vector (K×1 B)
        check(kern, 1, 1, 2000, la, lb, acc, seed++); // dot product
        check(kern, 257, 129, 1, la, lb, acc, seed++, true); // outer product (K = 1)
        check(kern, 33, 47, 19, la, lb, acc, seed++, true); // odd remainders on every side
      }
    }
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void sharedChunksCoverEveryRowAndColumn(Kernels kern) {
    // products above the pool threshold, cut into more chunks than threads along M or along N
    check(kern, 1, 8000, 4100, 0, 1, false, 900); // one row: chunks of column panels
    check(kern, 200, 1500, 300, 1, 0, true, 901); // chunks of row panels, A transposed
    check(kern, 40, 3000, 600, 2, 2, false, 902); // strided operands, two K slabs, column chunks
    check(kern, 256, 256, 260, 0, 1, true, 903); // 34 MFLOP: shared by the vector GEMM only
  }
}
