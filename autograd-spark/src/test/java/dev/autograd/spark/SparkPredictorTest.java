package dev.autograd.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.core.Tensor;
import dev.autograd.nn.Module;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class SparkPredictorTest {
  @Test
  void scoresEveryRowLikeTheModelDoesLocally() {
    SparkSession spark = TestSpark.session();
    TestData.Set data = TestData.classes(101, 31);
    Dataset<Row> df = SameAsOneProcessTest.frame(spark, data).repartition(3);
    Module model = TestData.seeded(SameAsOneProcessTest::classifier32, 2);
    try (SparkPredictor predictor =
        new SparkPredictor(SameAsOneProcessTest::classifier32, model)
            .batchSize(16)
            .predictionCol("prediction")) {
      List<Row> rows = predictor.transform(df).collectAsList();
      assertEquals(101, rows.size());
      assertEquals(
          "array<float>",
          predictor.transform(df).schema().apply("output").dataType().simpleString());
      for (Row r : rows) {
        List<Float> f = r.getList(0);
        float[] x = new float[f.size()];
        for (int i = 0; i < x.length; i++) x[i] = f.get(i);
        float[] want = model.forward(Tensor.of(x, 1, 10)).toFloatArray();
        List<Float> got = r.getList(2);
        int best = 0;
        for (int j = 0; j < 3; j++) {
          assertEquals(want[j], got.get(j), 1e-5 * Math.max(1, Math.abs(want[j])));
          if (want[j] > want[best]) best = j;
        }
        assertEquals(best, r.getInt(3));
      }
    }
  }

  @Test
  void badColumnsAreNamed() {
    SparkSession spark = TestSpark.session();
    Dataset<Row> df = SameAsOneProcessTest.frame(spark, TestData.classes(10, 1));
    Module model = SameAsOneProcessTest.classifier32();
    SparkPredictor p = new SparkPredictor(SameAsOneProcessTest::classifier32, model);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> p.featuresCol("pixels").transform(df));
    assertTrue(
        e.getMessage().contains("'pixels'") && e.getMessage().contains("features"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> p.featuresCol("features").outputCol("label").transform(df));
    assertTrue(e.getMessage().contains("already has a column 'label'"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new SparkPredictor(SameAsOneProcessTest::seedMlp64, model));
    assertTrue(e.getMessage().contains("architecture"), e.getMessage());
  }
}
