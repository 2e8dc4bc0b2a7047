package dev.autograd.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.core.Tensor;
import dev.autograd.nn.MSELoss;
import dev.autograd.nn.Module;
import dev.autograd.nn.optim.Adam;
import dev.autograd.nn.optim.RMSprop;
import dev.autograd.nn.optim.StepLR;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Reruns are bit-identical; a killed task is retried with the same result; checkpoints resume
 * exactly.
 */
class FaultsAndCheckpointsTest {
  /** Partition 1 throws in the forward pass of the step whose number is armed (once). */
  static final AtomicInteger FAIL_AT_CALL = new AtomicInteger(-1);

  static final AtomicInteger CALLS_ON_PARTITION_1 = new AtomicInteger();

  static final class FailOnce extends Module {
    private final Module inner = registerModule("inner", SameAsOneProcessTest.seedMlp64());

    @Override
    public Tensor forward(Tensor x) {
      TaskContext ctx = TaskContext.get();
      if (ctx != null
          && ctx.partitionId() == 1
          && CALLS_ON_PARTITION_1.getAndIncrement() == FAIL_AT_CALL.get()) {
        FAIL_AT_CALL.set(-1);
        throw new IllegalStateException("injected failure: executor lost mid-step");
      }
      return inner.forward(x);
    }
  }

  private static JavaRDD<Sample> data(SparkSession spark) {
    return JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(TestData.regression(150, 21).samples(), 3);
  }

  private static SparkTrainer trainer(SparkSession spark, AllReduce how) {
    return trainer(spark, how, p -> new Adam(p, 0.01));
  }

  private static SparkTrainer trainer(
      SparkSession spark, AllReduce how, OptimizerFactory optimizer) {
    return new SparkTrainer(FailOnce::new, MSELoss::new, optimizer)
        .session(spark)
        .partitions(3)
        .batchSize(40)
        .epochs(3)
        .seed(7)
        .allReduce(how)
        .scheduler((opt, total) -> new StepLR(opt, 3, 0.5))
        .progress(null);
  }

  private static double[] train(SparkTrainer t, SparkSession spark) {
    Module m = TestData.seeded(FailOnce::new, 1);
    t.fit(m, data(spark), LabelKind.VALUES);
    return TestData.weights(m);
  }

  @Test
  void rerunsAndAllThreeAllReducesAreBitIdentical() {
    SparkSession spark = TestSpark.session();
    double[] a = train(trainer(spark, AllReduce.BARRIER), spark);
    double[] b = train(trainer(spark, AllReduce.BARRIER), spark);
    double[] c = train(trainer(spark, AllReduce.DRIVER), spark);
    double[] d = train(trainer(spark, AllReduce.REDUCE_SCATTER), spark);
    // BARRIER as on a cluster: through the driver's TCP hub instead of shared memory
    SparkTrainer overTcp = trainer(spark, AllReduce.BARRIER).overTcp(true);
    double[] e = train(overTcp, spark);
    // the hub's traffic is the wire format's: per step, each of the 2 tasks sends a frame with
    // its shards (3 partitions in all: 16 B of header + 8 B per float64 value each) and gets
    // the sum back; 150 samples / batch 40 = 4 steps per epoch, 3 epochs
    long values = 8L * a.length, steps = 12;
    assertEquals(steps * (2 * 8 + 3 * (16 + values)), overTcp.hubBytesIn(), "bytes into the hub");
    assertEquals(steps * 2 * (16 + values), overTcp.hubBytesOut(), "bytes out of the hub");
    assertArrayEquals(a, b, 0.0);
    assertArrayEquals(a, c, 0.0);
    assertArrayEquals(a, d, 0.0);
    assertArrayEquals(a, e, 0.0);
    assertNothingLeftBehind();
  }

  /** The local all-reduce's exchanges and states are gone once fit returns (or throws). */
  private static void assertNothingLeftBehind() {
    assertEquals(0, LocalExchange.openCount(), "open local exchanges");
    assertEquals(0, LocalStates.count(), "local replica states");
  }

  @Test
  void everyBarrierReplicaEndsBitIdentical() {
    SparkSession spark = TestSpark.session();
    // 3 partitions on 2 task slots: task 0 holds partitions 0 and 2, task 1 partition 1; over the
    // hub every task holds a whole replica and applies the whole update
    SparkTrainer t = trainer(spark, AllReduce.BARRIER).overTcp(true);
    double[] w = train(t, spark);
    assertFalse(t.lastUpdateSharded());
    assertEquals(
        2, t.lastReplicaDigests().size(), "one digest per barrier task: " + t.lastReplicaDigests());
    assertEquals(
        t.lastReplicaDigests().get(0),
        t.lastReplicaDigests().get(1),
        "replica 1 has the bits of replica 0");
    assertTrue(Arrays.stream(w).allMatch(Double::isFinite));
    // stages of 3 steps across epochs of 4 (the schedule resumes mid-epoch inside a stage): the
    // same bits
    SparkTrainer bySyncEvery3 = trainer(spark, AllReduce.BARRIER).syncEvery(3).logEvery(2);
    assertArrayEquals(w, train(bySyncEvery3, spark), 0.0);
    assertTrue(bySyncEvery3.lastUpdateSharded(), "local mode with Adam: one set of weights");
  }

  @Test
  void anOptimizerThatCannotBeSplitUpdatesWholeReplicas() {
    SparkSession spark = TestSpark.session();
    OptimizerFactory rms = p -> new RMSprop(p, 0.01);
    SparkTrainer local = trainer(spark, AllReduce.BARRIER, rms);
    double[] a = train(local, spark);
    assertFalse(local.lastUpdateSharded(), "RMSprop is not split: every replica updates it all");
    assertEquals(2, local.lastReplicaDigests().size());
    assertEquals(local.lastReplicaDigests().get(0), local.lastReplicaDigests().get(1));
    assertArrayEquals(a, train(trainer(spark, AllReduce.DRIVER, rms), spark), 0.0);
    assertNothingLeftBehind();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(
      value = AllReduce.class,
      names = {"BARRIER", "DRIVER"})
  void aTaskKilledMidStepIsRetriedWithAnUnchangedResult(AllReduce how) {
    killedMidStep(how, false, 0);
  }

  @Test
  void aTaskKilledMidStepIsRetriedOverTheTcpHub() {
    killedMidStep(AllReduce.BARRIER, true, 0);
  }

  @Test
  void syncEveryBoundsWhatALocalRetryRepeats() {
    killedMidStep(AllReduce.BARRIER, false, 4);
  }

  @Test
  void localModeReportsProgressWhileItsStageRuns() {
    SparkSession spark = TestSpark.session();
    StringBuilder seenDuringAJob = new StringBuilder();
    SparkTrainer t =
        trainer(spark, AllReduce.BARRIER)
            .progress(
                l -> {
                  if (l.startsWith("epoch 1/3 loss")
                      && spark.sparkContext().statusTracker().getActiveJobIds().length > 0)
                    seenDuringAJob.append(l);
                });
    double[] w = train(t, spark);
    // one stage spans the three epochs: the first epoch's line came while it still ran
    assertTrue(seenDuringAJob.length() > 0, "epoch 1's line arrived after the stage ended");
    assertArrayEquals(train(trainer(spark, AllReduce.DRIVER), spark), w, 0.0);
    assertNothingLeftBehind();
  }

  private void killedMidStep(AllReduce how, boolean overTcp, int syncEvery) {
    SparkSession spark = TestSpark.session();
    CALLS_ON_PARTITION_1.set(0);
    double[] clean = train(trainer(spark, how).overTcp(overTcp).syncEvery(syncEvery), spark);
    int cleanCalls = CALLS_ON_PARTITION_1.get();
    CALLS_ON_PARTITION_1.set(0);
    // 150 samples, 3 partitions, batch 40: 4 steps per epoch; the 6th forward on partition 1 (step
    // 5) fails
    FAIL_AT_CALL.set(5);
    StringBuilder log = new StringBuilder();
    Module m = TestData.seeded(FailOnce::new, 1);
    TrainingHistory h =
        trainer(spark, how)
            .overTcp(overTcp)
            .syncEvery(syncEvery)
            .progress(l -> log.append(l).append('\n'))
            .fit(m, data(spark), LabelKind.VALUES);
    assertEquals(-1, FAIL_AT_CALL.get(), "the failure was injected");
    assertArrayEquals(clean, TestData.weights(m), 0.0);
    assertEquals(3, h.epochLosses().size());
    // every epoch's line once, though local mode's rerun reports its steps again
    for (int e = 1; e <= 3; e++) {
      String line = "epoch " + e + "/3 loss";
      assertEquals(
          1, log.toString().split(line, -1).length - 1, line + " once in:\n" + log.toString());
    }
    // DRIVER retries the one task; BARRIER reruns its stage from the last step the driver holds:
    // over the hub (stages end with the epoch) or with syncEvery(4) step 4, so steps 4 and 5 run
    // again and partition 1 runs two more forwards than a clean run; in local mode one stage
    // spans the three epochs, so steps 0 to 5 run again
    int extra = how == AllReduce.DRIVER ? 1 : overTcp || syncEvery == 4 ? 2 : 6;
    assertEquals(cleanCalls + extra, CALLS_ON_PARTITION_1.get());
    // the failed attempt's exchange and states were dropped too
    assertNothingLeftBehind();
  }

  @Test
  void resumingFromACheckpointGivesTheSameFinalWeights(@TempDir Path dir) throws Exception {
    SparkSession spark = TestSpark.session();
    String ckpt = "file:" + dir.toAbsolutePath() + "/ckpt";
    Module whole = TestData.seeded(FailOnce::new, 1);
    TrainingHistory full =
        trainer(spark, AllReduce.BARRIER).fit(whole, data(spark), LabelKind.VALUES);

    // the first run stops after 7 steps (a crash); checkpoints every 3 steps, keeping two
    Module first = TestData.seeded(FailOnce::new, 1);
    trainer(spark, AllReduce.BARRIER)
        .checkpoint(ckpt, 3)
        .maxSteps(7)
        .fit(first, data(spark), LabelKind.VALUES);
    String[] files = new File(dir.toFile(), "ckpt").list((d, n) -> n.endsWith(".safetensors"));
    Arrays.sort(files);
    assertArrayEquals(
        new String[] {"step-000000003.safetensors", "step-000000006.safetensors"}, files);
    assertFalse(
        Arrays.stream(new File(dir.toFile(), "ckpt").list()).anyMatch(n -> n.endsWith(".tmp")),
        "no temporary file is left");

    // a new process: fresh (differently initialised) model, resumes from step 6
    Module resumed = TestData.seeded(FailOnce::new, 99);
    StringBuilder log = new StringBuilder();
    TrainingHistory h =
        trainer(spark, AllReduce.BARRIER)
            .checkpoint(ckpt, 3)
            .resume(true)
            .progress(l -> log.append(l).append('\n'))
            .fit(resumed, data(spark), LabelKind.VALUES);
    assertTrue(log.toString().contains("at step 6"), log.toString());
    assertArrayEquals(TestData.weights(whole), TestData.weights(resumed), 0.0);
    assertEquals(full.stepLosses(), h.stepLosses());
    assertEquals(full.epochLosses(), h.epochLosses());
  }

  @Test
  void aCheckpointOfAnotherPlanIsRejected(@TempDir Path dir) {
    SparkSession spark = TestSpark.session();
    String ckpt = "file:" + dir.toAbsolutePath();
    trainer(spark, AllReduce.DRIVER)
        .checkpoint(ckpt, 2)
        .maxSteps(2)
        .fit(TestData.seeded(FailOnce::new, 1), data(spark), LabelKind.VALUES);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                trainer(spark, AllReduce.DRIVER)
                    .batchSize(30)
                    .checkpoint(ckpt, 2)
                    .resume(true)
                    .fit(TestData.seeded(FailOnce::new, 1), data(spark), LabelKind.VALUES));
    assertTrue(
        e.getMessage().contains("batch=40") && e.getMessage().contains("batch=30"), e.getMessage());
    assertTrue(Files.exists(dir.resolve("step-000000002.safetensors")));
  }
}
