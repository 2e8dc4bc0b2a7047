package dev.autograd.core.kernels.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The GEMM warm-up: what its rounds compute, and when it starts a thread. */
class GemmWarmupTest {
  private static final int L = VectorKernels.F.length();

  /**
   * A round's products by the definition. Its inputs are multiples of 1/4 and 1/2 of magnitude ≤ 1
   * and K = 16, so every sum is exact in float whatever the order the kernels add in.
   */
  private static float[] expected() {
    int k = 16, n = 10, e = 4, m = 2 * L;
    float[] a = new float[m * k], b = new float[k * n], c = new float[GemmWarmup.RESULTS];
    for (int i = 0; i < a.length; i++) a[i] = (i % 7) * 0.25f - 0.5f;
    for (int i = 0; i < b.length; i++) b[i] = (i % 5) * 0.5f - 1;
    for (int i = 0; i < 8; i++) {
      for (int j = 0; j < n; j++) {
        float rows = 0, transposed = 0;
        for (int p = 0; p < k; p++) {
          rows += a[i * k + p] * b[p * n + j];
          transposed += a[i + 8 * p] * b[p * n + j];
        }
        c[i * n + j] = rows + transposed;
      }
      for (int j = 0; j < e; j++) {
        float s = 0;
        for (int p = 0; p < k; p++) s += a[i * k + p] * b[p * n + j];
        c[8 * n + i * e + j] = s;
      }
    }
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < e; j++) {
        float s = 0;
        for (int p = 0; p < k; p++) s += a[i + m * p] * b[p * n + j];
        c[8 * n + 8 * e + i * e + j] = s;
      }
    }
    return c;
  }

  @Test
  void aRoundComputesItsProductsThroughEveryNarrowKernelPath() {
    float[] c = new float[GemmWarmup.RESULTS];
    assertEquals(3, GemmWarmup.run(3, c), "fewer rounds than it needs fast ones to stop");
    assertArrayEquals(expected(), c);
  }

  @Test
  void itStartsNoThreadWhenDisabledOrOnOneProcessor() {
    assertNull(GemmWarmup.start(false, 8));
    assertNull(GemmWarmup.start(true, 1));
  }

  @Test
  void itRunsOnADaemonThreadThatEnds() throws InterruptedException {
    Thread t = GemmWarmup.start(true, 2);
    assertNotNull(t);
    assertTrue(t.isDaemon(), "must never keep a program's JVM alive");
    assertEquals("autograd-gemm-warmup", t.getName());
    t.join(300_000);
    assertFalse(t.isAlive());
    int rounds = GemmWarmup.roundsRun;
    assertTrue(rounds >= 5 && rounds <= GemmWarmup.MAX_ROUNDS, "rounds " + rounds);
    float sum = 0;
    for (float v : expected()) sum += v;
    assertEquals(sum, GemmWarmup.sink);
  }

  @Test
  void onlyTheFirstStartPerJvmStartsAThread() {
    GemmWarmup.startOnce(); // the first (or a later one, if the kernels started it already)
    assertNull(GemmWarmup.startOnce());
    assertNull(GemmWarmup.startOnce());
  }
}
