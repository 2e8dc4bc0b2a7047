package dev.autograd.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.autograd.core.DType;
import dev.autograd.core.Tensor;
import dev.autograd.nn.Dropout;
import dev.autograd.nn.Linear;
import dev.autograd.nn.MSELoss;
import dev.autograd.nn.Module;
import dev.autograd.nn.ReLU;
import dev.autograd.nn.Sequential;
import dev.autograd.nn.optim.Optimizer;
import dev.autograd.nn.optim.SGD;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** Dropout masks depend on the sample and the epoch, not on local[N] or the partition count. */
class DropoutMasksTest {
  /**
   * Sample index -> the dropout mask the task drew for it (local mode: the tasks share this JVM).
   */
  static final Map<Long, double[]> MASKS = new ConcurrentHashMap<>();

  /**
   * Feature 0 carries the sample's index; records Dropout(ones)'s row for it, then a linear layer
   * on the rest.
   */
  static final class MaskProbe extends Module {
    private final Dropout dropout = registerModule("dropout", new Dropout(0.5));
    private final Module linear = registerModule("linear", new Linear(3, 1).to(DType.FLOAT64));

    @Override
    public Tensor forward(Tensor x) {
      int n = x.shapeRef()[0];
      double[] v = x.toDoubleArray(),
          mask = dropout.forward(Tensor.ones(n, 8).to(DType.FLOAT64)).toDoubleArray();
      double[] rest = new double[n * 3];
      for (int i = 0; i < n; i++) {
        double[] row = new double[8];
        System.arraycopy(mask, i * 8, row, 0, 8);
        MASKS.put((long) v[i * 4], row);
        System.arraycopy(v, i * 4 + 1, rest, i * 3, 3);
      }
      return linear.forward(Tensor.of(rest, n, 3));
    }
  }

  private static List<Sample> indexed(int n) {
    List<Sample> out = new ArrayList<>();
    for (int i = 0; i < n; i++)
      out.add(Sample.of(new double[] {i, Math.sin(i), Math.cos(i), i % 3}, new double[] {i % 2}));
    return out;
  }

  private static Map<Long, double[]> masksOfOneEpoch(int threads, int partitions) {
    SparkSession spark = TestSpark.session(threads);
    MASKS.clear();
    JavaRDD<Sample> rdd =
        JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(indexed(90), 2);
    new SparkTrainer(MaskProbe::new, MSELoss::new, p -> new SGD(p, 0.01))
        .session(spark)
        .partitions(partitions)
        .batchSize(30)
        .epochs(1)
        .seed(5)
        .progress(null)
        .fit(TestData.seeded(MaskProbe::new, 1), rdd, LabelKind.VALUES);
    return new TreeMap<>(MASKS);
  }

  @Test
  void aSampleGetsTheSameMaskOnAnyPartitioning() {
    Map<Long, double[]> one = masksOfOneEpoch(1, 1),
        two = masksOfOneEpoch(2, 2),
        three = masksOfOneEpoch(2, 3);
    assertEquals(90, one.size(), "every sample was seen once");
    assertEquals(one.keySet(), two.keySet());
    assertEquals(one.keySet(), three.keySet());
    for (long i : one.keySet()) {
      assertArrayEquals(
          one.get(i), two.get(i), 0.0, "sample " + i + ": local[1] vs local[2] with 2 partitions");
      assertArrayEquals(
          one.get(i), three.get(i), 0.0, "sample " + i + ": local[1] vs 3 partitions");
    }
    assertFalse(
        java.util.Arrays.equals(one.get(0L), one.get(1L)),
        "different samples draw different masks");
  }

  static Module dropoutMlp() {
    return new Sequential(new Linear(10, 32), new ReLU(), new Dropout(0.3), new Linear(32, 1))
        .to(DType.FLOAT64);
  }

  @Test
  void aModelWithDropoutTrainsAsOneProcessOnEveryPartitioning() {
    TestData.Set data = TestData.regression(120, 31);
    for (int[] layout : new int[][] {{1, 1}, {2, 2}, {2, 3}}) {
      SparkSession spark = TestSpark.session(layout[0]);
      JavaRDD<Sample> rdd =
          JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(data.samples(), 2);
      Module model = TestData.seeded(DropoutMasksTest::dropoutMlp, 8);
      TrainingHistory h =
          new SparkTrainer(DropoutMasksTest::dropoutMlp, MSELoss::new, p -> new SGD(p, 0.05))
              .session(spark)
              .partitions(layout[1])
              .batchSize(32)
              .epochs(2)
              .seed(9)
              .progress(null)
              .fit(model, rdd, LabelKind.VALUES);

      Module ref = TestData.seeded(DropoutMasksTest::dropoutMlp, 8);
      BatchPlan plan = new BatchPlan(120, layout[1], 32, true, 9);
      Optimizer opt = new SGD(ref.parameters(), 0.05);
      List<Double> want =
          TestData.reference(
              ref,
              new MSELoss(),
              opt,
              null,
              data,
              plan,
              2 * plan.stepsPerEpoch(),
              LabelKind.VALUES);
      String where = "local[" + layout[0] + "], " + layout[1] + " partitions";
      SameAsOneProcessTest.assertClose(
          SameAsOneProcessTest.toArray(want),
          SameAsOneProcessTest.toArray(h.stepLosses()),
          1e-9,
          where + ": step losses");
      SameAsOneProcessTest.assertClose(
          TestData.weights(ref), TestData.weights(model), 1e-9, where + ": weights");
    }
  }
}
