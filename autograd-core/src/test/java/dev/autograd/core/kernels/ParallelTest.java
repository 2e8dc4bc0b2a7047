package dev.autograd.core.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ParallelTest {
  @Test
  void runsEveryTaskOnceOnDaemonThreads() {
    AtomicIntegerArray runs = new AtomicIntegerArray(5);
    boolean[] daemon = new boolean[5];
    Parallel.run(
        5,
        t -> {
          runs.incrementAndGet(t);
          daemon[t] = t == 0 || Thread.currentThread().isDaemon();
        });
    for (int t = 0; t < 5; t++) {
      assertEquals(1, runs.get(t), "task " + t);
      assertTrue(daemon[t], "task " + t + " ran on a non-daemon pool thread");
    }
  }

  @Test
  void nestedCallsRunInlineAndFailuresPropagate() {
    AtomicIntegerArray runs = new AtomicIntegerArray(4);
    Parallel.run(2, outer -> Parallel.run(2, inner -> runs.incrementAndGet(outer * 2 + inner)));
    for (int i = 0; i < 4; i++) assertEquals(1, runs.get(i));
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                Parallel.run(
                    3,
                    t -> {
                      if (t == 2) throw new IllegalStateException("task 2 failed");
                    }));
    assertEquals("task 2 failed", e.getMessage());
  }
}
