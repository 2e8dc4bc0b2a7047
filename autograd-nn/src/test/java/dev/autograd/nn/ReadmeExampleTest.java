package dev.autograd.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.core.Autograd;
import dev.autograd.core.Generator;
import dev.autograd.core.GradMode;
import dev.autograd.core.Tensor;
import dev.autograd.nn.data.DataLoader;
import dev.autograd.nn.data.Datasets;
import dev.autograd.nn.data.Iris;
import dev.autograd.nn.data.Subset;
import dev.autograd.nn.optim.Adam;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's nn example (kept identical to autograd-nn/README-nn.md): an Iris classifier trained with Adam. */
class ReadmeExampleTest {
  // README-BEGIN
  static double trainIris() {
    Generator gen = new Generator(0);
    List<Subset<Tensor[]>> split = Datasets.randomSplit(Iris.load(), new int[] {120, 30}, gen);
    Sequential model = new Sequential(new Linear(4, 16, true, gen), new ReLU(), new Linear(16, 3, true, gen));
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
    int correct = 0;
    try (GradMode.Scope noGrad = Autograd.noGrad()) {
      for (Tensor[] batch : new DataLoader(split.get(1), 30)) {
        float[] logits = model.forward(batch[0]).toFloatArray();
        long[] labels = batch[1].toLongArray();
        for (int i = 0; i < labels.length; i++) {
          int best = 0;
          for (int c = 1; c < 3; c++) if (logits[i * 3 + c] > logits[i * 3 + best]) best = c;
          if (best == labels[i]) correct++;
        }
      }
    }
    return correct / 30.0; // held-out accuracy
  }
  // README-END

  @Test
  void irisClassifierReachesNinetyFivePercent() {
    double accuracy = trainIris();
    assertTrue(accuracy >= 0.95, "held-out accuracy " + accuracy);
  }

  @Test
  void readmeShowsThisExactCode() throws IOException {
    String test = Files.readString(Path.of("src/test/java/dev/autograd/nn/ReadmeExampleTest.java"));
    String code = test.substring(test.indexOf("// README-BEGIN\n") + 16, test.indexOf("  // README-END"));
    String readme = Files.readString(Path.of("README-nn.md"));
    String dedented = code.replaceAll("(?m)^  ", "");
    assertTrue(readme.contains("```java\n" + dedented + "```"), "README-nn.md must contain the example of ReadmeExampleTest verbatim (dedented by 2)");
    assertEquals(1, readme.split("```java", -1).length - 1, "one Java block");
  }
}
