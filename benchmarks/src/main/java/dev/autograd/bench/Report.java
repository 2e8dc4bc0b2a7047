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
   * Runs {@code repetition} {@code warmup} times, then on until the collector has run once more
   * without growing the young generation ({@link WarmHeap}), or until {@code limit} repetitions in
   * all; returns how many ran. {@code fresh} gets the value of each repetition from {@code warmup /
   * 2} on that ran before the next collection (the JIT mostly done, the heap still fresh).
   */
  public static int warmUp(
      int warmup,
      int limit,
      java.util.function.DoubleSupplier repetition,
      java.util.List<Double> fresh) {
    long gcAtHalf = -1;
    WarmHeap heap = null;
    int w = 0;
    for (; ; w++) {
      if (w == warmup / 2) gcAtHalf = collections();
      if (w >= warmup) {
        if (heap == null) heap = new WarmHeap();
        if (heap.collectedWithoutGrowth() || w >= limit) break;
      }
      double value = repetition.getAsDouble();
      if (gcAtHalf >= 0 && collections() == gcAtHalf) fresh.add(value);
    }
    return w;
  }

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
