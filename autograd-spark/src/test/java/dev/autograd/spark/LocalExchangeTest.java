package dev.autograd.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.core.DType;
import dev.autograd.core.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The shared-memory all-reduce without Spark: tasks as threads. Its sum has the bits of the hub's
 * (partition order, whichever task sums which slice), and a failing task releases its peers.
 */
class LocalExchangeTest {
  @Test
  void threeTasksFivePartitionsSumWithTheHubsBits() throws Exception {
    int tasks = 3, partitions = 5, length = 1001, steps = 4;
    String run = "test-" + System.nanoTime();
    SplittableRandom rng = new SplittableRandom(3);
    float[][][] grads = new float[steps][partitions][length];
    for (float[][] step : grads)
      for (float[] g : step) for (int i = 0; i < length; i++) g[i] = (float) rng.nextGaussian();
    ExecutorService pool = Executors.newFixedThreadPool(tasks);
    try {
      List<Future<float[][]>> results = new ArrayList<>();
      for (int t = 0; t < tasks; t++) {
        int me = t;
        results.add(
            pool.submit(
                () -> {
                  LocalExchange ex =
                      LocalExchange.join(run, 0, 0, tasks, partitions, DType.FLOAT32, length);
                  Tensor out = Tensor.zeros(DType.FLOAT32, length);
                  float[][] sums = new float[steps][];
                  for (int s = 0; s < steps; s++) {
                    // task t holds partitions t, t + tasks, ...
                    for (int p = me; p < partitions; p += tasks) {
                      ex.slot(p).copy_(Tensor.of(grads[s][p]));
                      ex.put(p, p + 1, 0.5 * p);
                    }
                    LocalExchange.StepTotals totals = ex.reduce(me, out, null);
                    assertEquals(15, totals.count());
                    assertEquals(0.5 * (1 + 2 + 3 + 4), totals.lossSum());
                    sums[s] = out.toFloatArray();
                  }
                  ex.leave();
                  return sums;
                }));
      }
      for (int s = 0; s < steps; s++) {
        List<ShardResult> shards = new ArrayList<>();
        for (int p = partitions - 1; p >= 0; p--)
          shards.add(
              new ShardResult(
                  p, 1, 0, FlatVector.of(List.of(Tensor.of(grads[s][p])), DType.FLOAT32)));
        Tensor hub = Tensor.zeros(DType.FLOAT32, length);
        GradientReducer.sumInOrder(shards).grad.copyInto(List.of(hub));
        float[] want = hub.toFloatArray();
        for (Future<float[][]> f : results) assertArrayEquals(want, f.get(30, TimeUnit.SECONDS)[s]);
      }
      assertEquals(0, LocalExchange.openCount(), "the last task out removed the exchange");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aFailedTaskReleasesItsWaitingPeer() throws Exception {
    String run = "test-" + System.nanoTime();
    LocalExchange ex = LocalExchange.join(run, 0, 0, 2, 2, DType.FLOAT64, 8);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<Throwable> waiting =
          pool.submit(
              () -> {
                try {
                  ex.reduce(0, Tensor.zeros(DType.FLOAT64, 8), null);
                  return null;
                } catch (IllegalStateException e) {
                  return e;
                }
              });
      Thread.sleep(100);
      ex.fail(new IllegalStateException("injected: task 1 lost"));
      Throwable e = waiting.get(10, TimeUnit.SECONDS);
      assertTrue(
          e != null && e.getMessage().contains("another task of the barrier stage failed"),
          String.valueOf(e));
    } finally {
      pool.shutdownNow();
      LocalExchange.release(run);
    }
    assertEquals(0, LocalExchange.openCount());
  }

  @Test
  void localModeRerunsAFailedSegmentAsOftenAsSparkWould() {
    org.apache.spark.SparkConf conf = new org.apache.spark.SparkConf(false);
    assertEquals(1, SparkTrainer.localAttempts("local[2]", conf), "local[N] allows no failure");
    assertEquals(1, SparkTrainer.localAttempts("local[*]", conf));
    assertEquals(4, SparkTrainer.localAttempts("local[2,4]", conf));
    assertEquals(4, SparkTrainer.localAttempts("local[*, 3]", conf));
    conf.set("spark.stage.maxConsecutiveAttempts", "2");
    assertEquals(2, SparkTrainer.localAttempts("local[4,8]", conf));
  }
}
