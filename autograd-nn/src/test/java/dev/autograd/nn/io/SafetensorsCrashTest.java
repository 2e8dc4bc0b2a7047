package dev.autograd.nn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.core.Tensor;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A save killed with SIGKILL mid-write, in a real second JVM: the file stays whole, the next save
 * tidies up.
 */
class SafetensorsCrashTest {
  @TempDir Path dir;

  private static final int N = 4 << 20; // 16 MB of F32 per save: long enough to be caught writing

  private List<Path> temporaryFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> p.getFileName().toString().startsWith(AtomicFile.PREFIX))
          .collect(Collectors.toList());
    }
  }

  @Test
  void killingASaveLeavesTheOldOrTheNewFileWholeAndTheNextSaveRemovesTheLeftover()
      throws Exception {
    Path target = dir.resolve("model.safetensors");
    Safetensors.save(Map.of("w", Tensor.full(new int[] {N}, 1)), target, null);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                java,
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                SaveForever.class.getName(),
                target.toString(),
                Integer.toString(N))
            .redirectErrorStream(true)
            .redirectOutput(new File(dir.toFile(), "child.log"))
            .start();
    try {
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (temporaryFiles().isEmpty() && child.isAlive() && System.nanoTime() < deadline)
        Thread.sleep(1);
    } finally {
      child.destroyForcibly(); // SIGKILL on Unix: no finally blocks, no shutdown hooks
      child.waitFor();
    }
    assertTrue(
        Files.readString(dir.resolve("child.log")).isBlank(),
        Files.readString(dir.resolve("child.log")));
    Tensor w = Safetensors.load(target).get("w");
    float first = w.toFloatArray()[0];
    assertEquals(N, w.numel());
    for (float v : w.toFloatArray())
      assertEquals(first, v, "one save's values throughout, never a mix");
    List<Path> left = temporaryFiles();
    assertEquals(1, left.size(), "killed while its temporary file was being written");
    Safetensors.save(Map.of("w", Tensor.zeros(1)), target, null);
    for (Path p : left)
      assertFalse(
          Files.exists(p), "the killed save's " + p.getFileName() + " is removed by the next save");
    assertEquals(List.of(), temporaryFiles());
  }
}
