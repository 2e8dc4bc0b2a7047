package dev.autograd.core.kernels;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * The fixed thread pool large kernels split their work over: one daemon worker per available
 * processor (or {@code -Dautograd.threads=N}), created once. Only products big enough to repay the
 * hand-off use it ({@link #MIN_PARALLEL_FLOPS}); everything else stays on the calling thread.
 */
public final class Parallel {
  private Parallel() {}

  /** How many tasks a large kernel splits into: {@code -Dautograd.threads}, else the processors. */
  public static final int THREADS =
      Math.max(
          1, Integer.getInteger("autograd.threads", Runtime.getRuntime().availableProcessors()));

  // Note [threads per caller]: several callers may compute at once in one JVM, each meant to use
  // a share of the cores: Spark runs its tasks as threads of an executor (of the driver in local
  // mode), each entitled to spark.task.cpus cores. Splitting each task's kernels over the whole
  // pool made them wait on each other's helpers (MLP-784 on local[2]: 19% slower per step than
  // with one kernel thread each). withThreads caps the split for the calls one thread makes.
  private static final ThreadLocal<int[]> CAP = new ThreadLocal<>();

  /**
   * How many tasks a large kernel called on this thread splits into: {@link #THREADS}, or fewer
   * inside {@link #withThreads}.
   */
  public static int threads() {
    int[] cap = CAP.get();
    return cap == null ? THREADS : Math.min(cap[0], THREADS);
  }

  /**
   * Runs {@code body} with the kernels it calls on this thread split into at most {@code n} tasks
   * (1: all on this thread), then restores the previous limit. See Note [threads per caller].
   *
   * @throws IllegalArgumentException if {@code n < 1}
   */
  public static <T> T withThreads(int n, Supplier<T> body) {
    if (n < 1)
      throw new IllegalArgumentException(
          "Parallel.withThreads: n must be >= 1 (the most tasks a kernel splits into), got " + n);
    int[] saved = CAP.get();
    CAP.set(new int[] {n});
    try {
      return body.get();
    } finally {
      if (saved == null) CAP.remove();
      else CAP.set(saved);
    }
  }

  /**
   * Products below this many FLOP stay on the calling thread. NOTE: the split GEMM meets its
   * workers once per K slab; on a loaded machine each meeting waits for a worker to be scheduled,
   * which made the seed's 12.8 MFLOP training products 4x slower on two threads than on one. At 64
   * MFLOP (a 256x256x512 product) the work per meeting is large enough to repay that wait.
   */
  public static final double MIN_PARALLEL_FLOPS = 64e6;

  // Note [kernel pool]: workers are daemon threads named autograd-kernel-N. A task never waits on
  // another task, so a call made from inside a worker simply runs inline (no deadlock).
  private static final ForkJoinPool POOL = THREADS > 1 ? newPool() : null;

  private static ForkJoinPool newPool() {
    ForkJoinPool.ForkJoinWorkerThreadFactory factory =
        pool -> {
          ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
          t.setName("autograd-kernel-" + t.getPoolIndex());
          t.setDaemon(true);
          return t;
        };
    return new ForkJoinPool(THREADS, factory, null, false);
  }

  /**
   * Runs {@code body.accept(t)} for every {@code t} in {@code [0, tasks)} and returns when all are
   * done: task 0 on the calling thread, the others on the pool. The first failure is rethrown.
   */
  public static void run(int tasks, IntConsumer body) {
    if (tasks <= 1 || POOL == null || insidePool() || threads() == 1) {
      for (int t = 0; t < tasks; t++) body.accept(t);
      return;
    }
    // failures are recorded as thrown (join would rethrow a copy with a different message)
    AtomicReference<Throwable> failure = new AtomicReference<>();
    ForkJoinTask<?>[] forked = new ForkJoinTask<?>[tasks - 1];
    for (int t = 1; t < tasks; t++) {
      int task = t;
      forked[t - 1] = POOL.submit(() -> runRecording(body, task, failure));
    }
    runRecording(body, 0, failure);
    for (ForkJoinTask<?> f : forked) f.join();
    Throwable e = failure.get();
    if (e instanceof RuntimeException) throw (RuntimeException) e;
    if (e != null) throw (Error) e;
  }

  private static void runRecording(IntConsumer body, int task, AtomicReference<Throwable> failure) {
    try {
      body.accept(task);
    } catch (RuntimeException | Error e) {
      failure.compareAndSet(null, e);
    }
  }

  /**
   * Runs {@code body.accept(c)} for every chunk {@code c} in {@code [0, chunks)} and returns when
   * all are done. The calling thread takes chunks one at a time from a shared counter and up to
   * {@link #THREADS} - 1 pool workers join in as soon as they start; the caller never waits for a
   * worker that has not started (on a busy machine it may do every chunk itself), only for chunks
   * already taken. The first failure is rethrown after every chunk has run.
   */
  public static void share(int chunks, IntConsumer body) {
    int threads = POOL == null ? 1 : threads();
    if (chunks <= 1 || threads == 1 || insidePool()) {
      for (int c = 0; c < chunks; c++) body.accept(c);
      return;
    }
    Shared job = new Shared(chunks, body, Thread.currentThread());
    for (int h = Math.min(threads, chunks) - 1; h > 0; h--) POOL.execute(job::work);
    job.work();
    job.awaitAll();
    Throwable e = job.failure.get();
    if (e instanceof RuntimeException) throw (RuntimeException) e;
    if (e != null) throw (Error) e;
  }

  /**
   * One {@link #share} call: the next chunk to take and how many are finished. A helper that starts
   * after the last chunk was taken finds nothing to do and returns.
   */
  private static final class Shared {
    final int chunks;
    final IntConsumer body;
    final Thread caller;
    final AtomicInteger next = new AtomicInteger();
    final AtomicInteger finished = new AtomicInteger();
    final AtomicReference<Throwable> failure = new AtomicReference<>();

    Shared(int chunks, IntConsumer body, Thread caller) {
      this.chunks = chunks;
      this.body = body;
      this.caller = caller;
    }

    void work() {
      for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
        try {
          body.accept(c);
        } catch (RuntimeException | Error e) {
          failure.compareAndSet(null, e);
        }
        // the increment publishes this chunk's writes to the caller, which reads finished
        if (finished.incrementAndGet() == chunks && Thread.currentThread() != caller)
          LockSupport.unpark(caller);
      }
    }

    /** Spins briefly (a chunk taken by a worker is usually nearly done), then parks. */
    void awaitAll() {
      for (int spins = 0; finished.get() < chunks; spins++) {
        if (spins < 2000) Thread.onSpinWait();
        else LockSupport.parkNanos(this, 100_000L);
      }
    }
  }

  private static boolean insidePool() {
    return Thread.currentThread() instanceof ForkJoinWorkerThread
        && ((ForkJoinWorkerThread) Thread.currentThread()).getPool() == POOL;
  }
}
