package dev.autograd.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The whole-process programs print what their PyTorch twins print (benchmarks/peers/programs), and
 * Report prints the p10/p90 tails compare.sh reads. No timing here.
 */
class SeedProgramTest {
  private static String run(Runnable body) {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      body.run();
    } finally {
      System.setOut(old);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  @Test
  void gradientOfXSquaredExpIsEightESquared() {
    assertEquals(
        "tensor(59.1124)", run(() -> SeedProgram.main(new String[] {"grad_x2_exp"})).trim());
  }

  @Test
  void linearRegressionLearnsTheLine() {
    String[] lines =
        run(() -> SeedProgram.main(new String[] {"linear_regression_nn"})).trim().split("\n");
    assertEquals(10, lines.length);
    double first = Double.parseDouble(lines[0].replaceAll(".*Loss: ", "")),
        last = Double.parseDouble(lines[9].replaceAll(".*Loss: ", ""));
    assertTrue(last < first / 2, "loss " + first + " -> " + last);
  }

  @Test
  void twoLayerNetPrintsEveryHundredStepsAndItsBlocks() {
    String out = run(() -> SeedProgram.main(new String[] {"two_layer_net", "--blocks"}));
    String[] loss = out.lines().filter(l -> !l.startsWith("#")).toArray(String[]::new);
    assertEquals(5, loss.length);
    assertTrue(loss[0].startsWith("100 ") && loss[4].startsWith("500 "), out);
    assertTrue(
        Double.parseDouble(loss[4].split(" ")[1]) < Double.parseDouble(loss[0].split(" ")[1]), out);
    assertEquals(
        5,
        out.lines()
            .filter(
                l ->
                    l.matches(
                        "# block \\d+-\\d+ [0-9.]+ ms/step cpu [0-9.]+ ms/step alloc \\d+ KiB/step"))
            .count(),
        out);
    String threads = out.lines().filter(l -> l.startsWith("# threads")).findFirst().orElse("");
    if (java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc/self/task"))) {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile(
                  "# threads cpu ms: \\{main=(\\d+), C2=\\d+, C1=\\d+, GC=\\d+, other=\\d+}")
              .matcher(threads);
      assertTrue(m.matches(), out);
      assertTrue(Long.parseLong(m.group(1)) > 0, "500 steps take this thread's CPU: " + threads);
    } else {
      assertTrue(threads.startsWith("# threads cpu ms: not readable here"), out);
    }
  }

  @Test
  void irisClassifiesTheHeldOutFlowers() {
    String out = run(() -> SeedProgram.main(new String[] {"iris"})).trim();
    assertTrue(out.startsWith("test accuracy "), out);
    assertTrue(Double.parseDouble(out.replaceAll("[^0-9.]", "")) >= 80, out);
  }

  @Test
  void anUnknownProgramIsNamed() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SeedProgram.main(new String[] {"nope"}));
    assertTrue(
        e.getMessage().contains("'nope'") && e.getMessage().contains("two_layer_net"),
        e.getMessage());
  }

  @Test
  void reportPrintsTheTailsCompareReads() {
    double[] xs = new double[20];
    for (int i = 0; i < 20; i++) xs[i] = i + 1;
    String out = run(() -> Report.print("row.t1", xs, "us"));
    assertEquals(
        "row.t1 10.5 us\n# row.t1 min=1 p10=3 p90=19 max=20 n=20\n", out.replace("\r", ""));
    assertEquals(
        "rate.t1 5 GFLOP/s\n# rate.t1 p10=4\n",
        run(() -> Report.stats("rate.t1", 5, 4, "GFLOP/s")).replace("\r", ""));
  }
}
