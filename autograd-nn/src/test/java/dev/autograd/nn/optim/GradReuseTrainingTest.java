package dev.autograd.nn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.autograd.core.DType;
import dev.autograd.core.Generator;
import dev.autograd.core.Reduction;
import dev.autograd.core.Tensor;
import dev.autograd.nn.Linear;
import dev.autograd.nn.MSELoss;
import dev.autograd.nn.ReLU;
import dev.autograd.nn.Sequential;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Training with zeroGrad() between steps reuses the gradient arrays of the previous step: the
 * weights must follow exactly the same path as with a user optimizer that reads every gradient
 * (never recycled), and a gradient the user kept must keep its values.
 */
class GradReuseTrainingTest {
  /** SGD's update, in a subclass: its gradients count as read by the user (never recycled). */
  static final class ReadingSgd extends SGD {
    ReadingSgd(List<Tensor> params, double lr) {
      super(params, lr);
    }

    @Override
    protected void update(Tensor p, Tensor grad, ParamGroup g, Map<String, Object> st) {
      super.update(p, grad, g, st);
    }
  }

  private static Sequential model() {
    Generator gen = new Generator(3);
    return new Sequential(new Linear(300, 40, true, gen), new ReLU(), new Linear(40, 5, true, gen));
  }

  private static double[][] train(Sequential m, Optimizer opt, int steps, List<Tensor> keep) {
    Generator gen = new Generator(4);
    Tensor x = Tensor.randn(gen, DType.FLOAT32, 32, 300),
        y = Tensor.randn(gen, DType.FLOAT32, 32, 5);
    MSELoss loss = new MSELoss(Reduction.SUM);
    for (int i = 0; i < steps; i++) {
      opt.zeroGrad();
      loss.forward(m.forward(x), y).backward();
      opt.step();
      if (keep != null && i == 2)
        keep.add(m.parameters().get(0).grad()); // the user keeps one gradient
    }
    return m.parameters().stream().map(Tensor::toDoubleArray).toArray(double[][]::new);
  }

  @Test
  void sgdAndAdamFollowTheSamePathWithReusedGradients() {
    for (boolean adam : new boolean[] {false, true}) {
      Sequential a = model(), b = model();
      Optimizer reusing =
          adam
              ? new Adam(a.parameters(), 1e-3, 0.9, 0.999, 1e-8, 0, false)
              : new SGD(a.parameters(), 1e-3);
      Optimizer reading =
          adam
              ? new Adam(b.parameters(), 1e-3, 0.9, 0.999, 1e-8, 0, false) {
                @Override
                protected void update(Tensor p, Tensor grad, ParamGroup g, Map<String, Object> st) {
                  super.update(p, grad, g, st);
                }
              }
              : new ReadingSgd(b.parameters(), 1e-3);
      double[][] got = train(a, reusing, 20, null), want = train(b, reading, 20, null);
      for (int i = 0; i < got.length; i++)
        assertArrayEquals(want[i], got[i], 0, (adam ? "Adam" : "SGD") + ", parameter " + i);
    }
  }

  @Test
  void aGradientTheUserKeptKeepsItsValues() {
    Sequential m = model();
    SGD opt = new SGD(m.parameters(), 1e-3);
    List<Tensor> kept = new java.util.ArrayList<>();
    train(m, opt, 3, kept);
    double[] values = kept.get(0).toDoubleArray();
    train(m, opt, 10, null); // ten more steps, zeroGrad() before each
    assertArrayEquals(values, kept.get(0).toDoubleArray(), 0);
  }
}
