package dev.autograd.samples;

import dev.autograd.core.Generator;
import dev.autograd.core.Tensor;
import dev.autograd.nn.CrossEntropyLoss;
import dev.autograd.nn.Module;
import dev.autograd.nn.data.DataLoader;
import dev.autograd.nn.data.FashionMnist;
import dev.autograd.nn.data.TensorDataset;
import dev.autograd.nn.optim.Adam;
import dev.autograd.nn.optim.CosineAnnealingLR;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The training loop shared by the two Fashion-MNIST samples: Adam on cross-entropy over shuffled
 * mini-batches, the learning rate annealed to 0 along a cosine over all steps, with a progress bar,
 * then test accuracy and a loss-curve PNG. Arguments: {@code --data DIR} (default {@code
 * $FASHION_MNIST_DIR} or /usr/share/datasets/fashion-mnist), {@code --epochs N}, {@code --batch N},
 * {@code --train-limit N} and {@code --test-limit N} (use the first N samples), {@code --plot
 * FILE}.
 */
final class FashionMnistTrainer {
  private FashionMnistTrainer() {}

  /** Defaults of one sample. */
  record Defaults(int epochs, int batch, double lr) {}

  /**
   * Trains {@code model} and returns the test accuracy.
   *
   * @throws SampleFailure when the data set is missing (its message says how to get it)
   */
  /** The one line a Fashion-MNIST sample stops with when {@code dir} lacks the data. */
  static SampleFailure notInstalled(Path dir) {
    return new SampleFailure(
        "Fashion-MNIST not found in "
            + dir
            + "; get it with 'sudo apt-get install dataset-fashion-mnist'"
            + " (or put the four IDX files from github.com/zalandoresearch/fashion-mnist in a directory and pass --data DIR)");
  }

  static double run(String sample, Module model, Defaults d, String[] args) {
    Args a = new Args(args);
    Path dir = a.path("data", FashionMnist.defaultDir());
    int epochs = a.positive("epochs", d.epochs()), batchSize = a.positive("batch", d.batch());
    int trainLimit = a.positive("train-limit", Integer.MAX_VALUE),
        testLimit = a.positive("test-limit", Integer.MAX_VALUE);
    TensorDataset train, test;
    try {
      train = FashionMnist.load(dir, true, trainLimit);
      test = FashionMnist.load(dir, false, testLimit);
    } catch (FashionMnist.NotInstalledException e) {
      throw notInstalled(dir);
    }
    System.out.printf(
        "%s: %d training and %d test images, %d parameters, %d epochs of batches of %d%n",
        sample, train.size(), test.size(), model.numParameters(), epochs, batchSize);

    Generator gen = new Generator(0);
    CrossEntropyLoss lossFn = new CrossEntropyLoss();
    Adam optimizer = new Adam(model.parameters(), d.lr());
    DataLoader loader = new DataLoader(train, batchSize, true, false, gen);
    int steps = loader.numBatches(), every = Math.max(1, steps / 20);
    CosineAnnealingLR schedule = new CosineAnnealingLR(optimizer, epochs * steps, 0);
    Progress progress = new Progress(epochs, steps);
    List<Double> curve = new ArrayList<>();
    double window = 0;
    long start = System.nanoTime();
    for (int epoch = 1; epoch <= epochs; epoch++) {
      progress.startEpoch();
      int step = 0;
      for (Tensor[] batch : loader) {
        optimizer.zeroGrad();
        Tensor loss = lossFn.forward(model.forward(batch[0]), batch[1]);
        loss.backward();
        optimizer.step();
        schedule.step();
        double l = loss.item();
        window += l;
        if (++step % every == 0) {
          curve.add(window / every);
          window = 0;
        }
        progress.step(epoch, step, batch[0].size(0), l);
      }
      window = 0;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double accuracy = Accuracy.of(model, test, 1000);
    System.out.printf(
        "training took %.1f s; test accuracy %.2f%% on %d images%n",
        seconds, 100 * accuracy, test.size());
    LossPlot.save(
        a.path("plot", LossPlot.defaultPath(sample)),
        sample + " (Adam, batch " + batchSize + ")",
        "epoch",
        (double) every / steps,
        false,
        List.of("training loss (mean of " + every + " steps)"),
        List.of(curve));
    return accuracy;
  }
}
