package dev.autograd.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.nn.CrossEntropyLoss;
import dev.autograd.nn.Linear;
import dev.autograd.nn.Module;
import dev.autograd.nn.ReLU;
import dev.autograd.nn.Sequential;
import dev.autograd.nn.optim.Adam;
import dev.autograd.nn.optim.CosineAnnealingLR;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's "Training on Spark" example, as written there, on the default (active) session. */
class ReadmeExampleTest {
  static Dataset<Row> images(SparkSession spark, int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int label = r.nextInt(10);
      float[] pixels = new float[784];
      for (int j = 0; j < 784; j++)
        pixels[j] = (float) (r.nextDouble() * 0.5 + (j % 10 == label ? 0.5 : 0));
      rows.add(RowFactory.create(pixels, label));
    }
    return spark.createDataFrame(
        rows,
        new StructType()
            .add("features", DataTypes.createArrayType(DataTypes.FloatType))
            .add("label", DataTypes.IntegerType));
  }

  @Test
  void theReadmeExampleTrainsAndScores(@TempDir Path tmp) {
    SparkSession spark = TestSpark.session();
    Dataset<Row> df = images(spark, 256, 1), testDf = images(spark, 100, 2);
    String checkpointDir = "file:" + tmp.toAbsolutePath();

    ModuleFactory mlp = () -> new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 10));
    Module model = mlp.create();
    TrainingHistory history =
        new SparkTrainer(mlp, CrossEntropyLoss::new, params -> new Adam(params, 1e-3))
            .batchSize(64)
            .epochs(5) // the global batch, split over the partitions
            .scheduler((opt, totalSteps) -> new CosineAnnealingLR(opt, totalSteps, 0))
            .checkpoint(checkpointDir, 500)
            .resume(true) // optional: every 500 steps, any Hadoop path
            .fit(model, df, "features", "label"); // trains model in place
    Dataset<Row> scored =
        new SparkPredictor(mlp, model).predictionCol("prediction").transform(testDf);

    assertEquals(5, history.epochLosses().size());
    assertTrue(
        history.epochLosses().get(4) < history.epochLosses().get(0),
        history.epochLosses().toString());
    long correct = scored.where("prediction = label").count();
    assertTrue(correct >= 90, correct + " of 100 test rows right");
  }
}
