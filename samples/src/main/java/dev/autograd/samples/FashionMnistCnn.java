package dev.autograd.samples;

import dev.autograd.core.Autograd;
import dev.autograd.nn.Conv2d;
import dev.autograd.nn.Flatten;
import dev.autograd.nn.Linear;
import dev.autograd.nn.MaxPool2d;
import dev.autograd.nn.ReLU;
import dev.autograd.nn.Sequential;

/**
 * Real training: a small CNN on Fashion-MNIST — (conv 3x3 - ReLU - max-pool 2) twice, then two
 * linear layers — trained with Adam and a cosine learning-rate schedule; prints the test accuracy.
 * Needs the data set ({@code sudo apt-get install dataset-fashion-mnist}); see {@link
 * FashionMnistTrainer} for the arguments.
 */
public final class FashionMnistCnn {
  public static void main(String[] args) {
    Autograd.manualSeed(0);
    Sequential model =
        new Sequential(
            new Conv2d(1, 8, 3, 1, 1),
            new ReLU(),
            new MaxPool2d(2), // [N, 8, 14, 14]
            new Conv2d(8, 16, 3, 1, 1),
            new ReLU(),
            new MaxPool2d(2), // [N, 16, 7, 7]
            new Flatten(),
            new Linear(16 * 7 * 7, 64),
            new ReLU(),
            new Linear(64, 10));
    FashionMnistTrainer.run(
        "FashionMnistCnn", model, new FashionMnistTrainer.Defaults(4, 64, 2e-3), args);
  }
}
