package dev.autograd.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Graphs built and walked on several threads at once never mix; shared leaves accumulate exactly.
 */
class ConcurrencyTest {
  private static final int THREADS = 6;
  private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

  @AfterEach
  void shutdown() {
    pool.shutdownNow();
  }

  /** One small model step: returns the gradients of w and b for input seed {@code s}. */
  private static double[][] step(long s) {
    Generator gen = new Generator(s);
    Tensor x = Tensor.randn(gen, DType.FLOAT64, 8, 5);
    Tensor w = Tensor.randn(gen, DType.FLOAT64, 5, 3).requiresGrad_();
    Tensor b = Tensor.randn(gen, DType.FLOAT64, 3).requiresGrad_();
    Tensor out = x.matmul(w).add(b).tanh().logSoftmax(1).mul(x.narrow(1, 0, 3)).sum();
    out.backward();
    return new double[][] {w.grad().toDoubleArray(), b.grad().toDoubleArray()};
  }

  @Test
  void concurrentGraphsGiveTheSequentialResults() throws Exception {
    int n = 24;
    List<double[][]> sequential = new ArrayList<>();
    for (int i = 0; i < n; i++) sequential.add(step(i));
    List<Future<double[][]>> futures = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long s = i;
      futures.add(pool.submit(() -> step(s)));
    }
    for (int i = 0; i < n; i++) {
      double[][] got = futures.get(i).get();
      assertArrayEquals(sequential.get(i)[0], got[0], 0, "w grad of run " + i);
      assertArrayEquals(sequential.get(i)[1], got[1], 0, "b grad of run " + i);
    }
  }

  @Test
  void concurrentAccumulationIntoASharedLeafIsExact() throws Exception {
    Tensor w = Tensor.of(new double[] {1, 2, 3}).requiresGrad_();
    int perThread = 200;
    List<Callable<Void>> tasks = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      tasks.add(
          () -> {
            for (int i = 0; i < perThread; i++) w.mul(w).sum().backward(); // adds 2w each time
            return null;
          });
    }
    for (Future<Void> f : pool.invokeAll(tasks)) f.get();
    double k = 2.0 * THREADS * perThread;
    assertArrayEquals(new double[] {k, 2 * k, 3 * k}, w.grad().toDoubleArray(), 0);
  }

  @Test
  void noGradOnOneThreadDoesNotAffectOthers() throws Exception {
    List<Callable<Boolean>> tasks = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      boolean off = t % 2 == 0;
      tasks.add(
          () -> {
            Tensor x = Tensor.of(new double[] {1}).requiresGrad_();
            if (!off) return x.mul(2).requiresGrad();
            try (GradMode.Scope g = Autograd.noGrad()) {
              Thread.sleep(5);
              return !x.mul(2).requiresGrad();
            }
          });
    }
    for (Future<Boolean> f : pool.invokeAll(tasks))
      org.junit.jupiter.api.Assertions.assertTrue(f.get());
  }
}
