package consumer;

import dev.autograd.core.Autograd;
import dev.autograd.core.Tensor;
import dev.autograd.nn.Linear;
import dev.autograd.nn.MSELoss;
import dev.autograd.nn.optim.SGD;

/** A user's Java program on autograd-nn alone: y = 2x + 3 with Linear, MSELoss and SGD. */
public class Main {
  public static void main(String[] args) {
    Autograd.manualSeed(0);
    Tensor x = Tensor.arange(10).unsqueeze(1).div(10.0);
    Tensor y = x.mul(2.0).add(3.0);
    Linear model = new Linear(1, 1);
    MSELoss lossFn = new MSELoss();
    SGD optimizer = new SGD(model.parameters(), 0.5);
    double loss = 0;
    for (int step = 0; step < 500; step++) {
      Tensor l = lossFn.forward(model.forward(x), y);
      optimizer.zeroGrad();
      l.backward();
      optimizer.step();
      loss = l.item();
    }
    System.out.printf("fitted y = 2x + 3: loss below 1e-6 = %b%n", loss < 1e-6);
  }
}
