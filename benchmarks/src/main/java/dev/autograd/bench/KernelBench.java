package dev.autograd.bench;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs the JMH benchmarks ({@link ElementwiseBench}, {@link MatmulBench}) with the forked JVMs
 * limited to {@code --threads} processors and prints the peer scripts' names: {@code
 * ew_OP_FORM.nSIZE.tT} in ns/elem and GB/s, {@code mm_FORM.nN.tT} in GFLOP/s, and {@code
 * mm_seed.SHAPE.tT} in GFLOP/s and µs (no peer script times the seed shapes). Usage: {@code
 * KernelBench [--threads 1] [--include ew|mm|REGEX] [--sizes 1000,1000000]}.
 */
public final class KernelBench {
  private KernelBench() {}

  public static void main(String[] args) throws RunnerException {
    int threads = Report.intArg(args, "--threads", Runtime.getRuntime().availableProcessors());
    String include = stringArg(args, "--include", "ew|mm");
    ChainedOptionsBuilder opt =
        new OptionsBuilder()
            .forks(1)
            .verbosity(VerboseMode.SILENT)
            .jvmArgsAppend("--add-modules=jdk.incubator.vector", "-Dautograd.threads=" + threads)
            .jvmArgsAppend(heapFlags());
    if (include.contains("ew")) opt.include(ElementwiseBench.class.getName());
    if (include.contains("mm")) opt.include(MatmulBench.class.getName());
    String sizes = stringArg(args, "--sizes", null);
    if (sizes != null) opt.param("n", sizes.split(","));
    Collection<RunResult> results = new Runner(opt.build()).run();
    String t = ".t" + threads;
    for (RunResult r : results) {
      String method = r.getParams().getBenchmark().replaceAll(".*\\.", "");
      // the median and the slow tail (p90 of the time) over the measured iterations
      double ns = r.getPrimaryResult().getStatistics().getPercentile(50);
      double ns90 = r.getPrimaryResult().getStatistics().getPercentile(90);
      double err = r.getPrimaryResult().getScoreError();
      if (method.startsWith("mm_seed")) {
        String shape = r.getParams().getParam("shape");
        String[] d = shape.split(":")[0].split("x");
        double flop =
            2.0 * Double.parseDouble(d[0]) * Double.parseDouble(d[1]) * Double.parseDouble(d[2]);
        String name = "mm_seed." + shape.replace(':', '_') + t;
        Report.stats(name, flop / ns, flop / ns90, "GFLOP/s");
        Report.stats(name + ".time", ns / 1000, ns90 / 1000, "us");
      } else if (method.startsWith("mm_")) {
        int n = Integer.parseInt(r.getParams().getParam("n"));
        Report.stats(
            method + ".n" + n + t, 2.0 * n * n * n / ns, 2.0 * n * n * n / ns90, "GFLOP/s");
        Report.note(
            method
                + ".n"
                + n
                + t
                + " median_time="
                + Report.g4(ns / 1000)
                + "us err="
                + Report.g4(err / 1000)
                + "us");
      } else {
        int n = Integer.parseInt(r.getParams().getParam("n"));
        String op = method.substring(0, method.indexOf('_'));
        int bytes = op.equals("sum") ? 4 : op.equals("add") || op.equals("mul") ? 12 : 8;
        String name =
            "ew_"
                + method
                + ".n"
                + String.format(Locale.ROOT, "%.0e", (double) n).replace("+0", "").replace("+", "")
                + t;
        Report.stats(name, ns / n, ns90 / n, "ns/elem");
        Report.stats(name + ".bw", bytes * (double) n / ns, bytes * (double) n / ns90, "GB/s");
        Report.note(name + " call_us=" + Report.g4(ns / 1000) + " err_us=" + Report.g4(err / 1000));
      }
    }
  }

  /** This JVM's heap flags (compare.sh's JVM_OPTS), so the forks size their heap the same way. */
  private static String[] heapFlags() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("-Xms") || a.startsWith("-Xmx") || a.startsWith("-Xmn"))
        .toArray(String[]::new);
  }

  static String stringArg(String[] args, String name, String dflt) {
    for (int i = 0; i + 1 < args.length; i++) if (args[i].equals(name)) return args[i + 1];
    return dflt;
  }
}
