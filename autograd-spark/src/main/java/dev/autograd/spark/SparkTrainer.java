package dev.autograd.spark;

import dev.autograd.core.DType;
import dev.autograd.core.Reduction;
import dev.autograd.core.Tensor;
import dev.autograd.nn.Loss;
import dev.autograd.nn.Module;
import dev.autograd.nn.optim.LRScheduler;
import dev.autograd.nn.optim.Optimizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;
import scala.reflect.ClassTag$;

/**
 * Synchronous data-parallel training of an nn module on Apache Spark. Each step every partition
 * runs forward and backward of its shard of the global batch ({@link BatchPlan}) on its replica;
 * the shard gradients, weighted by shard size, are summed in partition order and one optimizer
 * update is applied with the sum. By default ({@link AllReduce#BARRIER}) a long-running barrier
 * stage covers many steps: every task keeps its data and a replica of model and optimizer,
 * all-reduces the shards' gradients each step (through shared memory in local mode, {@link
 * LocalExchange}; through a hub on the driver on a cluster, {@link StepHub}) and applies the
 * identical update itself, so Spark's per-job cost is paid once per stage instead of once per step
 * (a stage ends at a checkpoint, and on a cluster also at each epoch's end). {@link
 * AllReduce#DRIVER} and {@link AllReduce#REDUCE_SCATTER} run a job per step and update on the
 * driver. All give the same bits; the result equals training one process on the same global batches
 * (up to float rounding of the sum), and reruns are bit-identical.
 *
 * <pre>{@code
 * TrainingHistory h = new SparkTrainer(() -> new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 10)),
 *         CrossEntropyLoss::new, params -> new Adam(params, 1e-3))
 *     .batchSize(512).epochs(5)
 *     .fit(model, df, "features", "label");   // trains model in place
 * }</pre>
 *
 * <p>Without {@link #session}, training uses the active session, else {@code spark.master}, else an
 * embedded {@code local[*]} (see {@link SparkSessions}). The loss must reduce by the mean (without
 * class weights or ignored indices, whose means a shard cannot weight). Modules with buffers
 * (BatchNorm's running statistics) are rejected: the replicas' buffers would drift apart.
 */
public final class SparkTrainer {
  private final ModuleFactory modelFactory;
  private final LossFactory lossFactory;
  private final OptimizerFactory optimizerFactory;
  private SparkSession session;
  private int batchSize = 64,
      epochs = 1,
      partitions,
      maxSteps = Integer.MAX_VALUE,
      logEvery,
      checkpointEvery,
      keepCheckpoints = 2,
      syncEvery;
  private int[] featureShape;
  private boolean shuffle = true, resume;
  private long seed;
  private AllReduce allReduce = AllReduce.BARRIER;
  private SchedulerFactory schedulerFactory;
  private String checkpointDir;
  private Consumer<String> progress = System.out::println;

  /**
   * @param modelFactory builds the architecture on each executor (weights come from the driver)
   * @param lossFactory builds the loss (mean reduction)
   * @param optimizerFactory builds the driver's optimizer over the model's parameters
   */
  public SparkTrainer(
      ModuleFactory modelFactory, LossFactory lossFactory, OptimizerFactory optimizerFactory) {
    if (modelFactory == null || lossFactory == null || optimizerFactory == null) {
      throw new IllegalArgumentException(
          "SparkTrainer needs a model factory, a loss factory and an optimizer factory (got null)");
    }
    this.modelFactory = modelFactory;
    this.lossFactory = lossFactory;
    this.optimizerFactory = optimizerFactory;
  }

  /** Runs on this session instead of the default one. */
  public SparkTrainer session(SparkSession s) {
    this.session = s;
    return this;
  }

  /** The global batch (split over the partitions each step); default 64. */
  public SparkTrainer batchSize(int b) {
    this.batchSize = positive(b, "batchSize");
    return this;
  }

  /** Passes over the data; default 1. */
  public SparkTrainer epochs(int e) {
    this.epochs = positive(e, "epochs");
    return this;
  }

  /** Stops after this many optimizer steps in all (counting steps before a resume). */
  public SparkTrainer maxSteps(int s) {
    this.maxSteps = positive(s, "maxSteps");
    return this;
  }

  /** Training partitions (parallel tasks per step); default the session's default parallelism. */
  public SparkTrainer partitions(int p) {
    this.partitions = positive(p, "partitions");
    return this;
  }

  /** The shape of one sample's features as the model takes it (e.g. 1, 28, 28); default flat. */
  public SparkTrainer featureShape(int... shape) {
    if (shape == null || shape.length == 0)
      throw new IllegalArgumentException("featureShape needs at least one dimension");
    for (int d : shape) positive(d, "featureShape dimension");
    this.featureShape = shape.clone();
    return this;
  }

  /** Shuffle each partition's samples every epoch (default true), seeded by {@link #seed}. */
  public SparkTrainer shuffle(boolean on) {
    this.shuffle = on;
    return this;
  }

  /**
   * The seed of the initial shuffles and of each epoch's permutations, so that a run can be
   * repeated.
   */
  public SparkTrainer seed(long s) {
    this.seed = s;
    return this;
  }

  /** How gradients are summed and the update applied; default {@link AllReduce#BARRIER}. */
  public SparkTrainer allReduce(AllReduce how) {
    if (how == null) throw new IllegalArgumentException("allReduce: null");
    this.allReduce = how;
    return this;
  }

  /**
   * With {@link AllReduce#BARRIER}: hand the replicas' state back to the driver at least every
   * {@code steps} steps (default 0: at checkpoints and the end, and on a cluster also once per
   * epoch and at progress lines). Each hand-back ends a barrier stage (one Spark job, ~10-20 ms); a
   * failed task makes Spark rerun the steps since the last one, so this bounds the work a failure
   * repeats.
   */
  public SparkTrainer syncEvery(int steps) {
    if (steps < 0) throw new IllegalArgumentException("syncEvery must be >= 0, got " + steps);
    this.syncEvery = steps;
    return this;
  }

  /** A learning-rate schedule stepped after every optimizer step. */
  public SparkTrainer scheduler(SchedulerFactory f) {
    this.schedulerFactory = f;
    return this;
  }

  /** Where progress lines go (default System.out; null for none). */
  public SparkTrainer progress(Consumer<String> sink) {
    this.progress = sink;
    return this;
  }

  /** Also print a progress line every {@code steps} steps (default 0: one line per epoch). */
  public SparkTrainer logEvery(int steps) {
    if (steps < 0) throw new IllegalArgumentException("logEvery must be >= 0, got " + steps);
    this.logEvery = steps;
    return this;
  }

  /**
   * Writes a checkpoint (model + optimizer + history) every {@code everySteps} steps into {@code
   * dir}, any Hadoop path ({@code file:/...}, {@code hdfs://...}); keeps the newest two.
   */
  public SparkTrainer checkpoint(String dir, int everySteps) {
    if (dir == null || dir.isBlank())
      throw new IllegalArgumentException("checkpoint: the directory is empty");
    this.checkpointDir = dir;
    this.checkpointEvery = positive(everySteps, "checkpoint interval");
    return this;
  }

  /** How many checkpoints to keep (default 2). */
  public SparkTrainer keepCheckpoints(int n) {
    this.keepCheckpoints = positive(n, "keepCheckpoints");
    return this;
  }

  /**
   * Continue from the newest checkpoint in the checkpoint directory, if there is one (default
   * false).
   */
  public SparkTrainer resume(boolean on) {
    this.resume = on;
    return this;
  }

  /**
   * Trains {@code model} in place on the rows of {@code df}: {@code featuresCol} a number or an
   * array of numbers; {@code labelCol} an integer class index (CLASS_INDEX) or a number or array
   * (VALUES).
   */
  public TrainingHistory fit(Module model, Dataset<Row> df, String featuresCol, String labelCol) {
    if (df == null) throw new IllegalArgumentException("fit: the DataFrame is null");
    LabelKind kind = DataFrames.labelKindOf(df.schema(), labelCol);
    return fit(model, DataFrames.samples(df, featuresCol, labelCol), kind);
  }

  /** Trains {@code model} in place on an RDD of samples whose labels are of {@code kind}. */
  public TrainingHistory fit(Module model, JavaRDD<Sample> samples, LabelKind kind) {
    if (model == null || samples == null || kind == null)
      throw new IllegalArgumentException("fit: model, samples and label kind must not be null");
    List<Tensor> params = model.parameters();
    DType dtype = FlatVector.dtypeOf(params, model.getClass().getSimpleName());
    checkModel(model);
    checkLoss(lossFactory.create());

    SparkSession spark = session != null ? session : SparkSessions.getOrCreate("autograd-spark");
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int p = partitions > 0 ? partitions : jsc.defaultParallelism();
    long n = samples.count();
    if (n == 0) throw new IllegalArgumentException("fit: the data has no samples");
    Sample first = samples.first();
    int featureCount = first.featureCount(), labelCount = first.labelCount();
    int[] shape = featureShape != null ? featureShape : new int[] {featureCount};
    long cells = 1;
    for (int d : shape) cells *= d;
    if (cells != featureCount) {
      throw new IllegalArgumentException(
          "featureShape "
              + Arrays.toString(shape)
              + " holds "
              + cells
              + " values but a sample has "
              + featureCount
              + " features");
    }
    BatchPlan plan = new BatchPlan(n, p, batchSize, shuffle, seed);
    String runId = UUID.randomUUID().toString();
    JavaRDD<PartitionData> data =
        samples
            .zipWithIndex()
            .mapToPair(t -> new Tuple2<>(t._2(), t._1()))
            .partitionBy(new ModPartitioner(p))
            .mapPartitionsWithIndex(
                (i, it) ->
                    Collections.singletonList(
                            PartitionData.pack(i, plan, it, dtype, featureCount, labelCount))
                        .iterator(),
                true)
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      data.count();
      ShardTask task =
          new ShardTask(
              runId,
              modelFactory,
              lossFactory,
              plan,
              shape,
              kind,
              dtype,
              FlatVector.totalLength(params));
      return loop(
          model, params, dtype, plan, task, data, jsc, spark.sparkContext().hadoopConfiguration());
    } catch (IOException e) {
      throw new UncheckedIOException("checkpoint in " + checkpointDir + ": " + e.getMessage(), e);
    } finally {
      data.unpersist(false);
      Replica.release(runId);
      LocalExchange.release(runId);
      LocalStates.release(runId);
      LocalStates.closeReports(runId);
    }
  }

  private TrainingHistory loop(
      Module model,
      List<Tensor> params,
      DType dtype,
      BatchPlan plan,
      ShardTask task,
      JavaRDD<PartitionData> data,
      JavaSparkContext jsc,
      Configuration hadoop)
      throws IOException {
    int perEpoch = plan.stepsPerEpoch();
    int total = (int) Math.min((long) epochs * perEpoch, maxSteps);
    Optimizer optimizer = optimizerFactory.create(params);
    LRScheduler scheduler =
        schedulerFactory == null ? null : schedulerFactory.create(optimizer, total);
    Map<String, String> planInfo = planInfo(plan);
    TrainingHistory history = new TrainingHistory();
    int done = 0;
    Path dir = checkpointDir == null ? null : new Path(checkpointDir);
    if (resume && dir != null) {
      Path latest = Checkpoint.latest(dir, hadoop);
      if (latest != null) {
        Checkpoint.Restored r = Checkpoint.load(latest, hadoop, model, optimizer, planInfo);
        done = r.step;
        history = r.history;
        if (scheduler != null) for (int i = 0; i < done; i++) scheduler.step();
        say(String.format(Locale.ROOT, "resumed from %s at step %d", latest, done));
      }
    }
    int tasks =
        allReduce == AllReduce.BARRIER
            ? Math.min(plan.partitions(), jsc.defaultParallelism())
            : plan.partitions();
    say(
        String.format(
            Locale.ROOT,
            "training %d samples on %d partitions (%d tasks), global batch %d, %d steps per epoch, %s all-reduce, %d parameters (%s)",
            plan.samples(),
            plan.partitions(),
            tasks,
            plan.batchSize(),
            perEpoch,
            allReduce,
            task.paramCount,
            dtype));
    Steps steps = new Steps(model, optimizer, history, plan, dir, hadoop, planInfo);
    if (allReduce == AllReduce.BARRIER) {
      // fewer task slots than partitions: each barrier task holds several partitions (a barrier
      // stage allows no coalesce)
      JavaRDD<PartitionData> taskData = data;
      if (tasks < plan.partitions()) {
        int t = tasks;
        taskData =
            data.keyBy(d -> d.partition % t)
                .partitionBy(new ModPartitioner(t))
                .values()
                .persist(StorageLevel.MEMORY_AND_DISK());
        taskData.count();
        data.unpersist(false);
      }
      boolean local = jsc.sc().isLocal() && !overTcp;
      try {
        for (int global = done; global < total; ) {
          int end = segmentEnd(global, total, perEpoch, local);
          // local mode: task 0 reports each step as it completes, so progress lines come out
          // while a stage spans epochs; the last step waits for the stage's end state (it may
          // write a checkpoint). A rerun after a failure reports the same steps again: skipped.
          int last = end - 1;
          int[] next = {global};
          StepListener streamed =
              (g, count, lossSum, secs) -> {
                if (g == next[0] && g < last) {
                  steps.done(g, count, lossSum, secs);
                  next[0]++;
                }
              };
          SegmentResult first =
              runBarrier(
                  taskData, task, total, global, end, jsc, model, optimizer, dtype, streamed);
          for (int g = global; g < end; g++) {
            if (scheduler != null) scheduler.step();
            if (g >= next[0])
              steps.done(
                  g,
                  first.counts[g - global],
                  first.lossSums[g - global],
                  first.seconds[g - global]);
          }
          global = end;
        }
      } finally {
        if (taskData != data) taskData.unpersist(false);
      }
      return history;
    }
    for (int global = done; global < total; global++) {
      long stepStart = System.nanoTime();
      Broadcast<FlatVector> weights = jsc.broadcast(FlatVector.of(params, dtype));
      StepSum sum;
      try {
        sum =
            GradientReducer.step(
                allReduce, data, task, global / perEpoch, global % perEpoch, weights);
      } finally {
        weights.destroy();
      }
      sum.grad.setGradsOf(params);
      optimizer.step();
      optimizer.zeroGrad();
      if (scheduler != null) scheduler.step();
      steps.done(global, sum.count, sum.lossSum, (System.nanoTime() - stepStart) / 1e9);
    }
    return history;
  }

  /**
   * The end of the barrier segment that starts at step {@code from}: the next checkpoint, {@code
   * syncEvery} steps or the last step, whichever comes first, and on a cluster also the epoch's end
   * and the next progress line (the driver learns a step's loss when the stage ends; in local mode
   * task 0 reports every step as it completes, so one stage spans epochs and Spark's per-job cost
   * is paid once). A failed task reruns its segment from {@code from}, the state the driver holds.
   */
  private int segmentEnd(int from, int total, int perEpoch, boolean local) {
    int end = total;
    if (!local) end = Math.min(end, (from / perEpoch + 1) * perEpoch);
    if (checkpointDir != null) end = Math.min(end, (from / checkpointEvery + 1) * checkpointEvery);
    if (syncEvery > 0) end = Math.min(end, from + syncEvery);
    if (logEvery > 0 && !local) {
      int inEpoch = from % perEpoch;
      end = Math.min(end, from - inEpoch + (inEpoch / logEvery + 1) * logEvery);
    }
    return end;
  }

  /** The driver's handling of a step that task 0 reported while its stage still runs. */
  @FunctionalInterface
  private interface StepListener {
    void step(int global, int count, double lossSum, double seconds) throws IOException;
  }

  /**
   * Runs steps [from, to) as one barrier stage, checks that every replica ended bit-identical and
   * loads the end state into {@code model} and {@code optimizer}; returns task 0's result (the
   * steps' counts, loss sums and times).
   */
  private SegmentResult runBarrier(
      JavaRDD<PartitionData> taskData,
      ShardTask task,
      int total,
      int from,
      int to,
      JavaSparkContext jsc,
      Module model,
      Optimizer optimizer,
      DType dtype,
      StepListener streamed)
      throws IOException {
    // in local mode the tasks share this JVM: they all-reduce through shared memory, no hub, and
    // take their start state by reference
    boolean local = jsc.sc().isLocal() && !overTcp;
    ReplicaState state = ReplicaState.capture(model, optimizer, dtype);
    Broadcast<ReplicaState> start = local ? null : jsc.broadcast(state);
    if (local) LocalStates.putStart(task.runId, from, state);
    List<SegmentResult> results;
    int tasks = taskData.getNumPartitions();
    try (StepHub hub =
        local
            ? null
            : new StepHub(tasks, to - from, task.plan.partitions(), dtype, task.paramCount)) {
      String host = jsc.getConf().get("spark.driver.host", "localhost");
      int port = hub == null ? -1 : hub.port();
      if (local) {
        // a barrier result stage: one stage per segment instead of a shuffle-map stage, its
        // shuffle and a result stage. Spark never retries a failed barrier result stage, so the
        // driver reruns the segment as a new job, as often as Spark would retry it
        int allowed = localAttempts(jsc.master(), jsc.getConf());
        for (int attempt = 0; ; attempt++) {
          BarrierSegment segment =
              new BarrierSegment(
                  task,
                  optimizerFactory,
                  schedulerFactory,
                  total,
                  from,
                  to,
                  null,
                  host,
                  port,
                  true,
                  tasks,
                  attempt);
          try {
            results = runReporting(barrierStage(taskData, segment), task.runId, streamed);
            break;
          } catch (SparkException e) {
            // the failed attempt's exchange: its tasks hold it, the next attempt gets a new one
            LocalExchange.release(task.runId);
            if (attempt + 1 >= allowed)
              throw new IllegalStateException(
                  "steps "
                      + from
                      + ".."
                      + (to - 1)
                      + " failed "
                      + allowed
                      + " time(s): "
                      + e.getMessage()
                      + " (a local master allows task failures as local[N,F])",
                  e);
          }
        }
      } else {
        BarrierSegment segment =
            new BarrierSegment(
                task,
                optimizerFactory,
                schedulerFactory,
                total,
                from,
                to,
                start,
                host,
                port,
                false,
                tasks,
                0);
        // through a shuffle: Spark retries a failed barrier stage only when it is a shuffle-map
        // stage, never a result stage
        results =
            new ArrayList<>(
                barrierStage(taskData, segment)
                    .keyBy(r -> r.task)
                    .partitionBy(new ModPartitioner(1))
                    .values()
                    .collect());
      }
      if (hub != null) {
        hubBytesIn += hub.bytesIn();
        hubBytesOut += hub.bytesOut();
      }
    } finally {
      if (start != null) start.destroy();
      // a failed attempt's exchange stays registered until here
      LocalExchange.release(task.runId);
    }
    results.sort(Comparator.comparingInt(r -> r.task));
    List<String> digests = new ArrayList<>();
    for (SegmentResult r : results) digests.add(r.digest);
    ReplicaState end = null;
    if (!results.isEmpty() && results.get(0).task == 0) {
      SegmentResult first = results.get(0);
      end = local ? LocalStates.takeEnd(task.runId, from, first.attempt) : first.state;
    }
    LocalStates.release(task.runId);
    if (end == null || new HashSet<>(digests).size() != 1) {
      throw new IllegalStateException(
          "steps "
              + from
              + ".."
              + (to - 1)
              + ": the replicas ended with different weights or optimizer state (digests "
              + digests
              + "); a model or optimizer that is not deterministic cannot train data-parallel");
    }
    lastReplicaDigests = digests;
    lastUpdateSharded = results.get(0).sharded;
    end.applyTo(model, optimizer);
    return results.get(0);
  }

  private static JavaRDD<SegmentResult> barrierStage(
      JavaRDD<PartitionData> taskData, BarrierSegment segment) {
    return JavaRDD.fromRDD(
        taskData
            .rdd()
            .barrier()
            .mapPartitions(segment, false, ClassTag$.MODULE$.apply(SegmentResult.class)),
        ClassTag$.MODULE$.apply(SegmentResult.class));
  }

  /**
   * Collects {@code stage}'s results while handing task 0's step reports to {@code streamed} as
   * they arrive (local mode); throws the SparkException of a failed job.
   */
  private static List<SegmentResult> runReporting(
      JavaRDD<SegmentResult> stage, String runId, StepListener streamed)
      throws SparkException, IOException {
    LocalStates.openReports(runId);
    JavaFutureAction<List<SegmentResult>> job = stage.collectAsync();
    boolean finished = false;
    try {
      while (true) {
        boolean done = job.isDone();
        // after the job: whatever task 0 reported before it ended, without waiting
        LocalStates.StepReport r = LocalStates.nextReport(runId, done ? 0 : REPORT_POLL_MS);
        if (r != null) streamed.step(r.step(), r.count(), r.lossSum(), r.seconds());
        else if (done) break;
      }
      List<SegmentResult> out = new ArrayList<>(job.get());
      finished = true;
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the barrier stage ran", e);
    } catch (ExecutionException e) {
      finished = true;
      if (e.getCause() instanceof SparkException se) throw se;
      if (e.getCause() instanceof RuntimeException re) throw re;
      throw new IllegalStateException("the barrier stage failed: " + e.getCause(), e.getCause());
    } finally {
      // a progress sink that threw, or an interrupt: stop the stage's tasks
      if (!finished) job.cancel(true);
    }
  }

  /** How long the driver waits for a step report before checking whether the stage ended. */
  private static final long REPORT_POLL_MS = 20;

  /**
   * How many times local mode runs a barrier segment: as often as Spark retries a failed barrier
   * stage ({@code spark.stage.maxConsecutiveAttempts}, 4) when the master allows task failures
   * ({@code local[N,F]} with F > 1), else once, as Spark would.
   */
  static int localAttempts(String master, org.apache.spark.SparkConf conf) {
    Matcher m = Pattern.compile("local\\[[^,\\]]+,\\s*(\\d+)\\]").matcher(master);
    int failures = m.matches() ? Integer.parseInt(m.group(1)) : 1;
    return failures > 1 ? conf.getInt("spark.stage.maxConsecutiveAttempts", 4) : 1;
  }

  private List<String> lastReplicaDigests = List.of();
  private boolean lastUpdateSharded;

  /** Bytes the TCP hubs of this trainer's BARRIER stages received and sent (0 in local mode). */
  private long hubBytesIn, hubBytesOut;

  long hubBytesIn() {
    return hubBytesIn;
  }

  long hubBytesOut() {
    return hubBytesOut;
  }

  /** Tests: all-reduce through the driver's TCP hub even in local mode (as on a cluster). */
  private boolean overTcp;

  SparkTrainer overTcp(boolean on) {
    this.overTcp = on;
    return this;
  }

  /** The digests of the replicas after the last barrier segment, one per task (all equal). */
  List<String> lastReplicaDigests() {
    return lastReplicaDigests;
  }

  /**
   * Whether the last barrier stage's replicas shared one set of weights and each task updated its
   * slice ({@link ShardedUpdate}; local mode with SGD, Adam or AdamW), for tests.
   */
  boolean lastUpdateSharded() {
    return lastUpdateSharded;
  }

  /** The driver's bookkeeping after each step: history, progress lines, checkpoints. */
  private final class Steps {
    final Module model;
    final Optimizer optimizer;
    final TrainingHistory history;
    final BatchPlan plan;
    final Path dir;
    final Configuration hadoop;
    final Map<String, String> planInfo;
    long epochStart = System.nanoTime(), intervalStart = epochStart;
    int intervalSamples, epochSamples;

    Steps(
        Module model,
        Optimizer optimizer,
        TrainingHistory history,
        BatchPlan plan,
        Path dir,
        Configuration hadoop,
        Map<String, String> planInfo) {
      this.model = model;
      this.optimizer = optimizer;
      this.history = history;
      this.plan = plan;
      this.dir = dir;
      this.hadoop = hadoop;
      this.planInfo = planInfo;
    }

    void done(int global, int count, double lossSum, double seconds) throws IOException {
      int perEpoch = plan.stepsPerEpoch(), epoch = global / perEpoch, step = global % perEpoch;
      double loss = lossSum / count;
      history.step(loss);
      history.stepTime(seconds);
      intervalSamples += count;
      epochSamples += count;
      if (logEvery > 0 && (step + 1) % logEvery == 0 && step + 1 < perEpoch) {
        long now = System.nanoTime();
        say(
            String.format(
                Locale.ROOT,
                "epoch %d/%d step %d/%d loss %.4f, %.0f samples/s",
                epoch + 1,
                epochs,
                step + 1,
                perEpoch,
                loss,
                intervalSamples / ((now - intervalStart) / 1e9)));
        intervalStart = now;
        intervalSamples = 0;
      }
      if (step == perEpoch - 1) {
        double secs = (System.nanoTime() - epochStart) / 1e9,
            epochLoss = epochLoss(history, plan, epoch);
        history.epoch(epochLoss);
        history.metric("samples_per_second", epochSamples / secs);
        say(
            String.format(
                Locale.ROOT,
                "epoch %d/%d loss %.4f, %d samples in %.1f s (%.0f samples/s)",
                epoch + 1,
                epochs,
                epochLoss,
                epochSamples,
                secs,
                epochSamples / secs));
        epochStart = intervalStart = System.nanoTime();
        epochSamples = intervalSamples = 0;
      }
      if (dir != null && (global + 1) % checkpointEvery == 0) {
        Checkpoint.save(
            dir, hadoop, global + 1, model, optimizer, history, planInfo, keepCheckpoints);
      }
    }
  }

  /** The epoch's mean loss over its samples (exact after a resume: counts come from the plan). */
  private static double epochLoss(TrainingHistory h, BatchPlan plan, int epoch) {
    int perEpoch = plan.stepsPerEpoch();
    double sum = 0;
    long count = 0;
    for (int s = 0; s < perEpoch; s++) {
      int c = plan.globalCount(s);
      sum += h.stepLosses().get(epoch * perEpoch + s) * c;
      count += c;
    }
    return sum / count;
  }

  private static Map<String, String> planInfo(BatchPlan plan) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("samples", Long.toString(plan.samples()));
    m.put("partitions", Integer.toString(plan.partitions()));
    m.put("batch", Integer.toString(plan.batchSize()));
    m.put("plan", plan.describe());
    return m;
  }

  /**
   * The replicas must have the driver model's parameters (names, shapes, dtypes) and no buffers.
   */
  private void checkModel(Module model) {
    Module probe = modelFactory.create();
    if (probe == null) throw new IllegalArgumentException("the ModuleFactory returned null");
    Map<String, Tensor> want = model.namedParameters(), got = probe.namedParameters();
    if (!want.keySet().equals(got.keySet())) {
      throw new IllegalArgumentException(
          "the ModuleFactory builds a module with parameters "
              + got.keySet()
              + " but the model to train has "
              + want.keySet()
              + "; the factory must build the same architecture");
    }
    for (Map.Entry<String, Tensor> e : want.entrySet()) {
      Tensor g = got.get(e.getKey());
      if (!Arrays.equals(g.shapeRef(), e.getValue().shapeRef())
          || g.dtype() != e.getValue().dtype()) {
        throw new IllegalArgumentException(
            "parameter '"
                + e.getKey()
                + "': the model has "
                + Arrays.toString(e.getValue().shapeRef())
                + " "
                + e.getValue().dtype().torchName()
                + " but the ModuleFactory builds "
                + Arrays.toString(g.shapeRef())
                + " "
                + g.dtype().torchName()
                + " (convert inside the factory, e.g. module.to(DType.FLOAT64))");
      }
    }
    if (!model.namedBuffers().isEmpty()) {
      throw new IllegalArgumentException(
          "the model has buffers "
              + model.namedBuffers().keySet()
              + " (e.g. BatchNorm running statistics); "
              + "data-parallel training does not synchronize buffers between replicas, so they are not supported: use LayerNorm instead");
    }
  }

  private static void checkLoss(Loss loss) {
    if (loss == null) throw new IllegalArgumentException("the LossFactory returned null");
    if (loss.reduction() != Reduction.MEAN) {
      throw new IllegalArgumentException(
          loss.getClass().getSimpleName()
              + " has reduction "
              + loss.reduction()
              + "; data-parallel training weights each shard's mean by its size, so the loss must use Reduction.MEAN");
    }
    if (loss.namedBuffers().containsKey("weight")) {
      throw new IllegalArgumentException(
          loss.getClass().getSimpleName()
              + " has class weights; their weighted mean cannot be split over shards, train without class weights");
    }
  }

  private void say(String line) {
    if (progress != null) progress.accept(line);
  }

  private static int positive(int v, String what) {
    if (v < 1) throw new IllegalArgumentException(what + " must be >= 1, got " + v);
    return v;
  }
}
