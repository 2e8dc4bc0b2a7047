package dev.autograd.bench;

import dev.autograd.core.Autograd;
import dev.autograd.core.Tensor;
import dev.autograd.nn.CrossEntropyLoss;
import dev.autograd.nn.Linear;
import dev.autograd.nn.Loss;
import dev.autograd.nn.MSELoss;
import dev.autograd.nn.Module;
import dev.autograd.nn.ReLU;
import dev.autograd.nn.Sequential;
import dev.autograd.nn.optim.Adam;
import dev.autograd.nn.optim.Optimizer;
import dev.autograd.nn.optim.SGD;
import dev.autograd.spark.AllReduce;
import dev.autograd.spark.LabelKind;
import dev.autograd.spark.LossFactory;
import dev.autograd.spark.ModuleFactory;
import dev.autograd.spark.OptimizerFactory;
import dev.autograd.spark.Sample;
import dev.autograd.spark.SparkTrainer;
import dev.autograd.spark.TrainingHistory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;

/**
 * Spark data-parallel training against in-process training (a timed program, not a test): per-step
 * time of the seed MLP (64 x 1000-100-10, MSELoss, SGD) and MLP-784 (784-512-256-10, CrossEntropy,
 * Adam) in one process and on Spark local[1] and local[2] (as many partitions as threads), and the
 * bytes the all-reduce moves per step (task results to the driver and shuffle, from Spark's task
 * metrics) by partitions and parameter count, for both {@link AllReduce} strategies. Medians and
 * p90 of per-step wall time. Run with {@code -Dautograd.threads=1} so each task (and the in-process
 * baseline) uses one core, as the executors' cores are the parallelism. Spark rows: every
 * configuration once per round, local[1] and local[2] alternating, each run one warm-up epoch then
 * {@code --epochs} measured epochs of {@code --batches} steps; µs/step is an epoch's driver wall
 * time over its steps (so BARRIER's once-per-epoch stage cost is included). Usage: {@code
 * SparkBench [--rounds 5] [--warmup-rounds 1] [--epochs 3] [--batches 32] [--batch784 512]
 * [--traffic 0] [--only 784/BARRIER] [--out FILE]}; the unmeasured warm-up rounds run every
 * configuration once first; {@code --only} keeps the configurations whose key (threads/model/
 * all-reduce) contains the text.
 */
public final class SparkBench {
  private SparkBench() {}

  record Model(
      String name,
      ModuleFactory factory,
      LossFactory loss,
      OptimizerFactory optimizer,
      int features,
      int classes,
      LabelKind kind,
      int batch) {}

  static Module seedMlp() {
    return new Sequential(new Linear(1000, 100), new ReLU(), new Linear(100, 10));
  }

  static Module mlp784() {
    return new Sequential(
        new Linear(784, 512), new ReLU(), new Linear(512, 256), new ReLU(), new Linear(256, 10));
  }

  static Model seed() {
    return new Model(
        "seed MLP 1000-100-10",
        SparkBench::seedMlp,
        MSELoss::new,
        p -> new SGD(p, 1e-4),
        1000,
        10,
        LabelKind.VALUES,
        64);
  }

  static Model mlp(int batch) {
    return new Model(
        "MLP-784 784-512-256-10",
        SparkBench::mlp784,
        CrossEntropyLoss::new,
        p -> new Adam(p, 1e-3),
        784,
        10,
        LabelKind.CLASS_INDEX,
        batch);
  }

  /**
   * n random samples: Gaussian features; a class index or a target vector of width {@code classes}.
   */
  static List<Sample> data(Model m, int n) {
    SplittableRandom r = new SplittableRandom(1);
    List<Sample> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double[] x = new double[m.features()];
      for (int j = 0; j < x.length; j++) x[j] = r.nextGaussian();
      if (m.kind() == LabelKind.CLASS_INDEX) out.add(Sample.of(x, r.nextInt(m.classes())));
      else {
        double[] y = new double[m.classes()];
        for (int j = 0; j < y.length; j++) y[j] = r.nextGaussian();
        out.add(Sample.of(x, y));
      }
    }
    return out;
  }

  /** Warm-up of the in-process baseline, in multiples of an epoch's batches. */
  private static final int IN_PROCESS_WARMUP_BATCHES = 10;

  /** Per-step seconds of plain in-process training on the same global batch size. */
  static double[] inProcess(Model m, List<Sample> samples, int warmup, int steps) {
    Autograd.manualSeed(0);
    Module model = m.factory().create();
    Loss loss = m.loss().create();
    Optimizer opt = m.optimizer().create(model.parameters());
    int b = m.batch(), d = m.features();
    double[] times = new double[steps];
    long cpuStart = 0, jitStart = 0;
    for (int s = 0; s < warmup + steps; s++) {
      if (s == warmup) {
        cpuStart = cpuNanos();
        jitStart = jitGcNanos();
      }
      long t0 = System.nanoTime();
      int from = (s * b) % (samples.size() - b + 1);
      float[] x = new float[b * d];
      for (int i = 0; i < b; i++) {
        double[] f = samples.get(from + i).features();
        for (int j = 0; j < d; j++) x[i * d + j] = (float) f[j];
      }
      Tensor y;
      if (m.kind() == LabelKind.CLASS_INDEX) {
        long[] l = new long[b];
        for (int i = 0; i < b; i++) l[i] = (long) samples.get(from + i).label()[0];
        y = Tensor.of(l, b);
      } else {
        float[] l = new float[b * m.classes()];
        for (int i = 0; i < b; i++) {
          double[] v = samples.get(from + i).label();
          for (int j = 0; j < v.length; j++) l[i * m.classes() + j] = (float) v[j];
        }
        y = Tensor.of(l, b, m.classes());
      }
      opt.zeroGrad();
      Tensor l = loss.forward(model.forward(Tensor.of(x, b, d)), y);
      l.backward();
      opt.step();
      l.item();
      if (s >= warmup) times[s - warmup] = (System.nanoTime() - t0) / 1e9;
    }
    lastCpuPerStep = (cpuNanos() - cpuStart) / 1e9 / steps;
    lastJitGcPerStep = jitStart < 0 ? Double.NaN : (jitGcNanos() - jitStart) / 1e9 / steps;
    return times;
  }

  /**
   * CPU seconds per measured step of the last run (all threads of this JVM): robust to other load
   * on the machine.
   */
  static double lastCpuPerStep;

  static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * CPU seconds per measured step of the last run spent by the JVM's compiler and GC threads (from
   * /proc/self/task; NaN elsewhere): on two cores, what local[2]'s tasks lose to the JVM.
   */
  static double lastJitGcPerStep;

  /** CPU nanoseconds of this JVM's JIT compiler and GC threads so far (-1 without /proc). */
  static long jitGcNanos() {
    java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
    if (tasks == null) return -1;
    long ticks = 0;
    for (java.io.File t : tasks) {
      try {
        String stat = Files.readString(t.toPath().resolve("stat"));
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        if (!name.contains("CompilerThre")
            && !name.startsWith("GC Thread")
            && !name.startsWith("G1 ")) continue;
        // fields after the name: state is field 3; utime and stime are fields 14 and 15
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
      } catch (IOException | RuntimeException e) {
        // the thread ended meanwhile
      }
    }
    return ticks * 10_000_000L; // USER_HZ is 100 on Linux
  }

  /** Sums the bytes tasks send to the driver and write to / read from the shuffle. */
  static final class Traffic extends SparkListener {
    final AtomicLong result = new AtomicLong(),
        shuffleWrite = new AtomicLong(),
        shuffleRead = new AtomicLong(),
        tasks = new AtomicLong();

    @Override
    public void onTaskEnd(SparkListenerTaskEnd e) {
      TaskMetrics t = e.taskMetrics();
      if (t == null) return;
      tasks.incrementAndGet();
      result.addAndGet(t.resultSize());
      shuffleWrite.addAndGet(t.shuffleWriteMetrics().bytesWritten());
      shuffleRead.addAndGet(
          t.shuffleReadMetrics().localBytesRead() + t.shuffleReadMetrics().remoteBytesRead());
    }

    void reset() {
      result.set(0);
      shuffleWrite.set(0);
      shuffleRead.set(0);
      tasks.set(0);
    }
  }

  static SparkSession session(int threads) {
    return SparkSession.builder()
        .master("local[" + threads + "]")
        .appName("SparkBench")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate();
  }

  /**
   * One Spark run of {@code warmupEpochs + epochs} epochs; returns the wall time per step of each
   * measured epoch (the epoch's wall time on the driver over its steps: everything Spark does,
   * whatever the all-reduce) and sets {@link #lastCpuPerStep} from the JVM's CPU time between the
   * end of the warm-up and the last epoch line.
   */
  static double[] onSpark(
      SparkSession spark,
      Model m,
      List<Sample> samples,
      int partitions,
      AllReduce how,
      int warmupEpochs,
      int epochs) {
    int perEpoch =
        new dev.autograd.spark.BatchPlan(samples.size(), partitions, m.batch(), true, 0)
            .stepsPerEpoch();
    long[] cpu = new long[2], jit = new long[2];
    java.util.function.Consumer<String> mark =
        line -> {
          java.util.regex.Matcher e =
              java.util.regex.Pattern.compile("^epoch (\\d+)/").matcher(line);
          if (!line.contains(" samples in ") || !e.find()) return;
          int done = Integer.parseInt(e.group(1));
          if (done == warmupEpochs) {
            cpu[0] = cpuNanos();
            jit[0] = jitGcNanos();
          }
          if (done == warmupEpochs + epochs) {
            cpu[1] = cpuNanos();
            jit[1] = jitGcNanos();
          }
        };
    JavaRDD<Sample> rdd =
        JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(samples, partitions);
    Autograd.manualSeed(0);
    Module model = m.factory().create();
    TrainingHistory h =
        new SparkTrainer(m.factory(), m.loss(), m.optimizer())
            .session(spark)
            .partitions(partitions)
            .batchSize(m.batch())
            .epochs(warmupEpochs + epochs)
            .allReduce(how)
            .progress(mark)
            .fit(model, rdd, m.kind());
    lastCpuPerStep = (cpu[1] - cpu[0]) / 1e9 / ((long) epochs * perEpoch);
    lastJitGcPerStep =
        jit[0] < 0 ? Double.NaN : (jit[1] - jit[0]) / 1e9 / ((long) epochs * perEpoch);
    List<Double> sps = h.metrics().get("samples_per_second");
    double[] out = new double[epochs];
    for (int e = 0; e < epochs; e++) out[e] = samples.size() / sps.get(warmupEpochs + e) / perEpoch;
    return out;
  }

  /** Per-step seconds of each step after {@code warmup} steps of a short run (the bytes table). */
  static double[] onSparkSteps(
      SparkSession spark,
      Model m,
      List<Sample> samples,
      int partitions,
      AllReduce how,
      int warmup,
      int steps) {
    JavaRDD<Sample> rdd =
        JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(samples, partitions);
    Autograd.manualSeed(0);
    Module model = m.factory().create();
    TrainingHistory h =
        new SparkTrainer(m.factory(), m.loss(), m.optimizer())
            .session(spark)
            .partitions(partitions)
            .batchSize(m.batch())
            .epochs(1000)
            .maxSteps(warmup + steps)
            .allReduce(how)
            .progress(null)
            .fit(model, rdd, m.kind());
    List<Double> t = h.stepSeconds();
    return t.subList(warmup, t.size()).stream().mapToDouble(Double::doubleValue).toArray();
  }

  static double quantile(double[] v, double q) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[(int) Math.min(s.length - 1, Math.floor(q * (s.length - 1) + 0.5))];
  }

  static double load() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  public static void main(String[] args) throws Exception {
    int rounds = Report.intArg(args, "--rounds", 5),
        epochs = Report.intArg(args, "--epochs", 3),
        batches = Report.intArg(args, "--batches", 32);
    int batch784 = Report.intArg(args, "--batch784", 512), steps = epochs * batches;
    int warmupRounds = Report.intArg(args, "--warmup-rounds", 1);
    // unmeasured epochs at the start of every run: a run's new SparkSession and job leave C2 a
    // backlog of Spark's and Scala's code that the first epochs share the cores with
    int warmupEpochs = Report.intArg(args, "--warmup-epochs", 1);
    StringBuilder out = new StringBuilder();
    java.util.function.Consumer<String> say =
        line -> {
          System.out.println(line);
          out.append(line).append('\n');
        };
    say.accept(
        String.format(
            Locale.ROOT,
            "# SparkBench %s UTC, autograd.threads=%s, %d unmeasured + %d rounds (local[1] and local[2] interleaved), each %d warm-up + %d measured epochs of %d steps",
            java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).withNano(0),
            System.getProperty("autograd.threads", "default"),
            warmupRounds,
            rounds,
            warmupEpochs,
            epochs,
            batches));
    say.accept("");
    Model[] models = {seed(), mlp(batch784)};
    List<List<Sample>> data = new ArrayList<>();
    for (Model m : models) data.add(data(m, m.batch() * batches));
    // in-process baseline, one run per model (its steps are not Spark's concern), warmed up as long
    // as the Spark rows' tasks are by their rounds' warm-up epochs, so it compares compiled code
    // with compiled code (16 warm-up steps left it in the interpreter: 4x the Spark row)
    List<String> rows = new ArrayList<>();
    for (int i = 0; i < models.length; i++) {
      double[] t = inProcess(models[i], data.get(i), IN_PROCESS_WARMUP_BATCHES * batches, steps);
      rows.add(row(models[i], "in-process", "-", "-", t, lastCpuPerStep, lastJitGcPerStep, load()));
    }
    // Spark: every configuration once per round, local[1] and local[2] alternating, so load changes
    // hit both alike
    String[] keys = {
      "1/seed/BARRIER",
      "1/784/BARRIER",
      "1/784/DRIVER",
      "2/seed/BARRIER",
      "2/784/BARRIER",
      "2/784/DRIVER",
      "2/784/REDUCE_SCATTER"
    };
    // --only 784/BARRIER: just the configurations whose key contains it (a quick run for a quiet
    // moment: local[1] and local[2] of MLP-784 with BARRIER)
    int onlyAt = Arrays.asList(args).indexOf("--only");
    if (onlyAt >= 0 && onlyAt + 1 < args.length) {
      String only = args[onlyAt + 1];
      keys = Arrays.stream(keys).filter(k -> k.contains(only)).toArray(String[]::new);
      if (keys.length == 0)
        throw new IllegalArgumentException(
            "--only " + only + " matches no configuration (e.g. 784/BARRIER, seed, DRIVER)");
    }
    java.util.Map<String, List<Double>> times = new java.util.LinkedHashMap<>(),
        cpus = new java.util.LinkedHashMap<>(),
        jits = new java.util.LinkedHashMap<>(),
        loads = new java.util.LinkedHashMap<>();
    for (String k : keys) {
      times.put(k, new ArrayList<>());
      cpus.put(k, new ArrayList<>());
      jits.put(k, new ArrayList<>());
      loads.put(k, new ArrayList<>());
    }
    // unmeasured rounds first: Spark's scheduler and our kernels are still being compiled for a
    // few hundred steps; on two cores that JIT work takes local[2]'s second core, while local[1]
    // leaves it a free one
    for (int r = -warmupRounds; r < rounds; r++) {
      for (int threads : new int[] {1, 2}) {
        SparkSession spark = session(threads);
        try {
          if (r == 0) rows.add(emptyJob(spark, threads, 20, 40));
          if (r < 0) {
            for (String k : keys) {
              String[] f = k.split("/");
              if (Integer.parseInt(f[0]) != threads) continue;
              int mi = f[1].equals("seed") ? 0 : 1;
              onSpark(
                  spark,
                  models[mi],
                  data.get(mi),
                  threads,
                  AllReduce.valueOf(f[2]),
                  warmupEpochs,
                  epochs);
            }
            continue;
          }
          for (String k : keys) {
            String[] f = k.split("/");
            if (Integer.parseInt(f[0]) != threads) continue;
            int mi = f[1].equals("seed") ? 0 : 1;
            double[] t =
                onSpark(
                    spark,
                    models[mi],
                    data.get(mi),
                    threads,
                    AllReduce.valueOf(f[2]),
                    warmupEpochs,
                    epochs);
            for (double v : t) times.get(k).add(v);
            cpus.get(k).add(lastCpuPerStep);
            jits.get(k).add(lastJitGcPerStep);
            loads.get(k).add(load());
          }
        } finally {
          spark.stop();
        }
      }
      System.out.printf(
          Locale.ROOT,
          r < 0 ? "warm-up round done, load %3$.2f%n" : "round %d/%d done, load %.2f%n",
          r + 1,
          rounds,
          load());
    }
    for (String k : keys) {
      String[] f = k.split("/");
      Model m = models[f[1].equals("seed") ? 0 : 1];
      double[] t = times.get(k).stream().mapToDouble(Double::doubleValue).toArray();
      rows.add(
          row(
              m,
              "local[" + f[0] + "]",
              f[0],
              f[2],
              t,
              median(cpus.get(k)),
              median(jits.get(k)),
              median(loads.get(k))));
    }
    say.accept(
        "| model | run | partitions | all-reduce | µs/step median | p90 | samples/s (median) | CPU µs/step | of which JIT + GC | load avg (median) |");
    say.accept("|---|---|---|---|---|---|---|---|---|---|");
    rows.forEach(say);
    for (String how : new String[] {"BARRIER", "DRIVER"}) {
      if (!times.containsKey("1/784/" + how) || !times.containsKey("2/784/" + how)) continue;
      double one =
          quantile(
              times.get("1/784/" + how).stream().mapToDouble(Double::doubleValue).toArray(), 0.5);
      double two =
          quantile(
              times.get("2/784/" + how).stream().mapToDouble(Double::doubleValue).toArray(), 0.5);
      say.accept(
          String.format(
              Locale.ROOT,
              "%nMLP-784 (batch %d), %s: local[1] -> local[2] speed-up %.2fx (median step %.0f -> %.0f µs)",
              batch784,
              how,
              one / two,
              1e6 * one,
              1e6 * two));
    }

    if (Report.intArg(args, "--traffic", 1) == 0) {
      driverCosts(say);
      say.accept(String.format(Locale.ROOT, "%nload average at the end: %.2f", load()));
      write(args, out);
      return;
    }
    say.accept("");
    say.accept(
        "| model | parameters | partitions | all-reduce | to driver (task results) B/step | shuffle write B/step | shuffle read B/step | broadcast B/step (P x 4 x params) | µs/step median |");
    say.accept("|---|---|---|---|---|---|---|---|---|");
    SparkSession spark = session(2);
    Traffic traffic = new Traffic();
    spark.sparkContext().addSparkListener(traffic);
    try {
      for (int i = 0; i < models.length; i++) {
        long params = models[i].factory().create().numParameters();
        for (int p : new int[] {1, 2, 4, 8}) {
          for (AllReduce how : new AllReduce[] {AllReduce.DRIVER, AllReduce.REDUCE_SCATTER}) {
            // both runs lay the data out (one shuffle); their difference is 10 steps' traffic
            traffic.reset();
            double[] t = onSparkSteps(spark, models[i], data.get(i), p, how, 2, 10);
            spark.sparkContext().listenerBus().waitUntilEmpty();
            long r = traffic.result.get(),
                w = traffic.shuffleWrite.get(),
                rd = traffic.shuffleRead.get();
            traffic.reset();
            onSparkSteps(spark, models[i], data.get(i), p, how, 2, 0);
            spark.sparkContext().listenerBus().waitUntilEmpty();
            long r0 = traffic.result.get(),
                w0 = traffic.shuffleWrite.get(),
                rd0 = traffic.shuffleRead.get();
            say.accept(
                String.format(
                    Locale.ROOT,
                    "| %s | %d | %d | %s | %d | %d | %d | %d | %.0f |",
                    models[i].name(),
                    params,
                    p,
                    how,
                    (r - r0) / 10,
                    (w - w0) / 10,
                    (rd - rd0) / 10,
                    p * 4L * params,
                    1e6 * quantile(t, 0.5)));
          }
          // BARRIER on a cluster (one task per partition) goes through the driver's TCP hub: its
          // wire format, as FaultsAndCheckpointsTest checks against the hub's byte counters;
          // in local mode it moves nothing through the driver (shared memory)
          say.accept(
              String.format(
                  Locale.ROOT,
                  "| %s | %d | %d | BARRIER (TCP hub, computed) | %d | 0 | 0 | out of the driver: %d | - |",
                  models[i].name(),
                  params,
                  p,
                  p * (16 + 4L * params) + 8L * p,
                  p * (16 + 4L * params)));
        }
      }
    } finally {
      spark.stop();
    }
    driverCosts(say);
    say.accept(String.format(Locale.ROOT, "%nload average at the end: %.2f", load()));
    write(args, out);
  }

  /** Writes the report to {@code --out FILE} when given. */
  static void write(String[] args, StringBuilder out) throws IOException {
    int at = Arrays.asList(args).indexOf("--out");
    if (at >= 0 && at + 1 < args.length) Files.writeString(Path.of(args[at + 1]), out.toString());
  }

  /**
   * Spark's floor per step: a job over {@code threads} cached partitions with a 4 KB broadcast,
   * doing nothing.
   */
  static String emptyJob(SparkSession spark, int threads, int warmup, int steps) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    JavaRDD<Integer> rdd =
        jsc.parallelize(java.util.Collections.nCopies(threads, 1), threads).cache();
    rdd.count();
    double[] t = new double[steps];
    long cpuStart = 0;
    for (int s = 0; s < warmup + steps; s++) {
      if (s == warmup) cpuStart = cpuNanos();
      long t0 = System.nanoTime();
      org.apache.spark.broadcast.Broadcast<float[]> b = jsc.broadcast(new float[1000]);
      rdd.map(x -> x + b.value().length).collect();
      b.destroy();
      if (s >= warmup) t[s - warmup] = (System.nanoTime() - t0) / 1e9;
    }
    lastCpuPerStep = (cpuNanos() - cpuStart) / 1e9 / steps;
    rdd.unpersist();
    return (String.format(
        Locale.ROOT,
        "| empty job + 4 KB broadcast | local[%d] | %d | - | %.0f | %.0f | - | %.0f | - | %.2f |",
        threads,
        threads,
        1e6 * quantile(t, 0.5),
        1e6 * quantile(t, 0.9),
        1e6 * lastCpuPerStep,
        load()));
  }

  /**
   * What the driver pays per step for a 10M-parameter float32 model, measured on one core: the
   * optimizer update (Adam), Java-serializing and reading back one gradient vector (what each task
   * result costs it), and adding one vector into the sum.
   */
  static void driverCosts(java.util.function.Consumer<String> say)
      throws IOException, ClassNotFoundException {
    int n = 10_000_000, reps = 5;
    Linear big = new Linear(1000, 10_000);
    List<Tensor> params = big.parameters();
    Adam adam = new Adam(params, 1e-3);
    for (Tensor p : params) p.setGrad(Tensor.zeros(p.shapeRef()));
    double[] adamT = new double[reps], serT = new double[reps], addT = new double[reps];
    float[] a = new float[n], b = new float[n];
    for (int r = 0; r < reps; r++) {
      long t0 = System.nanoTime();
      adam.step();
      long t1 = System.nanoTime();
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(4 * n + 64);
      try (java.io.ObjectOutputStream o = new java.io.ObjectOutputStream(bytes)) {
        o.writeObject(a);
      }
      try (java.io.ObjectInputStream in =
          new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
        b = (float[]) in.readObject();
      }
      long t2 = System.nanoTime();
      for (int i = 0; i < n; i++) a[i] += b[i];
      long t3 = System.nanoTime();
      adamT[r] = (t1 - t0) / 1e6;
      serT[r] = (t2 - t1) / 1e6;
      addT[r] = (t3 - t2) / 1e6;
    }
    say.accept("");
    say.accept(
        String.format(
            Locale.ROOT,
            "driver costs for 10M float32 parameters (median of %d, ms): Adam update %.1f, serialize + deserialize one gradient %.1f, add one gradient %.1f (load avg %.2f)",
            reps,
            quantile(adamT, 0.5),
            quantile(serT, 0.5),
            quantile(addT, 0.5),
            load()));
  }

  static String row(
      Model m,
      String run,
      String partitions,
      String how,
      double[] t,
      double cpuPerStep,
      double jitGcPerStep,
      double load) {
    double med = quantile(t, 0.5);
    return String.format(
        Locale.ROOT,
        "| %s (batch %d) | %s | %s | %s | %.0f | %.0f | %.0f | %.0f | %.0f | %.2f |",
        m.name(),
        m.batch(),
        run,
        partitions,
        how,
        1e6 * med,
        1e6 * quantile(t, 0.9),
        m.batch() / med,
        1e6 * cpuPerStep,
        1e6 * jitGcPerStep,
        load);
  }

  static double median(List<Double> v) {
    return quantile(v.stream().mapToDouble(Double::doubleValue).toArray(), 0.5);
  }
}
