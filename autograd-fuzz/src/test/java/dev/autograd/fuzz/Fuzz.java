package dev.autograd.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * What every fuzz target here shares: its time box, the check that a failure is one of the
 * documented exception types, and an allocation meter (bytes allocated by the calling thread, from
 * {@code com.sun.management.ThreadMXBean}) to prove that nothing is sized by an absent,
 * merely-declared length. The fuzz JVMs also run with a small heap (see the pom), so a large
 * allocation fails loudly even where the meter is not used.
 */
final class Fuzz {
  private Fuzz() {}

  /** The time box of each target in {@code mvn verify} (mode JAZZER_FUZZ=1; see the pom). */
  static final String DURATION = "12s";

  /**
   * Allocation allowed for one input: a fixed part (buffers, parsing) plus a multiple of its size.
   */
  static final long FIXED_BYTES = 4L << 20;

  static final long BYTES_PER_INPUT_BYTE = 64;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** Something that may throw any exception, run by {@link #expect}. */
  interface Call {
    void run() throws Exception;
  }

  /**
   * Runs {@code call}; returns the documented exception it threw (or null when it returned), and
   * fails with the undocumented one otherwise (kept as the cause, so Jazzer reports its stack).
   */
  static Throwable expect(Call call, Class<?>... documented) {
    try {
      call.run();
      return null;
    } catch (Throwable t) {
      for (Class<?> c : documented) if (c.isInstance(t)) return t;
      throw new AssertionError(
          "undocumented "
              + t.getClass().getName()
              + " (documented: "
              + Arrays.toString(documented)
              + ")",
          t);
    }
  }

  /**
   * Fails when {@code call} allocates more than the budget for an input of {@code inputBytes}. An
   * over-budget first run is repeated once and only the repeat counts: the first time a code path
   * runs, class loading and Jazzer's instrumentation allocate on this thread too, whereas an
   * allocation sized by the input comes back every time.
   */
  static void withinAllocationBudget(long inputBytes, Runnable call) {
    long budget = FIXED_BYTES + BYTES_PER_INPUT_BYTE * inputBytes;
    long used = allocatedBy(call);
    if (used > budget) used = allocatedBy(call);
    if (used > budget)
      throw new AssertionError(
          "allocated "
              + used
              + " bytes for a "
              + inputBytes
              + "-byte input (budget "
              + budget
              + ")");
  }

  private static long allocatedBy(Runnable call) {
    long id = Thread.currentThread().getId(), before = THREADS.getThreadAllocatedBytes(id);
    call.run();
    return THREADS.getThreadAllocatedBytes(id) - before;
  }

  /** One scratch file per target JVM, rewritten for each input. */
  static Path scratch(String name) {
    try {
      Path dir = Files.createTempDirectory("autograd-fuzz");
      dir.toFile().deleteOnExit();
      Path f = dir.resolve(name);
      f.toFile().deleteOnExit();
      return f;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void write(Path f, byte[] data) {
    try {
      Files.write(f, data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
