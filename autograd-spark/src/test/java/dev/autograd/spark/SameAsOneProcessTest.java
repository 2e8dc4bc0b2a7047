package dev.autograd.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.core.DType;
import dev.autograd.nn.CrossEntropyLoss;
import dev.autograd.nn.Linear;
import dev.autograd.nn.MSELoss;
import dev.autograd.nn.Module;
import dev.autograd.nn.ReLU;
import dev.autograd.nn.Sequential;
import dev.autograd.nn.Tanh;
import dev.autograd.nn.optim.Adam;
import dev.autograd.nn.optim.CosineAnnealingLR;
import dev.autograd.nn.optim.Optimizer;
import dev.autograd.nn.optim.SGD;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * N steps on Spark give the losses and weights of one process trained on the same global batches:
 * float64 to 1e-9, float32 to 1e-5 (relative: |got - want| / max(|want|, 1e-3)), for local[1], [2],
 * [4] and for partition counts that do not divide the batch (3 and 5 partitions, batch 64, and 203
 * samples, so the last batch of each epoch is smaller).
 */
class SameAsOneProcessTest {
  static final int N = 203, BATCH = 64, STEPS = 8;

  /** The seed MLP (SimpleNet: Linear(10, 50) - ReLU - Linear(50, 1)) in float64. */
  static Module seedMlp64() {
    return new Sequential(new Linear(10, 50), new ReLU(), new Linear(50, 1)).to(DType.FLOAT64);
  }

  static Module classifier32() {
    return new Sequential(new Linear(10, 16), new Tanh(), new Linear(16, 3));
  }

  static Stream<Arguments> layouts() {
    return Stream.of(
        Arguments.of(1, 1),
        Arguments.of(1, 3),
        Arguments.of(2, 2),
        Arguments.of(2, 5),
        Arguments.of(4, 4),
        Arguments.of(4, 3));
  }

  // one test per layout runs both models, so the shared session restarts once per thread count
  @ParameterizedTest(
      name =
          "local[{0}], {1} partitions: float64 regression from an RDD, float32 classes from a DataFrame")
  @MethodSource("layouts")
  void matchesOneProcess(int threads, int partitions) {
    float64RegressionMatchesOneProcess(TestSpark.session(threads), partitions);
    float32ClassifierMatchesOneProcess(TestSpark.session(threads), partitions);
  }

  void float64RegressionMatchesOneProcess(SparkSession spark, int partitions) {
    TestData.Set data = TestData.regression(N, 11);
    JavaRDD<Sample> rdd =
        JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(data.samples(), 2);

    Module model = TestData.seeded(SameAsOneProcessTest::seedMlp64, 5);
    TrainingHistory h =
        new SparkTrainer(SameAsOneProcessTest::seedMlp64, MSELoss::new, p -> new Adam(p, 0.01))
            .session(spark)
            .partitions(partitions)
            .batchSize(BATCH)
            .epochs(2)
            .seed(3)
            .scheduler((opt, total) -> new CosineAnnealingLR(opt, total, 0))
            .progress(null)
            .fit(model, rdd, LabelKind.VALUES);

    Module ref = TestData.seeded(SameAsOneProcessTest::seedMlp64, 5);
    BatchPlan plan = new BatchPlan(N, partitions, BATCH, true, 3);
    Optimizer opt = new Adam(ref.parameters(), 0.01);
    int steps = 2 * plan.stepsPerEpoch();
    List<Double> refLosses =
        TestData.reference(
            ref,
            new MSELoss(),
            opt,
            new CosineAnnealingLR(opt, steps, 0),
            data,
            plan,
            steps,
            LabelKind.VALUES);

    assertEquals(steps, h.stepLosses().size());
    assertClose(toArray(refLosses), toArray(h.stepLosses()), 1e-9, "step losses");
    assertClose(TestData.weights(ref), TestData.weights(model), 1e-9, "weights");
    assertEquals(2, h.epochLosses().size());
    assertTrue(
        h.epochLosses().get(1) < h.epochLosses().get(0), "the loss falls: " + h.epochLosses());
  }

  void float32ClassifierMatchesOneProcess(SparkSession spark, int partitions) {
    TestData.Set data = TestData.classes(N, 12);
    Dataset<Row> df = frame(spark, data);

    Module model = TestData.seeded(SameAsOneProcessTest::classifier32, 6);
    TrainingHistory h =
        new SparkTrainer(
                SameAsOneProcessTest::classifier32,
                CrossEntropyLoss::new,
                p -> new SGD(p, 0.1, 0.9, 0, 0, false))
            .session(spark)
            .partitions(partitions)
            .batchSize(BATCH)
            .maxSteps(STEPS)
            .epochs(3)
            .seed(4)
            .progress(null)
            .fit(model, df, "features", "label");

    Module ref = TestData.seeded(SameAsOneProcessTest::classifier32, 6);
    BatchPlan plan = new BatchPlan(N, partitions, BATCH, true, 4);
    List<Double> refLosses =
        TestData.reference(
            ref,
            new CrossEntropyLoss(),
            new SGD(ref.parameters(), 0.1, 0.9, 0, 0, false),
            null,
            data,
            plan,
            STEPS,
            LabelKind.CLASS_INDEX);

    assertClose(toArray(refLosses), toArray(h.stepLosses()), 1e-5, "step losses");
    assertClose(TestData.weights(ref), TestData.weights(model), 1e-5, "weights");
  }

  /** Features array<float>, label int. */
  static Dataset<Row> frame(SparkSession spark, TestData.Set data) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < data.x.length; i++) {
      List<Float> f = new ArrayList<>();
      for (double v : data.x[i]) f.add((float) v);
      rows.add(RowFactory.create(f, (int) data.y[i][0]));
    }
    StructType schema =
        new StructType()
            .add("features", DataTypes.createArrayType(DataTypes.FloatType))
            .add("label", DataTypes.IntegerType);
    return spark.createDataFrame(rows, schema);
  }

  static double[] toArray(List<Double> l) {
    return l.stream().mapToDouble(Double::doubleValue).toArray();
  }

  static void assertClose(double[] want, double[] got, double tol, String what) {
    assertEquals(want.length, got.length, what + ": length");
    for (int i = 0; i < want.length; i++) {
      double err = Math.abs(want[i] - got[i]) / Math.max(1e-3, Math.abs(want[i]));
      if (err > tol)
        assertArrayEquals(
            want, got, what + ": element " + i + " differs by " + err + " (tolerance " + tol + ")");
    }
  }
}
