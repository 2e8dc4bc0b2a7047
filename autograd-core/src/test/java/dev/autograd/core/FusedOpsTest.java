package dev.autograd.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.autograd.core.internal.optim.FusedUpdates;
import org.junit.jupiter.api.Test;

/** Fused kernels (Adam's update, relu and clamp gradients) against the same math op by op. */
class FusedOpsTest {
  private static Tensor rand(int seed, DType dt, int... shape) {
    return Tensor.rand(new Generator(seed), dt, shape).sub(0.5);
  }

  /** Adam written op by op, as the optimizer did before the fused update. */
  private static void adamOpByOp(
      Tensor p,
      Tensor grad,
      Tensor m,
      Tensor v,
      Tensor max,
      double lr,
      double b1,
      double b2,
      double eps,
      double wd,
      int step) {
    Tensor gr = wd != 0 ? grad.add(p, wd) : grad;
    m.mul_(b1).add_(gr, 1 - b1);
    v.mul_(b2).add_(gr.mul(gr), 1 - b2);
    Tensor vHat = v;
    if (max != null) {
      max.copy_(max.maximum(v));
      vHat = max;
    }
    Tensor denom = vHat.sqrt().div_(Math.sqrt(1 - Math.pow(b2, step))).add_(eps);
    p.add_(m.div(denom), -lr / (1 - Math.pow(b1, step)));
  }

  @Test
  void fusedAdamEqualsTheOpByOpUpdateBitForBit() {
    for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
      for (boolean ams : new boolean[] {false, true}) {
        for (double wd : new double[] {0, 0.01}) {
          Tensor p = rand(1, dt, 37, 19),
              m = Tensor.zerosLike(p),
              v = Tensor.zerosLike(p),
              max = ams ? Tensor.zerosLike(p) : null;
          Tensor p2 = p.clone(), m2 = m.clone(), v2 = v.clone(), max2 = ams ? max.clone() : null;
          try (GradMode.Scope s = Autograd.noGrad()) {
            for (int step = 1; step <= 5; step++) {
              Tensor g = rand(10 + step, dt, 37, 19);
              FusedUpdates.adam_(p, g, m, v, max, 1e-2, 0.9, 0.999, 1e-8, wd, step);
              adamOpByOp(p2, g, m2, v2, max2, 1e-2, 0.9, 0.999, 1e-8, wd, step);
            }
          }
          String what = dt + " amsgrad=" + ams + " wd=" + wd;
          assertArrayEquals(p2.toDoubleArray(), p.toDoubleArray(), 0, what);
          assertArrayEquals(m2.toDoubleArray(), m.toDoubleArray(), 0, what);
          assertArrayEquals(v2.toDoubleArray(), v.toDoubleArray(), 0, what);
        }
      }
    }
  }

  @Test
  void fusedAdamFallsBackForViewsAndRejectsLeavesUnderGrad() {
    Tensor p = rand(2, DType.FLOAT32, 8, 6), g = rand(3, DType.FLOAT32, 6, 8).t();
    Tensor m = Tensor.zerosLike(p), v = Tensor.zerosLike(p);
    Tensor p2 = p.clone(), m2 = m.clone(), v2 = v.clone();
    FusedUpdates.adam_(
        p, g, m, v, null, 0.1, 0.9, 0.999, 1e-8, 0, 1); // a transposed gradient: op by op
    adamOpByOp(p2, g, m2, v2, null, 0.1, 0.9, 0.999, 1e-8, 0, 1);
    assertArrayEquals(p2.toDoubleArray(), p.toDoubleArray(), 0);
    Tensor w = rand(4, DType.FLOAT32, 5).requiresGrad_();
    assertThrows(
        IllegalStateException.class,
        () ->
            FusedUpdates.adam_(
                w,
                Tensor.ones(5),
                Tensor.zeros(5),
                Tensor.zeros(5),
                null,
                0.1,
                0.9,
                0.999,
                1e-8,
                0,
                1));
  }

  @Test
  void reluAndClampGradientsMatchMasksIncludingTheirSecondOrder() {
    Tensor x = Tensor.of(new double[] {-2, -0.5, 0, 0.25, 0.5, 1, 3}).requiresGrad_();
    Tensor[] g =
        Autograd.grad(
            new Tensor[] {x.relu().mul(x).sum()}, new Tensor[] {x}, null, true, true, false);
    assertArrayEquals(new double[] {0, 0, 0, 0.5, 1, 2, 6}, g[0].toDoubleArray(), 1e-7);
    Tensor[] gg =
        Autograd.grad(new Tensor[] {g[0].sum()}, new Tensor[] {x}, null, false, false, false);
    assertArrayEquals(new double[] {0, 0, 0, 2, 2, 2, 2}, gg[0].toDoubleArray(), 1e-7);
    Tensor y = Tensor.of(new double[] {-2, -0.5, 0, 0.25, 0.5, 1, 3}).requiresGrad_();
    y.clamp(-0.5, 0.5).mul(Tensor.of(new double[] {1, 2, 3, 4, 5, 6, 7})).sum().backward();
    assertArrayEquals(new double[] {0, 2, 3, 4, 5, 0, 0}, y.grad().toDoubleArray(), 0);
  }

  @Test
  void tanhAndSigmoidGradientsPassSecondOrderGradcheck() {
    Tensor x = rand(5, DType.FLOAT64, 3, 4).mul(3).requiresGrad_();
    Gradcheck.assertSecondOrder(in -> in[0].tanh().mul(in[0]), x);
    Gradcheck.assertSecondOrder(in -> in[0].sigmoid().mul(in[0]), x);
    Gradcheck.assertSecondOrder(in -> in[0].tanh().sigmoid(), x);
  }
}
