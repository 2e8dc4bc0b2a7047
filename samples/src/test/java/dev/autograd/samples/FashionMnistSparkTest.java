package dev.autograd.samples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.nn.data.FashionMnist;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FashionMnistSpark on embedded Spark local[2] reaches the accuracy of the single-process sample.
 */
class FashionMnistSparkTest {
  @TempDir Path tmp;

  @Test
  void sparkTrainingReachesTheSingleProcessAccuracy() throws Exception {
    if (!FashionMnist.isInstalled(FashionMnist.defaultDir())) {
      // without the data the sample stops with status 1 and one line saying how to install it
      String line =
          SamplesTest.failure(1, "FashionMnistSpark", "--data", tmp.resolve("nowhere").toString());
      assertTrue(line.contains("sudo apt-get install dataset-fashion-mnist"), line);
      return;
    }
    String[] subset = {"--epochs", "1", "--train-limit", "10000", "--test-limit", "2000"};
    String spark =
        SamplesTest.run(
            concat("FashionMnistSpark", subset, "--plot", tmp.resolve("spark.png").toString()));
    String single =
        SamplesTest.run(
            concat("FashionMnistMlp", subset, "--plot", tmp.resolve("mlp.png").toString()));
    double onSpark = SamplesTest.numbers(spark, "test accuracy ([0-9.]+)%").get(0),
        inProcess = SamplesTest.numbers(single, "test accuracy ([0-9.]+)%").get(0);
    assertTrue(
        spark.contains("on local[2], 2 partitions") && spark.contains("epoch 1/1 loss"), spark);
    // the same model, optimizer, schedule and batch size; only the batches' shuffle differs
    assertTrue(
        Math.abs(onSpark - inProcess) <= 2.0,
        "Spark " + onSpark + "% vs one process " + inProcess + "%\n" + spark + "\n" + single);
    assertTrue(Files.exists(tmp.resolve("spark.png")));
  }

  private static String[] concat(String name, String[] middle, String... tail) {
    String[] out = new String[1 + middle.length + tail.length];
    out[0] = name;
    System.arraycopy(middle, 0, out, 1, middle.length);
    System.arraycopy(tail, 0, out, 1 + middle.length, tail.length);
    return out;
  }
}
