package dev.autograd.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The {@code ./run} script answers what needs no build — the list, {@code --help}, a wrong name
 * with a "did you mean" — from samples.tsv alone, without starting Maven or java.
 */
class RunScriptTest {
  private static final Path SCRIPT = Path.of("..", "run").toAbsolutePath().normalize();

  record Result(int status, String out, String err) {}

  private static Result run(String... args) throws IOException, InterruptedException {
    String[] command = new String[args.length + 2];
    command[0] = "bash";
    command[1] = SCRIPT.toString();
    System.arraycopy(args, 0, command, 2, args.length);
    Process p = new ProcessBuilder(command).start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "./run answered within 30 s");
    return new Result(
        p.exitValue(),
        new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void listsTheSamplesOfTheLauncher() throws Exception {
    assertTrue(Files.isRegularFile(SCRIPT), SCRIPT.toString());
    Result r = run();
    assertEquals(0, r.status(), r.err());
    for (String name : Samples.names())
      assertTrue(r.out().contains("  " + name + " "), name + " in:\n" + r.out());
  }

  @Test
  void helpAndWrongNamesNeedNoBuild() throws Exception {
    Result help = run("--help");
    assertEquals(0, help.status());
    assertTrue(help.out().startsWith("Usage: ./run [NAME [--option value ...]]"), help.out());

    Result typo = run("kt.TwoLayerNte");
    assertEquals(2, typo.status());
    assertEquals(
        "./run: no sample named 'kt.TwoLayerNte'; did you mean kt.TwoLayerNet? (./run lists them)\n",
        typo.err());
    Result lower = run("irisclassifier", "--epochs", "3");
    assertEquals(
        "./run: no sample named 'irisclassifier'; did you mean IrisClassifier? (./run lists them)\n",
        lower.err());
    Result sampleHelp = run("kt.IrisClassifier", "--help");
    assertEquals(0, sampleHelp.status());
    assertEquals(
        SamplesTest.run("kt.IrisClassifier", "--help"),
        sampleHelp.out(),
        "the script and the launcher say the same");
    Result none = run("Nothing");
    assertEquals(2, none.status());
    assertEquals("./run: no sample named 'Nothing' (./run lists them)\n", none.err());
    Result option = run("--epochs", "3");
    assertEquals(2, option.status());
    assertEquals(
        "./run: unknown option --epochs; the sample name comes first (./run --help)\n",
        option.err());
  }
}
