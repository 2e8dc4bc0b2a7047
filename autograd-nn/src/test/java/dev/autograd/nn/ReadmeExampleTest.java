package dev.autograd.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.core.Autograd;
import dev.autograd.core.Generator;
import dev.autograd.core.GradMode;
import dev.autograd.core.Tensor;
import dev.autograd.nn.data.DataLoader;
import dev.autograd.nn.data.Datasets;
import dev.autograd.nn.data.Iris;
import dev.autograd.nn.data.Subset;
import dev.autograd.nn.io.Safetensors;
import dev.autograd.nn.optim.Adam;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's nn example (kept identical to autograd-nn/README-nn.md): an Iris classifier trained
 * with Adam.
 */
class ReadmeExampleTest {
  // README-BEGIN
  static double trainIris() {
    Generator gen = new Generator(0);
    List<Subset<Tensor[]>> split = Datasets.randomSplit(Iris.load(), new int[] {120, 30}, gen);
    Sequential model =
        new Sequential(new Linear(4, 16, true, gen), new ReLU(), new Linear(16, 3, true, gen));
    CrossEntropyLoss lossFn = new CrossEntropyLoss();
    Adam optimizer = new Adam(model.parameters(), 0.01);
    for (int epoch = 0; epoch < 100; epoch++) {
      for (Tensor[] batch : new DataLoader(split.get(0), 16, true, false, gen)) {
        optimizer.zeroGrad();
        Tensor loss = lossFn.forward(model.forward(batch[0]), batch[1]);
        loss.backward();
        optimizer.step();
      }
    }
    model.eval();
    try (GradMode.Scope noGrad = Autograd.noGrad()) {
      Tensor[] test = new DataLoader(split.get(1), 30).iterator().next();
      Tensor predicted = model.forward(test[0]).argmax(1, false);
      return predicted.eq(test[1]).sum().item() / 30.0; // held-out accuracy
    }
  }

  // README-END

  @Test
  void irisClassifierReachesNinetyFivePercent() {
    double accuracy = trainIris();
    assertTrue(accuracy >= 0.95, "held-out accuracy " + accuracy);
  }

  /** The README's two safetensors lines. */
  private static void saveAndReload(Module model, Path file) throws IOException {
    Safetensors.save(model, file); // atomic: a temporary file, then a rename
    Safetensors.load(model, file, true); // strict: every key must match
  }

  @Test
  void savesAndLoadsWeightsAsTheReadmeShows(@TempDir Path dir) throws IOException {
    Sequential trained =
        new Sequential(
            new Linear(4, 16, true, new Generator(1)),
            new ReLU(),
            new Linear(16, 3, true, new Generator(2)));
    Path file = dir.resolve("iris.safetensors");
    saveAndReload(trained, file);
    Sequential fresh =
        new Sequential(
            new Linear(4, 16, true, new Generator(3)),
            new ReLU(),
            new Linear(16, 3, true, new Generator(4)));
    Safetensors.load(fresh, file, true);
    Map<String, Tensor> want = trained.stateDict(), got = fresh.stateDict();
    for (String key : want.keySet()) assertTrue(want.get(key).allclose(got.get(key), 0, 0), key);
  }

  @Test
  void readmesShowThisExactCode() throws IOException {
    String test = Files.readString(Path.of("src/test/java/dev/autograd/nn/ReadmeExampleTest.java"));
    String code =
        test.substring(test.indexOf("// README-BEGIN\n") + 16, test.indexOf("  // README-END"));
    String dedented = code.replaceAll("(?m)^  ", "");
    for (String file : List.of("README-nn.md", "../README.md")) {
      String readme = Files.readString(Path.of(file));
      // the snippet shows its imports first (samples' ReadmeSnippetsTest compiles it with them);
      // compared without whitespace, so formatting this file (which rewraps lines) keeps the match
      assertTrue(
          readme.replaceAll("\\s+", "").contains(";" + dedented.replaceAll("\\s+", "") + "```"),
          file
              + " must contain the example of ReadmeExampleTest (dedented by 2; whitespace aside)");
    }
  }
}
