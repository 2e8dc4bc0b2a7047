package dev.autograd.samples;

import dev.autograd.core.Autograd;
import dev.autograd.core.Tensor;
import dev.autograd.nn.CrossEntropyLoss;
import dev.autograd.nn.Linear;
import dev.autograd.nn.Module;
import dev.autograd.nn.ReLU;
import dev.autograd.nn.Sequential;
import dev.autograd.nn.data.FashionMnist;
import dev.autograd.nn.data.TensorDataset;
import dev.autograd.nn.optim.Adam;
import dev.autograd.nn.optim.CosineAnnealingLR;
import dev.autograd.spark.SparkPredictor;
import dev.autograd.spark.SparkTrainer;
import dev.autograd.spark.TrainingHistory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@link FashionMnistMlp} trained data-parallel on Apache Spark: the same 784-256-10 MLP, Adam with
 * a cosine schedule, global batch 64, 5 epochs, on an embedded {@code local[2]} session (2
 * partitions of 32 samples per step), then the test set scored as a DataFrame with {@link
 * SparkPredictor}. Arguments as FashionMnistMlp's ({@code --data --epochs --batch --train-limit
 * --test-limit}) plus {@code --partitions N} and {@code --master URL} (default: spark-submit's
 * master, else local[2]). Writes the loss curve with {@code --plot FILE}.
 */
public final class FashionMnistSpark {
  private FashionMnistSpark() {}

  /** The model of FashionMnistMlp; each Spark task builds one copy with this factory. */
  static Module mlp() {
    return new Sequential(new Linear(28 * 28, 256), new ReLU(), new Linear(256, 10));
  }

  public static void main(String[] argv) {
    List<String> rest = new ArrayList<>(Arrays.asList(argv));
    String master = null;
    int m = rest.indexOf("--master");
    if (m >= 0 && m + 1 < rest.size()) {
      master = rest.get(m + 1);
      rest.subList(m, m + 2).clear();
    }
    Args a = new Args(rest.toArray(new String[0]));
    int epochs = a.positive("epochs", 5),
        batch = a.positive("batch", 64),
        partitions = a.positive("partitions", 2);
    TensorDataset train, test;
    Path dir = a.path("data", FashionMnist.defaultDir());
    try {
      train = FashionMnist.load(dir, true, a.positive("train-limit", Integer.MAX_VALUE));
      test = FashionMnist.load(dir, false, a.positive("test-limit", Integer.MAX_VALUE));
    } catch (FashionMnist.NotInstalledException e) {
      throw FashionMnistTrainer.notInstalled(dir);
    }
    SparkSession.Builder builder =
        SparkSession.builder()
            .appName("FashionMnistSpark")
            .config("spark.ui.showConsoleProgress", "false");
    if (master != null) builder.master(master);
    else if (!new SparkConf().contains("spark.master")) builder.master("local[2]");
    SparkSession spark = builder.getOrCreate();
    try {
      Dataset<Row> trainDf = frame(spark, train), testDf = frame(spark, test);
      System.out.printf(
          "FashionMnistSpark: %d training and %d test images on %s, %d partitions, %d epochs of global batches of %d%n",
          train.size(), test.size(), spark.sparkContext().master(), partitions, epochs, batch);

      Autograd.manualSeed(0);
      Module model = mlp();
      long start = System.nanoTime();
      TrainingHistory history =
          new SparkTrainer(
                  FashionMnistSpark::mlp, CrossEntropyLoss::new, params -> new Adam(params, 1e-3))
              .session(spark)
              .partitions(partitions)
              .batchSize(batch)
              .epochs(epochs)
              .seed(0)
              .scheduler((opt, total) -> new CosineAnnealingLR(opt, total, 0))
              .fit(model, trainDf, "features", "label");
      double seconds = (System.nanoTime() - start) / 1e9;

      try (SparkPredictor predictor =
          new SparkPredictor(FashionMnistSpark::mlp, model)
              .predictionCol("prediction")
              .batchSize(1000)) {
        long correct =
            predictor
                .transform(testDf)
                .where(functions.col("prediction").equalTo(functions.col("label")))
                .count();
        System.out.printf(
            "training took %.1f s; test accuracy %.2f%% on %d images (scored on Spark)%n",
            seconds, 100.0 * correct / test.size(), test.size());
      }
      int every = Math.max(1, history.stepLosses().size() / (20 * epochs));
      List<Double> curve = new ArrayList<>();
      for (int i = 0; i + every <= history.stepLosses().size(); i += every) {
        double s = 0;
        for (int j = i; j < i + every; j++) s += history.stepLosses().get(j);
        curve.add(s / every);
      }
      int perEpoch = history.stepLosses().size() / epochs;
      LossPlot.save(
          a.path("plot", LossPlot.defaultPath("FashionMnistSpark")),
          "FashionMnistSpark (Adam, global batch " + batch + ", " + partitions + " partitions)",
          "epoch",
          (double) every / perEpoch,
          false,
          List.of("training loss (mean of " + every + " steps)"),
          List.of(curve));
    } finally {
      spark.stop();
    }
  }

  /**
   * Images as rows (features: array<float> of 784 pixels, label: int); the trainer lays them out
   * over its partitions.
   */
  static Dataset<Row> frame(SparkSession spark, TensorDataset data) {
    Tensor[] all = data.tensors();
    int n = all[0].size(0);
    float[] pixels = all[0].toFloatArray();
    long[] labels = all[1].toLongArray();
    List<Row> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++)
      rows.add(
          RowFactory.create(Arrays.copyOfRange(pixels, i * 784, (i + 1) * 784), (int) labels[i]));
    StructType schema =
        new StructType()
            .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false)
            .add("label", DataTypes.IntegerType, false);
    return spark.createDataFrame(rows, schema);
  }
}
