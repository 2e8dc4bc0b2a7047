package dev.autograd.samples;

import dev.autograd.core.Autograd;
import dev.autograd.core.Tensor;
import dev.autograd.nn.Linear;
import dev.autograd.nn.MSELoss;
import dev.autograd.nn.Module;
import dev.autograd.nn.optim.SGD;

/** Seed 000, example 3: y = 2x + 3 with nn.Linear(1, 1), MSELoss and SGD (lr 0.01), 100 epochs. */
public final class LinearRegressionNn {
  /** The seed's model: one Linear layer. */
  static final class LinearRegression extends Module {
    final Linear linear = registerModule("linear", new Linear(1, 1));

    @Override
    public Tensor forward(Tensor x) {
      return linear.forward(x);
    }
  }

  public static void main(String[] args) {
    Autograd.manualSeed(0);
    LinearRegression model = new LinearRegression();
    MSELoss criterion = new MSELoss();
    SGD optimizer = new SGD(model.parameters(), 0.01);
    for (int epoch = 0; epoch < 100; epoch++) {
      Tensor x = Tensor.rand(100, 1);
      Tensor y = x.mul(2).add(3);
      Tensor outputs = model.forward(x);
      Tensor loss = criterion.forward(outputs, y);
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
      if ((epoch + 1) % 10 == 0)
        System.out.printf("Epoch [%d/%d], Loss: %.4f%n", epoch + 1, 100, loss.item());
    }
  }
}
