package dev.autograd.samples;

import dev.autograd.core.Generator;
import dev.autograd.core.Tensor;
import dev.autograd.nn.CrossEntropyLoss;
import dev.autograd.nn.Linear;
import dev.autograd.nn.ReLU;
import dev.autograd.nn.Sequential;
import dev.autograd.nn.data.DataLoader;
import dev.autograd.nn.data.Datasets;
import dev.autograd.nn.data.Iris;
import dev.autograd.nn.data.Subset;
import dev.autograd.nn.optim.Adam;
import java.util.ArrayList;
import java.util.List;

/**
 * Real training: Fisher's Iris flowers (150 samples, 4 features, 3 species) with a 4-16-3 MLP,
 * cross-entropy and Adam; 120 flowers to train, 30 held out. Prints the held-out accuracy and
 * writes the loss curve. Arguments: {@code --epochs N} (100), {@code --plot FILE}.
 */
public final class IrisClassifier {
  public static void main(String[] args) {
    Args a = new Args(args);
    int epochs = a.positive("epochs", 100);
    Generator gen = new Generator(0);
    List<Subset<Tensor[]>> split = Datasets.randomSplit(Iris.load(), new int[] {120, 30}, gen);
    Sequential model =
        new Sequential(new Linear(4, 16, true, gen), new ReLU(), new Linear(16, 3, true, gen));
    CrossEntropyLoss lossFn = new CrossEntropyLoss();
    Adam optimizer = new Adam(model.parameters(), 0.01);

    List<Double> losses = new ArrayList<>();
    DataLoader train = new DataLoader(split.get(0), 16, true, false, gen);
    for (int epoch = 1; epoch <= epochs; epoch++) {
      double sum = 0;
      for (Tensor[] batch : train) {
        optimizer.zeroGrad();
        Tensor loss = lossFn.forward(model.forward(batch[0]), batch[1]);
        loss.backward();
        optimizer.step();
        sum += loss.item();
      }
      losses.add(sum / train.numBatches());
      if (epoch % 20 == 0)
        System.out.printf("epoch %d: mean training loss %.4f%n", epoch, losses.get(epoch - 1));
    }
    System.out.printf("train accuracy %.1f%%%n", 100 * Accuracy.of(model, split.get(0), 120));
    System.out.printf(
        "test accuracy %.1f%% (30 held-out flowers)%n", 100 * Accuracy.of(model, split.get(1), 30));
    LossPlot.save(
        a.path("plot", LossPlot.defaultPath("IrisClassifier")),
        "Iris: 4-16-3 MLP, Adam",
        "epoch",
        losses);
  }
}
