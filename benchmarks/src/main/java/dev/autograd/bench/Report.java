package dev.autograd.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * Prints results the way the peer scripts in {@code ../shared/bench/peers} do: one {@code name
 * value unit} line per result (the median of the samples, 4 significant digits) and a {@code #}
 * line with the spread, so compare.sh can pair our lines with PyTorch's by name.
 */
public final class Report {
  private Report() {}

  /** The median of {@code xs} (the mean of the two middle values for an even count). */
  public static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  /**
   * Prints {@code name median unit} and a {@code #} line with min, p10, p90, max and the sample
   * count, in the peer scripts' format (compare.sh reads p90, or p10 for rates: the slow tail).
   */
  public static void print(String name, double[] samples, String unit) {
    double[] s = samples.clone();
    Arrays.sort(s);
    int n = s.length;
    System.out.println(name + " " + g4(median(s)) + " " + unit);
    System.out.println(
        "# "
            + name
            + " min="
            + g4(s[0])
            + " p10="
            + g4(s[n / 10])
            + " p90="
            + g4(s[(9 * n) / 10])
            + " max="
            + g4(s[n - 1])
            + " n="
            + n);
  }

  /**
   * Prints {@code name median unit} and the slow tail: {@code p90=} for times, {@code p10=} for
   * rates (units ending in "/s"), where {@code tail} is the rate at the 90th-percentile time.
   */
  public static void stats(String name, double median, double tail, String unit) {
    System.out.println(name + " " + g4(median) + " " + unit);
    System.out.println("# " + name + (unit.endsWith("/s") ? " p10=" : " p90=") + g4(tail));
  }

  /** Prints one value without spread. */
  public static void value(String name, double v, String unit) {
    System.out.println(name + " " + g4(v) + " " + unit);
  }

  /** A comment line (ignored by the comparison). */
  public static void note(String text) {
    System.out.println("# " + text);
  }

  /** Python's {@code format(v, '.4g')}. */
  public static String g4(double v) {
    if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) return String.valueOf(v);
    int exp = (int) Math.floor(Math.log10(Math.abs(v)));
    if (exp < -4 || exp >= 4)
      return String.format(Locale.ROOT, "%.3e", v).replaceAll("\\.?0+e", "e");
    int decimals = Math.max(0, 3 - exp);
    String s = String.format(Locale.ROOT, "%." + decimals + "f", v);
    if (s.contains(".")) s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
    return s;
  }

  /**
   * The thread tag of result names: the kernel threads ({@code -Dautograd.threads}, else the
   * processors), {@code .t1} or {@code .t2}. compare.sh limits our threads with that property and
   * leaves the JVM's own ergonomics (GC choice, heap) at their defaults.
   */
  public static String threadTag() {
    return ".t" + dev.autograd.core.kernels.Parallel.THREADS;
  }

  /** Collections run so far by all of the JVM's collectors. */
  public static long collections() {
    long n = 0;
    for (java.lang.management.GarbageCollectorMXBean b :
        java.lang.management.ManagementFactory.getGarbageCollectorMXBeans())
      n += Math.max(0, b.getCollectionCount());
    return n;
  }

  /**
   * Note [warm heap]: the first pass of allocation through a fresh JVM heap writes memory the
   * process has never touched, and every new page costs a page fault (under G1 the young generation
   * grows to ~200 MB on this machine, so a program pays this for its first ~200 MB of allocation,
   * and again whenever G1 grows the young generation). Operations timed during that pass are 2-5x
   * slower than the same operations later, so a warm-up that ends inside it times a mix of both,
   * and less allocation per operation moves the end of the pass later. Benchmarks of steady speed
   * therefore warm up their {@code --warmup} repetitions and then continue until the collector has
   * run once more without growing the young generation ({@link WarmHeap}): the timed repetitions
   * then start on a young generation that has been written once. They report the fresh-heap
   * repetitions separately.
   */
  private static final class WarmHeap {
    private long gc = collections();
    private long eden = edenCommitted();

    /**
     * True when a collection has run since the last call and left the young generation no larger
     * than before it (checked once per repetition).
     */
    boolean collectedWithoutGrowth() {
      long g = collections(), e = edenCommitted();
      if (g == gc) {
        eden = Math.max(eden, e);
        return false;
      }
      boolean grew = e > eden;
      gc = g;
      eden = e;
      return !grew;
    }
  }

  /**
   * Runs {@code repetition} {@code warmup} times and for at least {@code minMillis} milliseconds
   * (Note [warm JIT]), then on until the collector has run once more without growing the young
   * generation ({@link WarmHeap}), or for at most {@code more} repetitions after that; returns how
   * many ran. {@code fresh} gets the value of each repetition from {@code warmup / 2} on that ran
   * before the next collection (the JIT mostly done, the heap still fresh).
   */
  public static int warmUp(
      int warmup,
      long minMillis,
      int more,
      java.util.function.DoubleSupplier repetition,
      java.util.List<Double> fresh) {
    long gcAtHalf = -1, start = System.nanoTime();
    WarmHeap heap = null;
    int w = 0, after = 0;
    for (; ; w++) {
      if (w == warmup / 2) gcAtHalf = collections();
      if (w >= warmup && System.nanoTime() - start >= minMillis * 1_000_000) {
        if (heap == null) heap = new WarmHeap();
        if (heap.collectedWithoutGrowth() || after++ >= more) break;
      }
      double value = repetition.getAsDouble();
      if (gcAtHalf >= 0 && collections() == gcAtHalf) fresh.add(value);
    }
    return w;
  }

  /**
   * Note [warm JIT]: C2 compiles the kernels' vector loops one after another, 100-300 ms each, and
   * in the first seconds of a JVM its queue is long. Until a loop's C2 version exists, the calls
   * run its C1 version, which allocates an object for every vector operation; when C2 has so far
   * made only an on-stack-replacement version (entered from interpreted code, not from C1's), each
   * call still starts in C1. A seed MLP step then allocates 640-810 KiB instead of 470 and takes
   * 1.5x as long, and whether the timed steps fall into that window depended on the JVM (1 in 4-6
   * JVMs, more under load, after 300 steps of ~0.2 ms). Steady-speed rows therefore warm up for a
   * minimum time, as JMH does (its default is 50 s); what the cold start costs is what the
   * whole-process rows measure.
   */

  /** Prints {@code name.fresh_heap}, the fresh-heap repetitions of {@link #warmUp}, if any ran. */
  public static void printFresh(String name, java.util.List<Double> fresh, String unit) {
    if (fresh.isEmpty()) return;
    print(name + ".fresh_heap", fresh.stream().mapToDouble(Double::doubleValue).toArray(), unit);
  }

  // the committed size of the young generation's allocation space (0 when the collector has none)
  private static long edenCommitted() {
    for (java.lang.management.MemoryPoolMXBean p :
        java.lang.management.ManagementFactory.getMemoryPoolMXBeans())
      if (p.getName().contains("Eden")) return p.getUsage().getCommitted();
    return 0;
  }

  /** An integer option {@code --name value} from {@code args}, or {@code dflt}. */
  public static int intArg(String[] args, String name, int dflt) {
    for (int i = 0; i + 1 < args.length; i++)
      if (args[i].equals(name)) return Integer.parseInt(args[i + 1]);
    return dflt;
  }
}
