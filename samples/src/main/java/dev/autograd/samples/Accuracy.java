package dev.autograd.samples;

import dev.autograd.core.Autograd;
import dev.autograd.core.GradMode;
import dev.autograd.core.Tensor;
import dev.autograd.nn.Module;
import dev.autograd.nn.data.DataLoader;
import dev.autograd.nn.data.Dataset;

/** Classification accuracy of a model over a data set of (input, INT64 label) pairs. */
public final class Accuracy {
  private Accuracy() {}

  /** The fraction of samples whose arg-max logit is the label; runs in eval mode without grad. */
  public static double of(Module model, Dataset<Tensor[]> data, int batchSize) {
    boolean training = model.isTraining();
    model.eval();
    long correct = 0;
    try (GradMode.Scope s = Autograd.noGrad()) {
      for (Tensor[] batch : new DataLoader(data, batchSize)) {
        Tensor predicted = model.forward(batch[0]).argmax(1, false);
        correct += (long) predicted.eq(batch[1]).sum().item();
      }
    } finally {
      model.train(training);
    }
    return (double) correct / data.size();
  }
}
