package dev.autograd.core.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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

  @Test
  void shareRunsEveryChunkOnceAndPublishesItsWrites() {
    for (int chunks : new int[] {0, 1, 2, 3, 17, 200}) {
      AtomicIntegerArray runs = new AtomicIntegerArray(Math.max(chunks, 1));
      long[] written = new long[Math.max(chunks, 1)]; // plain writes, read after share returns
      Parallel.share(
          chunks,
          c -> {
            runs.incrementAndGet(c);
            written[c] = 1000L + c;
          });
      for (int c = 0; c < chunks; c++) {
        assertEquals(1, runs.get(c), chunks + " chunks: chunk " + c);
        assertEquals(1000L + c, written[c], chunks + " chunks: chunk " + c + "'s write");
      }
    }
  }

  @Test
  void shareDoesNotWaitForWorkersThatHaveNotStarted() throws Exception {
    // every pool worker is held by another caller's tasks: share must finish on the calling thread
    CountDownLatch started = new CountDownLatch(Parallel.THREADS);
    CountDownLatch release = new CountDownLatch(1);
    Thread holder =
        new Thread(
            () ->
                Parallel.run(
                    Parallel.THREADS + 1,
                    t -> {
                      if (t == 0) return;
                      started.countDown();
                      try {
                        release.await();
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                    }));
    holder.start();
    try {
      if (Parallel.THREADS > 1)
        assertTrue(started.await(30, TimeUnit.SECONDS), "the pool's workers did not start");
      Thread caller = Thread.currentThread();
      AtomicIntegerArray onCaller = new AtomicIntegerArray(8);
      Parallel.share(8, c -> onCaller.set(c, Thread.currentThread() == caller ? 1 : 0));
      for (int c = 0; c < 8; c++)
        assertEquals(1, onCaller.get(c), "chunk " + c + " left the caller");
    } finally {
      release.countDown();
      holder.join(30_000);
    }
  }

  @Test
  void shareNestsInlineAndRethrowsAfterEveryChunkRan() {
    AtomicIntegerArray runs = new AtomicIntegerArray(12);
    Parallel.share(3, outer -> Parallel.share(4, inner -> runs.incrementAndGet(outer * 4 + inner)));
    for (int i = 0; i < 12; i++) assertEquals(1, runs.get(i), "nested chunk " + i);
    AtomicIntegerArray ran = new AtomicIntegerArray(10);
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                Parallel.share(
                    10,
                    c -> {
                      ran.set(c, 1);
                      if (c == 5) throw new IllegalStateException("chunk 5 failed");
                    }));
    assertEquals("chunk 5 failed", e.getMessage());
    for (int c = 0; c < 10; c++) assertEquals(1, ran.get(c), "chunk " + c + " skipped");
    AssertionError err =
        assertThrows(
            AssertionError.class,
            () ->
                Parallel.share(
                    4,
                    c -> {
                      if (c == 3) throw new AssertionError("chunk 3 error");
                    }));
    assertEquals("chunk 3 error", err.getMessage());
  }

  @Test
  void withThreadsCapsTheSplitOfThisThreadsCallsAndRestoresIt() {
    assertEquals(Parallel.THREADS, Parallel.threads());
    Thread caller = Thread.currentThread();
    AtomicIntegerArray shared = new AtomicIntegerArray(8), run = new AtomicIntegerArray(4);
    int inside =
        Parallel.withThreads(
            1,
            () -> {
              Parallel.share(8, c -> shared.set(c, Thread.currentThread() == caller ? 1 : 2));
              Parallel.run(4, t -> run.set(t, Thread.currentThread() == caller ? 1 : 2));
              // nested: the inner limit holds inside it, the outer one again after it
              int nested = Parallel.withThreads(Parallel.THREADS, Parallel::threads);
              assertEquals(Parallel.THREADS, nested);
              return Parallel.threads();
            });
    assertEquals(1, inside);
    for (int c = 0; c < 8; c++) assertEquals(1, shared.get(c), "chunk " + c + " left the caller");
    for (int t = 0; t < 4; t++) assertEquals(1, run.get(t), "task " + t + " left the caller");
    assertEquals(Parallel.THREADS, Parallel.threads(), "the limit outlived withThreads");
    // a failing body restores the limit too
    assertThrows(
        IllegalStateException.class,
        () ->
            Parallel.withThreads(
                1,
                () -> {
                  throw new IllegalStateException("body failed");
                }));
    assertEquals(Parallel.THREADS, Parallel.threads());
    // another thread's limit is its own
    int[] other = new int[1];
    Parallel.withThreads(
        1,
        () -> {
          Thread t = new Thread(() -> other[0] = Parallel.threads());
          t.start();
          try {
            t.join(30_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return null;
        });
    assertEquals(Parallel.THREADS, other[0]);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Parallel.withThreads(0, () -> 1));
    assertEquals(
        "Parallel.withThreads: n must be >= 1 (the most tasks a kernel splits into), got 0",
        e.getMessage());
  }
}
