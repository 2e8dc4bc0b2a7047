package dev.autograd.samples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every Java and Kotlin snippet of README-samples.md is a run of lines of a sample the tests run. */
class ReadmeSnippetsTest {
  private static String normalized(String code) {
    return code.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.joining("\n"));
  }

  @Test
  void snippetsAreCopiedFromTheSamples() throws IOException {
    String readme = Files.readString(Path.of("README-samples.md"));
    List<String> sources = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("src/main"))) {
      for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java") || f.toString().endsWith(".kt"))::iterator) {
        sources.add(normalized(Files.readString(p)));
      }
    }
    Matcher m = Pattern.compile("```(java|kotlin)\\n(.*?)```", Pattern.DOTALL).matcher(readme);
    int snippets = 0;
    while (m.find()) {
      String snippet = normalized(m.group(2));
      snippets++;
      assertTrue(sources.stream().anyMatch(s -> s.contains(snippet)), "README-samples.md snippet not found in any sample:\n" + m.group(2));
    }
    assertTrue(snippets >= 4, "expected the quickstart snippets, found " + snippets);
  }
}
