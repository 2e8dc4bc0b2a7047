package dev.autograd.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs every notebook of samples/notebooks end to end in a real Kotlin Jupyter kernel (set up by
 * samples/notebooks/setup-kernel.sh) through Debian's {@code jupyter nbconvert --execute}, then
 * checks what the cells produced: the gradients, the SVG graph, the HTML tensors and model summary,
 * the training charts. The first cell of each notebook loads the library as a user would, with
 * {@code @file:DependsOn} from the local Maven repository the kernel was pointed at.
 *
 * <p>Runs in the {@code notebooks} profile (see .ci/run). With {@code -Dnotebooks.update=true} the
 * executed notebooks replace the saved ones, so their outputs are what this run produced.
 */
class NotebooksInKernelIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path NOTEBOOKS = Path.of(required("notebooks.dir"));
  private static final Path OUT = Path.of(required("notebooks.out"));
  private static final String JUPYTER_PATH = required("notebooks.jupyterPath");
  private static final String KERNEL = System.getProperty("notebooks.kernel", "kotlin");

  private static String required(String property) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank() || value.startsWith("${")) {
      throw new IllegalStateException(
          "system property " + property + " is not set; run with -Pnotebooks (see .ci/run)");
    }
    return value;
  }

  @BeforeAll
  static void kernelIsSetUp() {
    Path spec = Path.of(JUPYTER_PATH, "kernels", KERNEL, "kernel.json");
    assertTrue(
        Files.isRegularFile(spec),
        "no kernel spec "
            + spec
            + ": run samples/notebooks/setup-kernel.sh --no-register --dir "
            + JUPYTER_PATH);
  }

  @Test
  void everyNotebookIsChecked() throws IOException {
    List<String> names;
    try (Stream<Path> files = Files.list(NOTEBOOKS)) {
      names =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".ipynb"))
              .sorted()
              .toList();
    }
    assertEquals(
        List.of(
            "01-autograd-basics.ipynb",
            "02-custom-functions.ipynb",
            "03-training.ipynb",
            "04-batch-eval.ipynb"),
        names,
        "a notebook was added or renamed: give it a test here");
  }

  @Test
  void autogradBasics() throws Exception {
    JsonNode nb = execute("01-autograd-basics.ipynb");
    JsonNode y = cell(nb, "val y = x.pow(2.0).mul(x.exp())");
    assertTrue(html(y).contains("class=\"autograd-tensor\""), "y renders as an HTML tensor");
    assertEquals("tensor(29.5562, grad_fn=<MulBackward0>)", plain(y));
    assertSvgGraph(cell(nb, "Graphs.view(y)"), "MulBackward0", "ExpBackward0");
    assertEquals("tensor(59.1124)", plain(cell(nb, "x.grad()")));
    String flags = stream(cell(nb, "val z = y.detach()"));
    assertTrue(flags.contains("y: isLeaf=false requiresGrad=true gradFn=MulBackward0"), flags);
    assertTrue(flags.contains("z: isLeaf=true requiresGrad=false gradFn=null"), flags);
    assertEquals("false", plain(cell(nb, "val inference = Autograd.noGrad()")));
    assertEquals("tensor([ 6., 12.], dtype=torch.float64)", plain(cell(nb, "repeat(3)")));
    assertEquals("tensor([2., 4.], dtype=torch.float64)", plain(cell(nb, "v.grad().zero_()")));
    assertEquals(
        "tensor([0., 2., 0.], dtype=torch.float64, grad_fn=<MyReLUBackward>)",
        plain(cell(nb, "class MyReLU : Function()")));
    assertEquals(
        "tensor([0., 1., 0.], dtype=torch.float64)", plain(cell(nb, "r.sum().backward()")));
    JsonNode compiled = cell(nb, "val f = compile { x -> (x mm w).relu().sum() }");
    String drawn = html(compiled);
    assertTrue(drawn.startsWith("<div class=\"autograd-compiled\"><pre>CompiledFunction"), drawn);
    assertTrue(
        drawn.contains("replayed 2 times")
            && drawn.contains("<svg ")
            && drawn.contains("class=\"node backward\""),
        drawn);
  }

  @Test
  void customFunctions() throws Exception {
    JsonNode nb = execute("02-custom-functions.ipynb");
    JsonNode relu = cell(nb, "class MyReLU : AutogradFunction()");
    assertEquals("tensor([0., 1., 0.])", plain(relu));
    assertTrue(html(relu).contains("class=\"autograd-tensor\""));
    assertSvgGraph(cell(nb, ".graph()"), "MyReLUBackward", "SumBackward0");
    JsonNode ste = cell(nb, "val roundSte = customFunction(");
    assertTrue(
        stream(ste).contains("q = tensor([ 0.,  2., -2.], grad_fn=<RoundSTEBackward>)"),
        stream(ste));
    assertEquals("tensor([ 0.,  4., -4.])", plain(ste));
    JsonNode sigmoid = cell(nb, "val mySigmoid = customFunction(");
    assertTrue(stream(sigmoid).contains("gradcheck passed"), stream(sigmoid));
    assertTrue(plain(sigmoid).endsWith("grad_fn=<MySigmoidBackward>)"), plain(sigmoid));
  }

  @Test
  void training() throws Exception {
    JsonNode nb = execute("03-training.ipynb");
    JsonNode twoLayer = cell(nb, "val w1 = randn(dIn, h, requiresGrad = true)");
    assertTrue(stream(twoLayer).startsWith("step 100: loss "), stream(twoLayer));
    assertTrue(plain(twoLayer).startsWith("History(steps=500, epochs=0, loss="), plain(twoLayer));
    assertTrue(number(plain(twoLayer), "loss=") < 0.01, plain(twoLayer));
    assertPngChart(twoLayer);
    JsonNode model = cell(nb, "val model = Sequential(Linear(4, 16), ReLU(), Linear(16, 3))");
    String summary = html(model);
    for (String part :
        List.of(
            "weight [16, 4]",
            "Linear(in_features=16, out_features=3, bias=True)",
            "Total params: <span class=\"total\">131</span>"))
      assertTrue(summary.contains(part), "model summary lacks " + part + ": " + summary);
    JsonNode iris = cell(nb, "for (epoch in 1..30)");
    assertTrue(plain(iris).startsWith("History(steps=300, epochs=30, loss="), plain(iris));
    assertTrue(number(plain(iris), "accuracy=") > 0.9, plain(iris));
    assertPngChart(iris);
    assertTrue(
        plain(cell(nb, "history.toPng(file)")).contains(" PNG"),
        "the chart was written as a PNG file");
    assertTrue(
        plain(cell(nb, "val probabilities")).startsWith("tensor([[9.97"),
        "the first setosa is recognised");
  }

  @Test
  void batchEval() throws Exception {
    JsonNode nb = execute("04-batch-eval.ipynb");
    assertTrue(html(cell(nb, "val model = Sequential(")).contains("Linear"));
    JsonNode batch = cell(nb, "batchEval(samples, parallelism = 4)");
    assertTrue(stream(batch).contains("150 outputs, each [1, 3]"), stream(batch));
    assertTrue(html(batch).contains("class=\"autograd-tensor\""));
    JsonNode perSample = cell(nb, "perSampleGrads(");
    assertTrue(
        stream(perSample).startsWith("norm of each sample's gradient of 0.weight: ["),
        stream(perSample));
    assertTrue(plain(perSample).startsWith("tensor([["), plain(perSample));
    String parallel = stream(cell(nb, "dataParallelBackward(shards)"));
    assertTrue(number(parallel, "max |shard-summed grad - full-batch grad| = ") < 1e-5, parallel);
  }

  // ---- running and reading notebooks

  /**
   * Executes a notebook in the kernel; returns the executed notebook, all of whose code cells ran.
   */
  private static JsonNode execute(String name) throws IOException, InterruptedException {
    Files.createDirectories(OUT);
    Path log = OUT.resolve(name.replace(".ipynb", ".log"));
    ProcessBuilder nbconvert =
        new ProcessBuilder(
                "jupyter",
                "nbconvert",
                "--to",
                "notebook",
                "--execute",
                "--ExecutePreprocessor.kernel_name=" + KERNEL,
                "--ExecutePreprocessor.timeout=900",
                "--ExecutePreprocessor.record_timing=False",
                "--output-dir",
                OUT.toString(),
                NOTEBOOKS.resolve(name).toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    nbconvert.environment().put("JUPYTER_PATH", JUPYTER_PATH);
    Process process = nbconvert.start();
    process.getOutputStream().close();
    int exit = process.waitFor();
    if (exit != 0) fail(name + ": jupyter nbconvert exited with " + exit + ":\n" + tail(log));
    Path executed = OUT.resolve(name);
    JsonNode nb = JSON.readTree(executed.toFile());
    assertEquals(
        "kotlin", nb.at("/metadata/language_info/name").asText(), name + " ran in another kernel");
    for (JsonNode cell : nb.get("cells")) {
      if (!cell.get("cell_type").asText().equals("code")) continue;
      assertFalse(
          cell.get("execution_count").isNull(), name + ": a cell did not run: " + source(cell));
      for (JsonNode output : cell.get("outputs")) {
        assertFalse(
            output.get("output_type").asText().equals("error"),
            name + ": a cell failed: " + output);
      }
    }
    if (Boolean.getBoolean("notebooks.update"))
      Files.copy(executed, NOTEBOOKS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    return nb;
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  /** The one code cell whose source contains {@code text}. */
  private static JsonNode cell(JsonNode nb, String text) {
    List<JsonNode> found = new ArrayList<>();
    for (JsonNode cell : nb.get("cells")) {
      if (cell.get("cell_type").asText().equals("code") && source(cell).contains(text))
        found.add(cell);
    }
    assertEquals(1, found.size(), "code cells containing '" + text + "'");
    return found.get(0);
  }

  private static String source(JsonNode cell) {
    return joined(cell.get("source"));
  }

  private static String joined(JsonNode textOrLines) {
    if (textOrLines == null) return "";
    if (textOrLines.isTextual()) return textOrLines.asText();
    StringBuilder sb = new StringBuilder();
    textOrLines.forEach(line -> sb.append(line.asText()));
    return sb.toString();
  }

  /** The cell's result (its last expression) as MIME type to content. */
  private static JsonNode result(JsonNode cell) {
    for (JsonNode output : cell.get("outputs")) {
      if (output.get("output_type").asText().equals("execute_result")) return output.get("data");
    }
    return fail("the cell shows no result: " + source(cell));
  }

  private static String plain(JsonNode cell) {
    return joined(result(cell).get("text/plain"));
  }

  private static String html(JsonNode cell) {
    JsonNode html = result(cell).get("text/html");
    assertNotNull(html, "the result has no HTML rendering: " + source(cell));
    return joined(html);
  }

  private static String stream(JsonNode cell) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode output : cell.get("outputs")) {
      if (output.get("output_type").asText().equals("stream"))
        sb.append(joined(output.get("text")));
    }
    return sb.toString();
  }

  private static void assertSvgGraph(JsonNode cell, String... nodes) {
    JsonNode svg = result(cell).get("image/svg+xml");
    assertNotNull(svg, "the graph is not rendered as SVG");
    String text = joined(svg);
    assertTrue(text.startsWith("<svg"), text);
    for (String node : nodes) assertTrue(text.contains(node), "the graph lacks " + node);
  }

  private static void assertPngChart(JsonNode cell) {
    JsonNode png = result(cell).get("image/png");
    assertNotNull(png, "the history is not rendered as a chart: " + source(cell));
    byte[] bytes = Base64.getMimeDecoder().decode(joined(png));
    assertTrue(
        bytes.length > 1000 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G',
        "not a PNG chart");
  }

  /** The number that follows {@code label} in {@code text}. */
  private static double number(String text, String label) {
    Matcher m = Pattern.compile(Pattern.quote(label) + "([-+0-9.eE]+)").matcher(text);
    assertTrue(m.find(), "no '" + label + "' in: " + text);
    return Double.parseDouble(m.group(1).toLowerCase(Locale.ROOT));
  }
}
