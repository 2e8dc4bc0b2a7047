package dev.autograd.samples;

import dev.autograd.core.Autograd;
import dev.autograd.core.Generator;
import dev.autograd.core.GradMode;
import dev.autograd.core.Tensor;
import dev.autograd.nn.Linear;
import dev.autograd.nn.MSELoss;
import dev.autograd.nn.data.DataLoader;
import dev.autograd.nn.data.TensorDataset;
import dev.autograd.nn.optim.SGD;

/**
 * Seed 001: gradient accumulation. Gradients add up in {@code .grad} across backward calls, so
 * {@code accumulationSteps} mini-batches of 16, each loss divided by {@code accumulationSteps},
 * give the gradient of one batch of 64 before {@code step()} and {@code zeroGrad()}.
 */
public final class GradientAccumulation {
  public static void main(String[] args) {
    System.out.println(
        "The seed's loop is a fragment (net, criterion, optimizer, trainloader and evaluate_model are not"
            + " defined there); here they are a Linear(4, 1) regression, MSELoss, SGD(lr 0.1), batches of 16 and the loss on all data");
    Autograd.manualSeed(0);
    Generator gen = new Generator(0);
    Tensor trueW = Tensor.of(new float[] {1.5f, -2f, 0.5f, 3f}, 4, 1);
    Tensor x = Tensor.randn(512, 4);
    Tensor y = x.mm(trueW).add(1).add(Tensor.randn(512, 1).mul(0.1));
    TensorDataset data = new TensorDataset(x, y);

    Linear net = new Linear(4, 1);
    MSELoss criterion = new MSELoss();
    SGD optimizer = new SGD(net.parameters(), 0.1);
    int accumulationSteps = 4, evaluationSteps = 32;

    // The accumulated gradient of 4 x 16 samples equals the gradient of the 64 samples at once.
    Tensor[] big = {x.narrow(0, 0, 64), y.narrow(0, 0, 64)};
    criterion.forward(net.forward(big[0]), big[1]).backward();
    Tensor full = net.weight().grad().clone();
    optimizer.zeroGrad();
    for (int k = 0; k < accumulationSteps; k++) {
      Tensor loss =
          criterion.forward(
              net.forward(big[0].narrow(0, 16 * k, 16)), big[1].narrow(0, 16 * k, 16));
      loss.div(accumulationSteps).backward();
    }
    System.out.printf(
        "accumulated vs one-batch gradient, max difference: %.2e%n",
        net.weight().grad().sub(full).abs().max().item());
    optimizer.zeroGrad();

    for (int epoch = 0; epoch < 3; epoch++) {
      int i = 0;
      for (Tensor[] batch : new DataLoader(data, 16, true, false, gen)) {
        Tensor outputs = net.forward(batch[0]); // forward pass
        Tensor loss = criterion.forward(outputs, batch[1]); // loss
        loss = loss.div(accumulationSteps); // normalise by the number of accumulated batches
        loss.backward(); // gradients add up in .grad
        if ((i + 1) % accumulationSteps == 0) {
          optimizer.step(); // update with the accumulated gradient
          optimizer.zeroGrad(); // then clear it
          if ((i + 1) % evaluationSteps == 0) {
            try (GradMode.Scope s = Autograd.noGrad()) {
              System.out.printf(
                  "epoch %d batch %d: loss on all data %.4f%n",
                  epoch + 1, i + 1, criterion.forward(net.forward(x), y).item());
            }
          }
        }
        i++;
      }
    }
    System.out.println(
        "learned weight " + net.weight() + " (true [1.5, -2, 0.5, 3]), bias " + net.bias());
  }
}
