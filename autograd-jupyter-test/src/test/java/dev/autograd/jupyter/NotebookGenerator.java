package dev.autograd.jupyter;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jetbrains.kotlinx.jupyter.testkit.JupyterReplTestCase;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Writes the sample notebooks (samples/notebooks/*.ipynb) with real outputs. Run on demand, after
 * the DSL's NotebookCellsSpec has recorded its cells:
 * {@code mvn -B -pl autograd-dsl,autograd-jupyter-test -am verify -Dtest='NotebookCellsSpec,NotebookGenerator'
 * -Dsurefire.failIfNoSpecifiedTests=false -Dnotebooks.generate=true}.
 *
 * <p>A template (src/test/notebooks/*.txt) is a list of cells, each opened by a line {@code %% kind}:
 * {@code markdown}; {@code load} (the cell that loads the library in a real kernel; not run here,
 * where the kit loads the integration from the classpath, and it has no output); {@code kit} (run
 * in this REPL, one per notebook, its output and rendered value recorded); {@code spec NAME} (the
 * DSL code of cell NAME in NotebookCellsSpec, which the kit's Kotlin 1.6 compiler cannot run, with
 * the outputs that spec recorded).
 */
@EnabledIfSystemProperty(named = "notebooks.generate", matches = "true")
class NotebookGenerator extends JupyterReplTestCase {
  private static final Path TEMPLATES = Path.of("src/test/notebooks");
  private static final Path OUT = Path.of("../samples/notebooks");
  private static final Path SPEC = Path.of("../autograd-dsl/src/test/kotlin/dev/autograd/dsl/notebooks/NotebookCellsSpec.kt");
  private static final Path SPEC_OUTPUTS = Path.of("../autograd-dsl/target/notebook-cells");

  private record Cell(String kind, String source, boolean executed, String stdout, Map<String, String> data) {}

  @ParameterizedTest
  @ValueSource(strings = {"01-autograd-basics", "02-custom-functions", "03-training", "04-batch-eval"})
  void generate(String name) throws IOException {
    List<Cell> cells = new ArrayList<>();
    String[] parts = Files.readString(TEMPLATES.resolve(name + ".txt")).split("(?m)^%% ");
    for (String part : parts) {
      if (part.isBlank()) continue;
      int nl = part.indexOf('\n');
      String header = part.substring(0, nl).trim();
      String body = part.substring(nl + 1).stripTrailing();
      if (header.equals("markdown")) cells.add(new Cell("markdown", body, false, "", Map.of()));
      else if (header.equals("load")) cells.add(new Cell("code", body, false, "", Map.of()));
      else if (header.equals("kit")) cells.add(runInKit(body));
      else if (header.startsWith("spec ")) cells.add(fromSpec(name, header.substring(5).trim()));
      else throw new IllegalArgumentException(name + ": unknown cell kind '" + header + "'");
    }
    Files.createDirectories(OUT);
    Files.writeString(OUT.resolve(name + ".ipynb"), Ipynb.write(cells.stream()
        .map(c -> new Ipynb.Cell(c.kind(), c.source(), c.executed(), c.stdout(), forNotebook(c.data()))).toList()));
  }

  private Cell runInKit(String code) {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    Object rendered;
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      rendered = execEx(code).getRenderedValue();
    } finally {
      System.setOut(original);
    }
    Map<String, String> data = new LinkedHashMap<>();
    if (rendered instanceof Map<?, ?> mime) {
      for (Map.Entry<?, ?> e : mime.entrySet()) data.put((String) e.getKey(), (String) e.getValue());
    } else if (rendered != null && !(rendered instanceof kotlin.Unit)) {
      data.put("text/plain", String.valueOf(rendered));
    }
    return new Cell("code", code, true, captured.toString(StandardCharsets.UTF_8), data);
  }

  private static Cell fromSpec(String notebook, String cell) throws IOException {
    Path dir = SPEC_OUTPUTS.resolve(notebook);
    assertTrue(Files.isDirectory(dir), "no outputs recorded in " + dir + ": run NotebookCellsSpec first");
    String stdout = "";
    Map<String, String> data = new LinkedHashMap<>();
    try (var files = Files.list(dir)) {
      for (Path f : files.sorted().toList()) {
        String file = f.getFileName().toString();
        if (!file.startsWith(cell + ".")) continue;
        String suffix = file.substring(cell.length() + 1);
        if (suffix.equals("stdout")) stdout = Files.readString(f);
        else data.put(suffix.replaceFirst("_", "/").replace('-', '+'), Files.readString(f));
      }
    }
    return new Cell("code", specSource(cell), true, stdout, data);
  }

  // the spec lines of cell `name`, without assertions, with nb.out(v) written as v
  static String specSource(String name) throws IOException {
    List<String> lines = Files.readAllLines(SPEC);
    int start = lines.stream().map(String::trim).toList().indexOf("nb.cell(\"" + name + "\")");
    assertTrue(start >= 0, "no cell \"" + name + "\" in " + SPEC);
    Pattern out = Pattern.compile("^(\\s*)nb\\.out\\((.*)\\)$");
    List<String> body = new ArrayList<>();
    for (int i = start + 1; i < lines.size(); i++) {
      String l = lines.get(i);
      if (l.trim().startsWith("nb.cell(") || l.trim().equals("nb.save()")) break;
      if (l.contains("shouldBe")) continue;
      Matcher m = out.matcher(l);
      body.add(m.matches() ? m.group(1) + m.group(2) : l);
    }
    while (!body.isEmpty() && body.get(body.size() - 1).isBlank()) body.remove(body.size() - 1);
    int indent = body.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
    StringBuilder sb = new StringBuilder();
    for (String l : body) sb.append(l.isBlank() ? "" : l.substring(indent)).append('\n');
    return sb.toString().stripTrailing();
  }

  // one rich type per output: an image when there is one (GitHub shows images; the HTML would
  // repeat it), else the HTML, plus the plain text
  private static Map<String, String> forNotebook(Map<String, String> data) {
    Map<String, String> out = new LinkedHashMap<>(data);
    if (out.containsKey("image/png") || out.containsKey("image/svg+xml")) out.remove("text/html");
    return out;
  }
}
