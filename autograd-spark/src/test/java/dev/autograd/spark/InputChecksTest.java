package dev.autograd.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.core.Reduction;
import dev.autograd.nn.BatchNorm1d;
import dev.autograd.nn.CrossEntropyLoss;
import dev.autograd.nn.Linear;
import dev.autograd.nn.MSELoss;
import dev.autograd.nn.Module;
import dev.autograd.nn.Sequential;
import dev.autograd.nn.optim.SGD;
import java.util.HashSet;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class InputChecksTest {
  @Test
  void everySampleIsUsedOncePerEpochWhateverThePartitioning() {
    for (int p : new int[] {1, 3, 4, 7}) {
      BatchPlan plan = new BatchPlan(203, p, 64, true, 9);
      for (int epoch = 0; epoch < 2; epoch++) {
        Set<Long> seen = new HashSet<>();
        for (int s = 0; s < plan.stepsPerEpoch(); s++) {
          long[] idx = plan.globalIndices(epoch, s);
          assertTrue(idx.length <= 64 && idx.length > 0);
          for (long i : idx) assertTrue(seen.add(i), "sample " + i + " used twice");
        }
        assertEquals(203, seen.size(), p + " partitions");
      }
    }
    assertEquals(22, new BatchPlan(203, 3, 64, true, 9).shardSize(0));
    assertEquals(21, new BatchPlan(203, 3, 64, true, 9).shardSize(2));
  }

  @Test
  void badPlansAreExplained() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new BatchPlan(100, 8, 4, true, 0));
    assertTrue(e.getMessage().contains("smaller than the 8 partitions"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new BatchPlan(0, 1, 4, true, 0));
    assertTrue(e.getMessage().contains("no samples"), e.getMessage());
  }

  @Test
  void unsupportedModelsLossesAndColumnsAreRejectedBeforeAnyWork() {
    SparkSession spark = TestSpark.session();
    Dataset<Row> df = SameAsOneProcessTest.frame(spark, TestData.classes(20, 1));
    SparkTrainer ok =
        new SparkTrainer(
                SameAsOneProcessTest::classifier32, CrossEntropyLoss::new, p -> new SGD(p, 0.1))
            .session(spark)
            .progress(null);

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ok.fit(SameAsOneProcessTest.classifier32(), df, "x", "label"));
    assertTrue(e.getMessage().contains("no features column 'x'"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ok.fit(SameAsOneProcessTest.seedMlp64(), df, "features", "label"));
    assertTrue(
        e.getMessage().contains("the ModuleFactory builds [16, 10] torch.float32"), e.getMessage());

    SparkTrainer sum =
        new SparkTrainer(
                SameAsOneProcessTest::classifier32,
                () -> new MSELoss(Reduction.SUM),
                p -> new SGD(p, 0.1))
            .session(spark);
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> sum.fit(SameAsOneProcessTest.classifier32(), df, "features", "label"));
    assertTrue(e.getMessage().contains("Reduction.MEAN"), e.getMessage());

    ModuleFactory bn =
        () -> new Sequential(new Linear(10, 4), new BatchNorm1d(4), new Linear(4, 3));
    Module bnModel = bn.create();
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new SparkTrainer(bn, CrossEntropyLoss::new, p -> new SGD(p, 0.1))
                    .session(spark)
                    .fit(bnModel, df, "features", "label"));
    assertTrue(
        e.getMessage().contains("running_mean") && e.getMessage().contains("LayerNorm"),
        e.getMessage());

    e = assertThrows(IllegalArgumentException.class, () -> ok.batchSize(0));
    assertTrue(e.getMessage().contains("batchSize must be >= 1"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ok.featureShape(3, 3)
                    .fit(SameAsOneProcessTest.classifier32(), df, "features", "label"));
    assertTrue(e.getMessage().contains("holds 9 values but a sample has 10"), e.getMessage());
  }
}
