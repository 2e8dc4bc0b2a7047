package dev.autograd.samples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sample launcher: {@code ./run NAME [--option value ...]} runs one sample; {@code ./run} lists
 * them. A Java sample is named by its class ({@code TwoLayerNet}); its Kotlin twin by {@code kt.}
 * and the file name ({@code kt.TwoLayerNet}, the class {@code
 * dev.autograd.samples.kotlin.TwoLayerNetKt}). The samples, their options and what they show are
 * listed in {@code samples.tsv} beside this class, which the {@code ./run} script reads too.
 */
public final class Samples {
  private Samples() {}

  /** Prefix of the Kotlin samples' names. */
  static final String KOTLIN = "kt.";

  /** One line of samples.tsv. */
  record Sample(String name, boolean kotlinTwin, List<String> options, String usage, String what) {}

  /**
   * Java sample name (its class's simple name) to its entry: the seeds in order, then real
   * training.
   */
  static final Map<String, Sample> JAVA = load();

  private static Map<String, Sample> load() {
    Map<String, Sample> samples = new LinkedHashMap<>();
    try (InputStream in = Samples.class.getResourceAsStream("samples.tsv")) {
      if (in == null)
        throw new IllegalStateException(
            "samples.tsv is missing from the samples' classpath; rebuild with ./run");
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.isBlank() || line.startsWith("#")) continue;
        String[] f = line.split("\t");
        if (f.length != 4)
          throw new IllegalStateException(
              "samples.tsv: expected 4 tab-separated columns in: " + line);
        List<String> options = new ArrayList<>();
        if (!f[2].equals("-")) {
          for (String word : f[2].split(" "))
            if (word.startsWith("--")) options.add(word.substring(2));
        }
        samples.put(
            f[0],
            new Sample(
                f[0], f[1].equals("kt"), List.copyOf(options), f[2].equals("-") ? "" : f[2], f[3]));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return samples;
  }

  /** The entry of sample {@code name} ({@code kt.} names included), or null if there is none. */
  static Sample sample(String name) {
    if (name.startsWith(KOTLIN)) {
      Sample s = JAVA.get(name.substring(KOTLIN.length()));
      return s != null && s.kotlinTwin() ? s : null;
    }
    return JAVA.get(name);
  }

  /** The class that runs sample {@code name}, or null if there is none. */
  static String className(String name) {
    if (sample(name) == null) return null;
    String pkg = Samples.class.getPackageName();
    return name.startsWith(KOTLIN)
        ? pkg + ".kotlin." + name.substring(KOTLIN.length()) + "Kt"
        : pkg + "." + name;
  }

  /** Every runnable name: the Java samples, then the Kotlin twins. */
  static List<String> names() {
    List<String> names = new ArrayList<>(JAVA.keySet());
    JAVA.values().stream().filter(Sample::kotlinTwin).forEach(s -> names.add(KOTLIN + s.name()));
    return names;
  }

  public static void main(String[] args) throws Exception {
    int status = run(args);
    if (status != 0) System.exit(status);
  }

  /**
   * Runs {@code ./run args...} and returns the exit status: 0, 1 when the sample cannot run (a
   * message says what to do), 2 for a wrong name or option. Errors are one line on System.err.
   */
  static int run(String... args) throws Exception {
    if (args.length == 0 || args[0].isEmpty() || args[0].equals("list")) {
      list();
      return 0;
    }
    String name = args[0];
    if (name.equals("--help") || name.equals("-h") || name.equals("help")) {
      System.out.println(
          "Usage: ./run [NAME [--option value ...]]   (./run alone lists the samples; ./run NAME --help shows NAME's options)");
      return 0;
    }
    Sample sample = sample(name);
    if (sample == null) {
      String hint = DidYouMean.closest(name, names());
      System.err.println(
          "./run: no sample named '"
              + name
              + "'"
              + (hint != null ? "; did you mean " + hint + "?" : "")
              + " (./run lists them)");
      return 2;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    if (Arrays.asList(rest).contains("--help") || Arrays.asList(rest).contains("-h")) {
      System.out.println(name + ": " + sample.what());
      System.out.println(
          sample.usage().isEmpty() ? "It takes no options." : "Options: " + sample.usage());
      return 0;
    }
    try {
      Args parsed = new Args(rest);
      for (String option : parsed.names()) {
        if (!sample.options().contains(option)) {
          String hint = DidYouMean.closest(option, sample.options());
          throw new Args.UsageException(
              "unknown option --"
                  + option
                  + (hint != null ? " (did you mean --" + hint + "?)" : "")
                  + (sample.usage().isEmpty()
                      ? "; " + name + " takes no options"
                      : "; options: " + sample.usage()));
        }
      }
      invoke(className(name), rest);
      return 0;
    } catch (Args.UsageException e) {
      System.err.println("./run " + name + ": " + e.getMessage());
      return 2;
    } catch (SampleFailure e) {
      System.err.println("./run " + name + ": " + e.getMessage());
      return 1;
    }
  }

  private static void list() {
    System.out.println(
        "Samples (run one with ./run NAME [options]; ./run NAME --help lists its options):");
    JAVA.values().forEach(s -> System.out.printf("  %-28s %s%n", s.name(), s.what()));
    System.out.println("The same examples in Kotlin, with the DSL:");
    JAVA.values().stream()
        .filter(Sample::kotlinTwin)
        .forEach(s -> System.out.printf("  %-28s %s%n", KOTLIN + s.name(), s.what()));
  }

  private static void invoke(String cls, String[] args) throws Exception {
    try {
      Class.forName(cls).getMethod("main", String[].class).invoke(null, (Object) args);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
    }
  }
}
