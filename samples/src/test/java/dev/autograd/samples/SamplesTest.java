package dev.autograd.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.nn.data.FashionMnist;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Runs every sample through the launcher, capturing its output, and checks the key lines. */
class SamplesTest {
  @TempDir Path tmp;

  /** The output of {@code ./run args...}. */
  static String run(String... args) throws Exception {
    PrintStream saved = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      Samples.main(args);
    } finally {
      System.setOut(saved);
    }
    return bytes.toString(StandardCharsets.UTF_8); // assertion messages quote it on failure
  }

  /** Every number captured by group 1 of {@code regex}, in order. */
  static List<Double> numbers(String out, String regex) {
    List<Double> found = new ArrayList<>();
    Matcher m = Pattern.compile(regex).matcher(out);
    while (m.find()) found.add(Double.parseDouble(m.group(1)));
    assertTrue(!found.isEmpty(), "no match for " + regex + " in:\n" + out);
    return found;
  }

  static void assertContains(String out, String... expected) {
    for (String e : expected) assertTrue(out.contains(e), "expected '" + e + "' in:\n" + out);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "kt."})
  void gradients(String lang) throws Exception {
    assertContains(run(lang + "GradientOfXSquaredExp"), "tensor(59.1124)");
    assertContains(run(lang + "MyReLUSample"), "tensor([0., 1., 0.])");
    assertContains(run(lang + "VectorGradient"), "tensor([ 4., 27.])");
    assertContains(run(lang + "SigmoidFunctionSample"), "tensor([0.1966, 0.1050, 0.0452])");
    assertContains(run(lang + "RequiresGradBasics"), "true, false\ntrue\ntrue\nnull, null, <AddBackward0>\nfalse");
    assertContains(run(lang + "DynamicControlFlow"), "MulBackward0", "tensor([2., 2., 2.])", "tensor([0.5000, 0.5000, 0.5000])");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "kt."})
  void linearRegressionsConverge(String lang) throws Exception {
    List<Double> nn = numbers(run(lang + "LinearRegressionNn"), "Loss: ([0-9.]+)");
    assertEquals(10, nn.size());
    assertTrue(nn.get(9) < 0.2 && nn.get(9) < nn.get(0) / 20, "losses " + nn);
    for (String byWhat : new String[] {"LinearRegressionByHand", "LinearRegressionAutograd"}) {
      String out = run(lang + byWhat);
      assertEquals(2.0, numbers(out, "w = ([0-9.]+)").get(0), 0.01, out);
      assertEquals(3.0, numbers(out, "b = ([0-9.]+)").get(0), 0.2, out);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "kt."})
  void nnSeeds(String lang) throws Exception {
    String acc = run(lang + "GradientAccumulation");
    List<Double> losses = numbers(acc, "loss on all data ([0-9.]+)");
    assertTrue(losses.get(losses.size() - 1) < 0.02, "losses " + losses);
    if (lang.isEmpty()) assertTrue(numbers(acc, "max difference: ([0-9.e+-]+)").get(0) < 1e-5, acc);

    String net = run(lang + "SimpleNet");
    assertContains(net, "(fc1): Linear(in_features=10, out_features=50, bias=True)", "(relu): ReLU()");
    assertTrue(numbers(net, "after 100 steps: ([0-9.]+)").get(0) < numbers(net, "before the step: ([0-9.]+)").get(0) / 10, net);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "kt."})
  void twoLayerNetsTrain(String lang) throws Exception {
    List<Double> two = numbers(run(lang + "TwoLayerNet"), "step \\d+ loss ([0-9.]+)");
    assertEquals(5, two.size());
    assertTrue(two.get(4) < 0.01, "losses " + two);
    String stat = run(lang + "StaticGraphModel");
    List<Double> ends = numbers(stat, "loss ([0-9.]+) -> ([0-9.]+) in 1500 steps");
    double last = numbers(stat, "-> ([0-9.]+) in 1500 steps").get(0);
    assertTrue(last < ends.get(0) / 1e4, stat);
    assertTrue(numbers(stat, "w2a's branch taken on ([0-9]+) of them").get(0) > 0, stat); // both branches
    // Kotlin's prevLoss < 5.0 goes through compareTo, whose first call (5.0 itself) is a third outcome
    assertContains(stat, "same losses eager and compiled: true", (lang.isEmpty() ? "2" : "3") + " of at most 8 traces", "came out true");
  }

  @Test
  void irisReachesNinetyFivePercentAndWritesItsLossCurve() throws Exception {
    Path plot = tmp.resolve("iris.png");
    String out = run("IrisClassifier", "--plot", plot.toString());
    assertTrue(numbers(out, "test accuracy ([0-9.]+)%").get(0) >= 95, out);
    assertTrue(Files.size(plot) > 10_000, "a PNG of a few kB");
    String kt = run("kt.IrisClassifier");
    assertTrue(numbers(kt, "test accuracy ([0-9.]+)%").get(0) >= 95, kt);
  }

  @Test
  void fashionMnistSaysHowToInstallTheDataWhenItIsMissing() throws Exception {
    for (String sample : new String[] {"FashionMnistMlp", "FashionMnistCnn"}) {
      String out = run(sample, "--data", tmp.resolve("nowhere").toString());
      assertContains(out, "Fashion-MNIST not found in", "sudo apt-get install dataset-fashion-mnist");
    }
  }

  @Test
  void fashionMnistMlpOnASubsetWhenTheDataIsInstalled() throws Exception {
    if (!FashionMnist.isInstalled(FashionMnist.defaultDir())) {
      assertContains(run("FashionMnistMlp"), "sudo apt-get install dataset-fashion-mnist");
      return;
    }
    String mlp = run("FashionMnistMlp", "--epochs", "1", "--train-limit", "10000", "--test-limit", "2000", "--plot", tmp.resolve("mlp.png").toString());
    assertTrue(numbers(mlp, "test accuracy ([0-9.]+)%").get(0) >= 75, mlp); // 79.5% measured
    String cnn = run("FashionMnistCnn", "--epochs", "1", "--train-limit", "3200", "--test-limit", "1000", "--plot", tmp.resolve("cnn.png").toString());
    assertTrue(numbers(cnn, "test accuracy ([0-9.]+)%").get(0) >= 60, cnn); // 67.4% measured
    assertTrue(Files.exists(tmp.resolve("cnn.png")));
  }

  @Test
  void theLauncherListsEverySampleAndEachNameResolvesToAMain() throws Exception {
    String list = run();
    for (String name : Samples.JAVA.keySet()) {
      assertContains(list, "  " + name + " ");
      Class.forName(Samples.className(name)).getMethod("main", String[].class);
    }
    for (String name : Samples.KOTLIN_SAMPLES.keySet()) {
      assertContains(list, "  kt." + name + " ");
      Class.forName(Samples.className("kt." + name)).getMethod("main", String[].class);
    }
    assertEquals(null, Samples.className("kt.FashionMnistMlp"));
  }

  @Test
  void progressRedrawsOneLineOnATerminalAndPrintsPlainLinesOtherwise() {
    ByteArrayOutputStream term = new ByteArrayOutputStream(), pipe = new ByteArrayOutputStream();
    Progress onTerminal = new Progress(new PrintStream(term, true, StandardCharsets.UTF_8), true, 2, 3);
    Progress onPipe = new Progress(new PrintStream(pipe, true, StandardCharsets.UTF_8), false, 2, 3);
    for (Progress p : new Progress[] {onTerminal, onPipe}) {
      for (int epoch = 1; epoch <= 2; epoch++) {
        p.startEpoch();
        for (int step = 1; step <= 3; step++) p.step(epoch, step, 10, 1.0 / step);
      }
    }
    String t = term.toString(StandardCharsets.UTF_8), p = pipe.toString(StandardCharsets.UTF_8);
    assertTrue(t.startsWith("\repoch 1/2 [") && t.contains("3/3 loss 0.6111") && t.contains("\repoch 2/2"), t);
    assertEquals(2, p.lines().count(), p);
    assertTrue(p.startsWith("epoch 1/2 3 steps loss 0.6111") && !p.contains("\r"), p);
  }
}
