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
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Synchronous data-parallel training of an nn module on Apache Spark. Each step the driver
 * broadcasts the current weights; every partition runs forward and backward of its shard of the
 * global batch ({@link BatchPlan}) on its replica; the shard gradients, weighted by shard size,
 * are all-reduced in partition order ({@link AllReduce}); the driver's optimizer applies the
 * update once, and the next step broadcasts the new weights, so every replica computes with
 * bit-identical weights. The result equals training one process on the same global batches (up
 * to float rounding of the sum) and reruns are bit-identical.
 *
 * <pre>{@code
 * TrainingHistory h = new SparkTrainer(() -> new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 10)),
 *         CrossEntropyLoss::new, params -> new Adam(params, 1e-3))
 *     .batchSize(512).epochs(5)
 *     .fit(model, df, "features", "label");   // trains model in place
 * }</pre>
 *
 * <p>Without {@link #session}, training uses the active session, else {@code spark.master}, else
 * an embedded {@code local[*]} (see {@link SparkSessions}). The loss must reduce by the mean
 * (without class weights or ignored indices, whose means a shard cannot weight). Modules with
 * buffers (BatchNorm's running statistics) are rejected: the replicas' buffers would drift apart.
 */
public final class SparkTrainer {
  private final ModuleFactory modelFactory;
  private final LossFactory lossFactory;
  private final OptimizerFactory optimizerFactory;
  private SparkSession session;
  private int batchSize = 64, epochs = 1, partitions, maxSteps = Integer.MAX_VALUE, logEvery, checkpointEvery, keepCheckpoints = 2;
  private int[] featureShape;
  private boolean shuffle = true, resume;
  private long seed;
  private AllReduce allReduce = AllReduce.DRIVER;
  private SchedulerFactory schedulerFactory;
  private String checkpointDir;
  private Consumer<String> progress = System.out::println;

  /**
   * @param modelFactory builds the architecture on each executor (weights come from the driver)
   * @param lossFactory builds the loss (mean reduction)
   * @param optimizerFactory builds the driver's optimizer over the model's parameters
   */
  public SparkTrainer(ModuleFactory modelFactory, LossFactory lossFactory, OptimizerFactory optimizerFactory) {
    if (modelFactory == null || lossFactory == null || optimizerFactory == null) {
      throw new IllegalArgumentException("SparkTrainer needs a model factory, a loss factory and an optimizer factory (got null)");
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
    if (shape == null || shape.length == 0) throw new IllegalArgumentException("featureShape needs at least one dimension");
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

  /** How gradients are summed; default {@link AllReduce#DRIVER}. */
  public SparkTrainer allReduce(AllReduce how) {
    if (how == null) throw new IllegalArgumentException("allReduce: null");
    this.allReduce = how;
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
    if (dir == null || dir.isBlank()) throw new IllegalArgumentException("checkpoint: the directory is empty");
    this.checkpointDir = dir;
    this.checkpointEvery = positive(everySteps, "checkpoint interval");
    return this;
  }

  /** How many checkpoints to keep (default 2). */
  public SparkTrainer keepCheckpoints(int n) {
    this.keepCheckpoints = positive(n, "keepCheckpoints");
    return this;
  }

  /** Continue from the newest checkpoint in the checkpoint directory, if there is one (default false). */
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
    if (model == null || samples == null || kind == null) throw new IllegalArgumentException("fit: model, samples and label kind must not be null");
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
      throw new IllegalArgumentException("featureShape " + Arrays.toString(shape) + " holds " + cells + " values but a sample has " + featureCount + " features");
    }
    BatchPlan plan = new BatchPlan(n, p, batchSize, shuffle, seed);
    String runId = UUID.randomUUID().toString();
    JavaRDD<PartitionData> data = samples.zipWithIndex()
        .mapToPair(t -> new Tuple2<>(t._2(), t._1()))
        .partitionBy(new ModPartitioner(p))
        .mapPartitionsWithIndex((i, it) -> Collections.singletonList(PartitionData.pack(i, plan, it, dtype, featureCount, labelCount)).iterator(), true)
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      data.count();
      ShardTask task = new ShardTask(runId, modelFactory, lossFactory, plan, shape, kind, dtype, FlatVector.totalLength(params));
      return loop(model, params, dtype, plan, task, data, jsc, spark.sparkContext().hadoopConfiguration());
    } catch (IOException e) {
      throw new UncheckedIOException("checkpoint in " + checkpointDir + ": " + e.getMessage(), e);
    } finally {
      data.unpersist(false);
      Replica.release(runId);
    }
  }

  private TrainingHistory loop(Module model, List<Tensor> params, DType dtype, BatchPlan plan, ShardTask task, JavaRDD<PartitionData> data,
      JavaSparkContext jsc, Configuration hadoop) throws IOException {
    int perEpoch = plan.stepsPerEpoch();
    int total = (int) Math.min((long) epochs * perEpoch, maxSteps);
    Optimizer optimizer = optimizerFactory.create(params);
    LRScheduler scheduler = schedulerFactory == null ? null : schedulerFactory.create(optimizer, total);
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
    say(String.format(Locale.ROOT, "training %d samples on %d partitions, global batch %d, %d steps per epoch, %s all-reduce, %d parameters (%s)",
        plan.samples(), plan.partitions(), plan.batchSize(), perEpoch, allReduce, task.paramCount, dtype));
    long epochStart = System.nanoTime(), intervalStart = epochStart;
    int intervalSamples = 0, epochSamples = 0;
    for (int global = done; global < total; global++) {
      int epoch = global / perEpoch, step = global % perEpoch;
      long stepStart = System.nanoTime();
      Broadcast<FlatVector> weights = jsc.broadcast(FlatVector.of(params, dtype));
      StepSum sum;
      try {
        sum = GradientReducer.step(allReduce, data, task, epoch, step, weights);
      } finally {
        weights.destroy();
      }
      sum.grad.setGradsOf(params);
      optimizer.step();
      optimizer.zeroGrad();
      if (scheduler != null) scheduler.step();
      double loss = sum.lossSum / sum.count;
      history.step(loss);
      history.stepTime((System.nanoTime() - stepStart) / 1e9);
      intervalSamples += sum.count;
      epochSamples += sum.count;
      if (logEvery > 0 && (step + 1) % logEvery == 0 && step + 1 < perEpoch) {
        long now = System.nanoTime();
        say(String.format(Locale.ROOT, "epoch %d/%d step %d/%d loss %.4f, %.0f samples/s", epoch + 1, epochs, step + 1, perEpoch, loss,
            intervalSamples / ((now - intervalStart) / 1e9)));
        intervalStart = now;
        intervalSamples = 0;
      }
      if (step == perEpoch - 1) {
        double seconds = (System.nanoTime() - epochStart) / 1e9, epochLoss = epochLoss(history, plan, epoch);
        history.epoch(epochLoss);
        history.metric("samples_per_second", epochSamples / seconds);
        say(String.format(Locale.ROOT, "epoch %d/%d loss %.4f, %d samples in %.1f s (%.0f samples/s)", epoch + 1, epochs, epochLoss, epochSamples,
            seconds, epochSamples / seconds));
        epochStart = intervalStart = System.nanoTime();
        epochSamples = intervalSamples = 0;
      }
      if (dir != null && (global + 1) % checkpointEvery == 0) {
        Checkpoint.save(dir, hadoop, global + 1, model, optimizer, history, planInfo, keepCheckpoints);
      }
    }
    return history;
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

  /** The replicas must have the driver model's parameters (names, shapes, dtypes) and no buffers. */
  private void checkModel(Module model) {
    Module probe = modelFactory.create();
    if (probe == null) throw new IllegalArgumentException("the ModuleFactory returned null");
    Map<String, Tensor> want = model.namedParameters(), got = probe.namedParameters();
    if (!want.keySet().equals(got.keySet())) {
      throw new IllegalArgumentException("the ModuleFactory builds a module with parameters " + got.keySet() + " but the model to train has "
          + want.keySet() + "; the factory must build the same architecture");
    }
    for (Map.Entry<String, Tensor> e : want.entrySet()) {
      Tensor g = got.get(e.getKey());
      if (!Arrays.equals(g.shapeRef(), e.getValue().shapeRef()) || g.dtype() != e.getValue().dtype()) {
        throw new IllegalArgumentException("parameter '" + e.getKey() + "': the model has " + Arrays.toString(e.getValue().shapeRef()) + " "
            + e.getValue().dtype().torchName() + " but the ModuleFactory builds " + Arrays.toString(g.shapeRef()) + " " + g.dtype().torchName()
            + " (convert inside the factory, e.g. module.to(DType.FLOAT64))");
      }
    }
    if (!model.namedBuffers().isEmpty()) {
      throw new IllegalArgumentException("the model has buffers " + model.namedBuffers().keySet() + " (e.g. BatchNorm running statistics); "
          + "data-parallel training does not synchronize buffers between replicas, so they are not supported: use LayerNorm instead");
    }
  }

  private static void checkLoss(Loss loss) {
    if (loss == null) throw new IllegalArgumentException("the LossFactory returned null");
    if (loss.reduction() != Reduction.MEAN) {
      throw new IllegalArgumentException(loss.getClass().getSimpleName() + " has reduction " + loss.reduction()
          + "; data-parallel training weights each shard's mean by its size, so the loss must use Reduction.MEAN");
    }
    if (loss.namedBuffers().containsKey("weight")) {
      throw new IllegalArgumentException(loss.getClass().getSimpleName() + " has class weights; their weighted mean cannot be split over shards, train without class weights");
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
