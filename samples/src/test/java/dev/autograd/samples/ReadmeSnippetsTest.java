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

/**
 * Every Java and Kotlin snippet of README-samples.md is a run of lines of a sample the tests run,
 * and every one of the main README.md is a run of lines of a sample or a test of some module.
 */
class ReadmeSnippetsTest {
  private static String normalized(String code) {
    return code.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.joining("\n"));
  }

  private static List<String> sources(Path root) throws IOException {
    List<String> sources = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java") || f.toString().endsWith(".kt"))
          .filter(f -> !f.toString().contains("/target/"))::iterator) {
        sources.add(normalized(Files.readString(p)));
      }
    }
    return sources;
  }

  private static int checkSnippets(Path readmeFile, List<String> sources) throws IOException {
    String readme = Files.readString(readmeFile);
    Matcher m = Pattern.compile("```(java|kotlin)\\n(.*?)```", Pattern.DOTALL).matcher(readme);
    int snippets = 0;
    while (m.find()) {
      String snippet = normalized(m.group(2));
      snippets++;
      assertTrue(sources.stream().anyMatch(s -> s.contains(snippet)), readmeFile + " snippet not found in the sources:\n" + m.group(2));
    }
    return snippets;
  }

  @Test
  void snippetsAreCopiedFromTheSamples() throws IOException {
    int snippets = checkSnippets(Path.of("README-samples.md"), sources(Path.of("src/main")));
    assertTrue(snippets >= 4, "expected the quickstart snippets, found " + snippets);
  }

  @Test
  void mainReadmeSnippetsAreCopiedFromSamplesAndTests() throws IOException {
    int snippets = checkSnippets(Path.of("../README.md"), sources(Path.of("..")));
    assertTrue(snippets >= 8, "expected the README's snippets, found " + snippets);
  }
}
