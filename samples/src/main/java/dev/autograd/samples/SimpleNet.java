package dev.autograd.samples;

import dev.autograd.core.Autograd;
import dev.autograd.core.Tensor;
import dev.autograd.nn.Linear;
import dev.autograd.nn.MSELoss;
import dev.autograd.nn.Module;
import dev.autograd.nn.ReLU;
import dev.autograd.nn.optim.SGD;

/**
 * Seed 003: SimpleNet (Linear(10, 50) - ReLU - Linear(50, 1)), MSELoss and one SGD step, then a few
 * more.
 */
public final class SimpleNet extends Module {
  private final Linear fc1 = registerModule("fc1", new Linear(10, 50));
  private final ReLU relu = registerModule("relu", new ReLU());
  private final Linear fc2 = registerModule("fc2", new Linear(50, 1));

  @Override
  public Tensor forward(Tensor x) {
    x = fc1.forward(x);
    x = relu.forward(x);
    x = fc2.forward(x);
    return x;
  }

  public static void main(String[] args) {
    Autograd.manualSeed(0);
    SimpleNet model = new SimpleNet();
    MSELoss criterion = new MSELoss();
    SGD optimizer = new SGD(model.parameters(), 0.01);
    Tensor input = Tensor.randn(5, 10);
    Tensor target = Tensor.randn(5, 1);

    Tensor output = model.forward(input);
    Tensor loss = criterion.forward(output, target);
    optimizer.zeroGrad();
    loss.backward();
    optimizer.step();
    System.out.println(model);
    System.out.printf("loss before the step: %.4f%n", loss.item());
    for (int step = 2; step <= 100; step++) {
      loss = criterion.forward(model.forward(input), target);
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
    }
    System.out.printf("loss after 100 steps: %.4f%n", loss.item());
  }
}
