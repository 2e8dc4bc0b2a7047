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

  /** Prints {@code name median unit} and a {@code #} line with min, max and the sample count. */
  public static void print(String name, double[] samples, String unit) {
    double[] s = samples.clone();
    Arrays.sort(s);
    System.out.println(name + " " + g4(median(s)) + " " + unit);
    System.out.println("# " + name + " min=" + g4(s[0]) + " max=" + g4(s[s.length - 1]) + " n=" + s.length);
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
    if (exp < -4 || exp >= 4) return String.format(Locale.ROOT, "%.3e", v).replaceAll("\\.?0+e", "e");
    int decimals = Math.max(0, 3 - exp);
    String s = String.format(Locale.ROOT, "%." + decimals + "f", v);
    if (s.contains(".")) s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
    return s;
  }

  /** The thread tag of result names: the processors this JVM may use ({@code .t1}, {@code .t2}). */
  public static String threadTag() {
    return ".t" + Runtime.getRuntime().availableProcessors();
  }

  /** An integer option {@code --name value} from {@code args}, or {@code dflt}. */
  public static int intArg(String[] args, String name, int dflt) {
    for (int i = 0; i + 1 < args.length; i++) if (args[i].equals(name)) return Integer.parseInt(args[i + 1]);
    return dflt;
  }
}
