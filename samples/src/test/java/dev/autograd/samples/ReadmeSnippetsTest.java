package dev.autograd.samples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The READMEs' snippets are what the code does and can be copied as shown. Every Java and Kotlin
 * snippet is a run of lines of a source file of the project (a sample or a test that runs it); a
 * Kotlin snippet's import lines are that file's imports. Every Java snippet compiles as shown, with
 * its imports: statements go into a method, declarations into a class, a class as it is.
 */
class ReadmeSnippetsTest {
  /** One fenced snippet. */
  record Snippet(Path readme, String language, List<String> imports, String code) {
    String where() {
      return readme
          + " snippet:\n"
          + String.join("\n", imports)
          + (imports.isEmpty() ? "" : "\n\n")
          + code;
    }
  }

  private static String normalized(String code) {
    return code.lines()
        .map(String::strip)
        .filter(l -> !l.isEmpty())
        .collect(Collectors.joining("\n"));
  }

  /**
   * Code without whitespace and trailing commas: a snippet still matches its source after the
   * formatter rewraps lines (ktfmt adds a trailing comma to a parameter list it wraps).
   */
  private static String compact(String code) {
    return code.replaceAll("\\s+", "").replace(",)", ")");
  }

  private static List<Snippet> snippets(Path readmeFile) throws IOException {
    Matcher m =
        Pattern.compile("```(java|kotlin)\\n(.*?)```", Pattern.DOTALL)
            .matcher(Files.readString(readmeFile));
    List<Snippet> found = new ArrayList<>();
    while (m.find()) {
      List<String> imports = new ArrayList<>(), code = new ArrayList<>();
      for (String line : m.group(2).split("\n", -1)) {
        if (code.isEmpty() && line.strip().startsWith("import ")) imports.add(line.strip());
        else if (!(code.isEmpty() && line.isBlank())) code.add(line);
      }
      found.add(new Snippet(readmeFile, m.group(1), imports, String.join("\n", code)));
    }
    return found;
  }

  private static List<String> sources(Path root) throws IOException {
    List<String> sources = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p :
          (Iterable<Path>)
              files
                      .filter(f -> f.toString().endsWith(".java") || f.toString().endsWith(".kt"))
                      .filter(f -> !f.toString().contains("/target/"))
                  ::iterator) {
        sources.add(normalized(Files.readString(p)));
      }
    }
    return sources;
  }

  /**
   * Each snippet's code is a run of lines of one source. A Kotlin snippet's imports must be that
   * source's imports too (a Java snippet's imports are checked by compiling it).
   */
  private static void assertCopiedFromSources(List<Snippet> snippets, List<String> sources) {
    List<String> compactSources =
        sources.stream().map(ReadmeSnippetsTest::compact).collect(Collectors.toList());
    for (Snippet s : snippets) {
      String code = compact(s.code());
      List<String> imports = s.language().equals("kotlin") ? s.imports() : List.of();
      boolean found =
          java.util.stream.IntStream.range(0, sources.size())
              .anyMatch(
                  k ->
                      compactSources.get(k).contains(code)
                          && imports.stream()
                              .allMatch(
                                  i -> ("\n" + sources.get(k) + "\n").contains("\n" + i + "\n")));
      assertTrue(
          found, s.where() + "\n-- is not (with those imports) a run of lines of a source file");
    }
  }

  /** The snippet as a compilation unit named {@code name}. */
  private static String compilationUnit(Snippet s, String name) {
    String imports = String.join("\n", s.imports()) + "\n";
    String first = s.code().strip();
    if (Pattern.compile("^(public |final )*(class|record|interface) ", Pattern.MULTILINE)
        .matcher(s.code())
        .find()) {
      return imports + s.code(); // a whole class
    }
    if (first.startsWith("static ")
        || first.startsWith("public ")
        || first.startsWith("private ")
        || first.startsWith("@")) {
      return imports + "class " + name + " {\n" + s.code() + "\n}\n"; // declarations
    }
    return imports
        + "class "
        + name
        + " {\n  void snippet() throws Exception {\n"
        + s.code()
        + "\n  }\n}\n"; // statements
  }

  /**
   * Compiles every Java snippet against the test classpath (the library, the samples); fails with
   * javac's messages.
   */
  private static void assertJavaSnippetsCompile(List<Snippet> snippets) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    List<JavaFileObject> units = new ArrayList<>();
    List<Snippet> javaSnippets =
        snippets.stream().filter(s -> s.language().equals("java")).toList();
    for (int i = 0; i < javaSnippets.size(); i++) {
      Snippet s = javaSnippets.get(i);
      String name = "ReadmeSnippet" + i;
      String source = compilationUnit(s, name);
      Matcher cls =
          Pattern.compile(
                  "^(?:public |final )*(?:class|record|interface) (\\w+)", Pattern.MULTILINE)
              .matcher(source);
      String file = cls.find() ? cls.group(1) : name;
      units.add(
          new SimpleJavaFileObject(
              URI.create("string:///snippet" + i + "/" + file + ".java"),
              JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
              return source;
            }
          });
    }
    if (units.isEmpty()) return;
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    Path out;
    try {
      out = Files.createTempDirectory("readme-snippets");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    List<String> options =
        List.of(
            "-classpath",
            System.getProperty("java.class.path"),
            "-d",
            out.toString(),
            "-proc:none");
    boolean ok = javac.getTask(null, null, diagnostics, options, null, units).call();
    StringBuilder errors = new StringBuilder();
    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
      if (d.getKind() != Diagnostic.Kind.ERROR) continue;
      int index =
          Integer.parseInt(
              d.getSource().toUri().getPath().split("/")[1].substring("snippet".length()));
      errors
          .append(javaSnippets.get(index).where())
          .append("\n-- line ")
          .append(d.getLineNumber())
          .append(" of the wrapped snippet: ")
          .append(d.getMessage(Locale.ROOT))
          .append("\n\n");
    }
    assertTrue(
        ok && errors.length() == 0,
        "README Java snippets that do not compile as shown:\n" + errors);
  }

  @Test
  void samplesReadmeSnippetsAreCopiedFromTheSamplesAndCompile() throws IOException {
    List<Snippet> snippets = snippets(Path.of("README-samples.md"));
    assertTrue(snippets.size() >= 4, "expected the quickstart snippets, found " + snippets.size());
    assertCopiedFromSources(snippets, sources(Path.of("src/main")));
    assertJavaSnippetsCompile(snippets);
  }

  @Test
  void mainReadmeSnippetsAreCopiedFromSamplesAndTestsAndCompile() throws IOException {
    List<Snippet> snippets = snippets(Path.of("../README.md"));
    assertTrue(snippets.size() >= 8, "expected the README's snippets, found " + snippets.size());
    assertCopiedFromSources(snippets, sources(Path.of("..")));
    assertJavaSnippetsCompile(snippets);
  }

  @Test
  void nnReadmeJavaSnippetsCompile() throws IOException {
    List<Snippet> snippets = snippets(Path.of("../autograd-nn/README-nn.md"));
    assertCopiedFromSources(snippets, sources(Path.of("..")));
    assertJavaSnippetsCompile(snippets);
  }
}
