package dev.autograd.samples;

import dev.autograd.core.Autograd;
import dev.autograd.nn.Flatten;
import dev.autograd.nn.Linear;
import dev.autograd.nn.ReLU;
import dev.autograd.nn.Sequential;

/**
 * Real training: Fashion-MNIST (60,000 28x28 images of clothes, 10 classes) with a 784-256-10 MLP
 * and Adam (cosine learning-rate schedule); prints the test accuracy on the 10,000 test images.
 * Needs the data set ({@code sudo apt-get install dataset-fashion-mnist}); see {@link
 * FashionMnistTrainer} for the arguments.
 */
public final class FashionMnistMlp {
  public static void main(String[] args) {
    Autograd.manualSeed(0);
    Sequential model =
        new Sequential(new Flatten(), new Linear(28 * 28, 256), new ReLU(), new Linear(256, 10));
    FashionMnistTrainer.run(
        "FashionMnistMlp", model, new FashionMnistTrainer.Defaults(5, 64, 1e-3), args);
  }
}
