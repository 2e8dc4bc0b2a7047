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

  /** What {@code ./run args...} printed on stdout and stderr, and its exit status. */
  record Result(String out, String err, int status) {}

  static Result launch(String... args) throws Exception {
    PrintStream savedOut = System.out, savedErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int status;
    try {
      status = Samples.run(args);
    } finally {
      System.setOut(savedOut);
      System.setErr(savedErr);
    }
    return new Result(
        out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), status);
  }

  /** The output of {@code ./run args...}, which must succeed. */
  static String run(String... args) throws Exception {
    Result r = launch(args);
    assertEquals(
        0,
        r.status(),
        "exit status of ./run "
            + String.join(" ", args)
            + "; stderr:\n"
            + r.err()
            + "\nstdout:\n"
            + r.out());
    return r.out(); // assertion messages quote it on failure
  }

  /**
   * Runs {@code ./run args...}, which must fail with {@code status} and one line on stderr, and
   * returns that line.
   */
  static String failure(int status, String... args) throws Exception {
    Result r = launch(args);
    assertEquals(
        status,
        r.status(),
        "exit status of ./run " + String.join(" ", args) + "; stderr:\n" + r.err());
    assertEquals(1, r.err().lines().count(), "one line on stderr: " + r.err());
    return r.err().strip();
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
    assertContains(
        run(lang + "GradientOfXSquaredExp"),
        "tensor(59.1124)\nThe seed's comment says tensor(18.); PyTorch prints tensor(59.1124)");
    assertContains(run(lang + "MyReLUSample"), "tensor([0., 1., 0.])");
    assertContains(run(lang + "VectorGradient"), "tensor([ 4., 27.])");
    assertContains(run(lang + "SigmoidFunctionSample"), "tensor([0.1966, 0.1050, 0.0452])");
    assertContains(
        run(lang + "RequiresGradBasics"),
        "true, false\ntrue\ntrue\nnull, null, <AddBackward0>\nfalse");
    assertContains(
        run(lang + "DynamicControlFlow"),
        "MulBackward0",
        "tensor([2., 2., 2.])",
        "tensor([0.5000, 0.5000, 0.5000])");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "kt."})
  void linearRegressionsConverge(String lang) throws Exception {
    List<Double> nn = numbers(run(lang + "LinearRegressionNn"), "Loss: ([0-9.]+)");
    assertEquals(10, nn.size());
    assertTrue(nn.get(9) < 0.2 && nn.get(9) < nn.get(0) / 20, "losses " + nn);
    for (String byWhat : new String[] {"LinearRegressionByHand", "LinearRegressionAutograd"}) {
      String out = run(lang + byWhat);
      List<Double> w = numbers(out, "w = ([0-9.]+)"), b = numbers(out, "b = ([0-9.]+)");
      assertEquals(2.0, w.get(w.size() - 1), 0.01, out);
      assertEquals(3.0, b.get(b.size() - 1), 0.2, out);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "kt."})
  void linearRegressionsFirstRunTheSeedAsWritten(String lang) throws Exception {
    // seed 002 part 1 has no update lines: 1000 steps at the starting loss, then the fixed loop
    // converges
    String byHand = run(lang + "LinearRegressionByHand");
    assertContains(
        byHand,
        "The seed as written: lr 0.001, 1000 steps, stop below loss 0.01",
        "the seed never updates w and b");
    List<Double> losses = numbers(byHand, "step \\d+ loss ([0-9.]+)");
    assertEquals(losses.get(0), losses.get(4), 0.0, "the seed's loss never changes: " + byHand);
    assertTrue(numbers(byHand, "converged after (\\d+) steps").get(0) < 1000, byHand);
    // seed 002 part 2: its 3000 steps and 0.05 threshold, then on to 0.01
    String autograd = run(lang + "LinearRegressionAutograd");
    assertContains(
        autograd,
        "The seed as written: lr 0.001, at most 3000 steps, stop below loss 0.05",
        "Going on to loss 0.01");
    List<Double> reached = numbers(autograd, "converged after (\\d+) steps");
    assertEquals(2, reached.size(), autograd);
    assertTrue(reached.get(0) < 3000 && reached.get(1) > reached.get(0), autograd);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "kt."})
  void nnSeeds(String lang) throws Exception {
    String acc = run(lang + "GradientAccumulation");
    assertContains(
        acc,
        "The seed's loop is a fragment (net, criterion, optimizer, trainloader and evaluate_model are not defined there)");
    List<Double> losses = numbers(acc, "loss on all data ([0-9.]+)");
    assertTrue(losses.get(losses.size() - 1) < 0.02, "losses " + losses);
    assertTrue(
        numbers(acc, "accumulated vs one-batch gradient, max difference: ([0-9.e+-]+)").get(0)
            < 1e-5,
        acc);

    String net = run(lang + "SimpleNet");
    assertContains(
        net, "(fc1): Linear(in_features=10, out_features=50, bias=True)", "(relu): ReLU()");
    assertTrue(
        numbers(net, "after 100 steps: ([0-9.]+)").get(0)
            < numbers(net, "before the step: ([0-9.]+)").get(0) / 10,
        net);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "kt."})
  void twoLayerNetsTrain(String lang) throws Exception {
    Path plot = tmp.resolve(lang + "two.png");
    String net = run(lang + "TwoLayerNet", "--plot", plot.toString());
    List<Double> two = numbers(net, "step \\d+ loss ([0-9.]+)");
    assertEquals(5, two.size());
    assertTrue(two.get(4) < 0.01, "losses " + two);
    assertContains(net, "in 500 steps (", " kernels)", "loss curve: ");
    assertTrue(Files.size(plot) > 10_000, "a PNG of a few kB");
    String stat = run(lang + "StaticGraphModel");
    assertContains(
        stat,
        "step 1: w2a.grad is null; the seed as written fails here in PyTorch (w2a.grad is None, so"
            + " 'w2a -= learning_rate * w2a.grad' raises TypeError); this sample skips it");
    List<Double> ends = numbers(stat, "loss ([0-9.]+) -> ([0-9.]+) in 1500 steps");
    double last = numbers(stat, "-> ([0-9.]+) in 1500 steps").get(0);
    assertTrue(last < ends.get(0) / 1e4, stat);
    assertTrue(
        numbers(stat, "w2a's branch taken on ([0-9]+) of them").get(0) > 0, stat); // both branches
    // Kotlin's prevLoss < 5.0 goes through compareTo, whose first call (5.0 itself) is a third
    // outcome
    assertContains(
        stat,
        "same losses eager and compiled: true",
        (lang.isEmpty() ? "2" : "3") + " of at most 8 traces",
        "came out true");
  }

  @Test
  void irisReachesNinetyFivePercentAndWritesItsLossCurve() throws Exception {
    Path plot = tmp.resolve("iris.png");
    String out = run("IrisClassifier", "--plot", plot.toString());
    assertTrue(numbers(out, "test accuracy ([0-9.]+)%").get(0) >= 95, out);
    assertTrue(Files.size(plot) > 10_000, "a PNG of a few kB");
    Path ktPlot = tmp.resolve("kt-iris.png");
    String kt = run("kt.IrisClassifier", "--plot", ktPlot.toString());
    assertEquals(
        numbers(out, "train accuracy ([0-9.]+)%"),
        numbers(kt, "train accuracy ([0-9.]+)%"),
        "the twins print the same");
    assertEquals(out.replace(plot.toString(), "PLOT"), kt.replace(ktPlot.toString(), "PLOT"));
    assertTrue(Files.size(ktPlot) > 10_000, "a PNG of a few kB");
  }

  @Test
  void fashionMnistWithoutItsDataExitsWithOneLineSayingHowToGetIt() throws Exception {
    for (String sample : new String[] {"FashionMnistMlp", "FashionMnistCnn"}) {
      String err = failure(1, sample, "--data", tmp.resolve("nowhere").toString());
      assertContains(
          err,
          "./run " + sample + ": Fashion-MNIST not found in",
          "sudo apt-get install dataset-fashion-mnist",
          "--data DIR");
    }
  }

  @Test
  void badNamesAndOptionsExitWithStatusTwoAndOneLine() throws Exception {
    assertEquals(
        "./run: no sample named 'TwoLayerNett'; did you mean TwoLayerNet? (./run lists them)",
        failure(2, "TwoLayerNett"));
    assertEquals(
        "./run: no sample named 'kt.irisclasifier'; did you mean kt.IrisClassifier? (./run lists them)",
        failure(2, "kt.irisclasifier"));
    assertEquals("./run: no sample named 'xyzzy' (./run lists them)", failure(2, "xyzzy"));
    assertEquals(
        "./run: no sample named 'kt.FashionMnistMlp'; did you mean FashionMnistMlp? (./run lists them)",
        failure(2, "kt.FashionMnistMlp"));
    assertEquals(
        "./run IrisClassifier: --epochs expects a whole number, got 'x'",
        failure(2, "IrisClassifier", "--epochs", "x"));
    assertEquals(
        "./run IrisClassifier: --epochs must be at least 1, got 0",
        failure(2, "IrisClassifier", "--epochs", "0"));
    assertEquals(
        "./run IrisClassifier: unknown option --epoch (did you mean --epochs?); options: --epochs N --plot FILE",
        failure(2, "IrisClassifier", "--epoch", "3"));
    assertEquals(
        "./run VectorGradient: unknown option --plot; VectorGradient takes no options",
        failure(2, "VectorGradient", "--plot", "a.png"));
    assertEquals(
        "./run FashionMnistMlp: --batch needs a value", failure(2, "FashionMnistMlp", "--batch"));
    assertEquals(
        "./run TwoLayerNet: expected an option such as --epochs 3, got 'fast'",
        failure(2, "TwoLayerNet", "fast"));
    assertContains(
        run("FashionMnistCnn", "--help"),
        "FashionMnistCnn: Fashion-MNIST, small CNN",
        "Options: --data DIR --epochs N");
    assertContains(run("kt.VectorGradient", "--help"), "It takes no options.");
    assertContains(run("--help"), "Usage: ./run [NAME [--option value ...]]");
  }

  @Test
  void fashionMnistMlpOnASubsetWhenTheDataIsInstalled() throws Exception {
    if (!FashionMnist.isInstalled(FashionMnist.defaultDir())) {
      assertContains(failure(1, "FashionMnistMlp"), "sudo apt-get install dataset-fashion-mnist");
      return;
    }
    String mlp =
        run(
            "FashionMnistMlp",
            "--epochs",
            "1",
            "--train-limit",
            "10000",
            "--test-limit",
            "2000",
            "--plot",
            tmp.resolve("mlp.png").toString());
    assertTrue(numbers(mlp, "test accuracy ([0-9.]+)%").get(0) >= 75, mlp); // 79.5% measured
    String cnn =
        run(
            "FashionMnistCnn",
            "--epochs",
            "1",
            "--train-limit",
            "3200",
            "--test-limit",
            "1000",
            "--plot",
            tmp.resolve("cnn.png").toString());
    assertTrue(numbers(cnn, "test accuracy ([0-9.]+)%").get(0) >= 60, cnn); // 67.4% measured
    assertTrue(Files.exists(tmp.resolve("cnn.png")));
  }

  @Test
  void kotlinTwinsPrintWhatTheJavaSamplesPrint() throws Exception {
    for (Samples.Sample sample : Samples.JAVA.values()) {
      if (!sample.kotlinTwin()) continue;
      String[] plot =
          sample.options().contains("plot")
              ? new String[] {"--plot", tmp.resolve("twin.png").toString()}
              : new String[0];
      String[] java = new String[plot.length + 1], kotlin = new String[plot.length + 1];
      java[0] = sample.name();
      kotlin[0] = "kt." + sample.name();
      System.arraycopy(plot, 0, java, 1, plot.length);
      System.arraycopy(plot, 0, kotlin, 1, plot.length);
      String timing = "\\(\\d+ ms, \\d+ µs/step"; // wall-clock times differ run to run
      assertEquals(
          comparable(sample.name(), run(java).replaceAll(timing, "(TIME")),
          comparable(sample.name(), run(kotlin).replaceAll(timing, "(TIME")),
          sample.name());
    }
  }

  // StaticGraphModel prints its speeds and its compiled function's traces (Kotlin's compareTo
  // guard makes one more trace than Java's toBoolean): the twins share the losses and the rest
  private static String comparable(String sample, String out) {
    if (!sample.equals("StaticGraphModel")) return out;
    return out.lines()
        .filter(
            l ->
                l.startsWith("step ")
                    || l.startsWith("eager step")
                    || l.startsWith("compiled step")
                    || l.startsWith("loss ")
                    || l.startsWith("same losses"))
        .collect(java.util.stream.Collectors.joining("\n"));
  }

  @Test
  void theLauncherListsEverySampleAndEachNameResolvesToAMain() throws Exception {
    String list = run();
    for (String name : Samples.names()) {
      assertContains(list, "  " + name + " ");
      Class.forName(Samples.className(name)).getMethod("main", String[].class);
    }
    assertEquals(31, Samples.names().size(), "17 Java samples, 14 Kotlin twins");
    assertEquals(null, Samples.className("kt.FashionMnistMlp"));
  }

  @Test
  void progressRedrawsOneLineOnATerminalAndPrintsPlainLinesOtherwise() {
    ByteArrayOutputStream term = new ByteArrayOutputStream(), pipe = new ByteArrayOutputStream();
    Progress onTerminal =
        new Progress(new PrintStream(term, true, StandardCharsets.UTF_8), true, 2, 3);
    Progress onPipe =
        new Progress(new PrintStream(pipe, true, StandardCharsets.UTF_8), false, 2, 3);
    for (Progress p : new Progress[] {onTerminal, onPipe}) {
      for (int epoch = 1; epoch <= 2; epoch++) {
        p.startEpoch();
        for (int step = 1; step <= 3; step++) p.step(epoch, step, 10, 1.0 / step);
      }
    }
    String t = term.toString(StandardCharsets.UTF_8), p = pipe.toString(StandardCharsets.UTF_8);
    assertTrue(
        t.startsWith("\repoch 1/2 [") && t.contains("3/3 loss 0.6111") && t.contains("\repoch 2/2"),
        t);
    assertEquals(2, p.lines().count(), p);
    assertTrue(p.startsWith("epoch 1/2 3 steps loss 0.6111") && !p.contains("\r"), p);
  }
}
