package dev.autograd.nn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.autograd.core.DType;
import dev.autograd.core.Tensor;
import dev.autograd.nn.ClipGrad;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Optimizer updates against scalar re-derivations of PyTorch's formulas, groups, state dicts,
 * schedulers, clipping.
 */
class OptimTest {
  /** Minimizes f(p) = sum(p^3 / 3 + p) (gradient p^2 + 1) for a few steps from fixed values. */
  private static double[] run(Function<List<Tensor>, Optimizer> make, int steps) {
    Tensor p = Tensor.of(new double[] {0.5, -1.5}).requiresGrad_();
    Optimizer opt = make.apply(List.of(p));
    for (int t = 0; t < steps; t++) {
      opt.zeroGrad();
      p.pow(3).div(3).add(p).sum().backward();
      opt.step();
    }
    return p.toDoubleArray();
  }

  private interface Rule {
    double step(double p, double g, int t, double[] s);
  }

  private static double[] reference(Rule rule, int steps) {
    double[] p = {0.5, -1.5};
    for (int i = 0; i < 2; i++) {
      double[] s = new double[4];
      for (int t = 1; t <= steps; t++) p[i] = rule.step(p[i], p[i] * p[i] + 1, t, s);
    }
    return p;
  }

  @Test
  void sgdWithDampeningAndWeightDecay() {
    double lr = 0.1, mom = 0.8, damp = 0.3, wd = 0.05;
    double[] want =
        reference(
            (p, g, t, s) -> {
              double d = g + wd * p;
              s[0] = t == 1 ? d : mom * s[0] + (1 - damp) * d;
              return p - lr * s[0];
            },
            5);
    assertArrayEquals(want, run(ps -> new SGD(ps, lr, mom, damp, wd, false), 5), 1e-14);
  }

  @Test
  void adamWithAmsgrad() {
    double lr = 0.05, b1 = 0.8, b2 = 0.9, eps = 1e-6, wd = 0.1;
    double[] want =
        reference(
            (p, g, t, s) -> {
              g = g + wd * p;
              s[0] = b1 * s[0] + (1 - b1) * g;
              s[1] = b2 * s[1] + (1 - b2) * g * g;
              s[2] = Math.max(s[2], s[1]);
              double denom = Math.sqrt(s[2]) / Math.sqrt(1 - Math.pow(b2, t)) + eps;
              return p - lr / (1 - Math.pow(b1, t)) * s[0] / denom;
            },
            6);
    assertArrayEquals(want, run(ps -> new Adam(ps, lr, b1, b2, eps, wd, true), 6), 1e-14);
  }

  @Test
  void rmspropCenteredWithMomentum() {
    double lr = 0.01, alpha = 0.9, eps = 1e-8, mom = 0.5;
    double[] want =
        reference(
            (p, g, t, s) -> {
              s[0] = alpha * s[0] + (1 - alpha) * g * g;
              s[1] = alpha * s[1] + (1 - alpha) * g;
              double avg = Math.sqrt(s[0] - s[1] * s[1]) + eps;
              s[2] = mom * s[2] + g / avg;
              return p - lr * s[2];
            },
            5);
    assertArrayEquals(want, run(ps -> new RMSprop(ps, lr, alpha, eps, 0, mom, true), 5), 1e-13);
  }

  @Test
  void adagradWithDecayAndInitialAccumulator() {
    double lr = 0.1, decay = 0.2, init = 0.5, eps = 1e-10;
    double[] want =
        reference(
            (p, g, t, s) -> {
              if (t == 1) s[0] = init;
              s[0] += g * g;
              return p - lr / (1 + (t - 1) * decay) * g / (Math.sqrt(s[0]) + eps);
            },
            5);
    assertArrayEquals(want, run(ps -> new Adagrad(ps, lr, decay, 0, init, eps), 5), 1e-14);
  }

  @Test
  void paramGroupsHaveTheirOwnOptions() {
    Tensor a = Tensor.of(new double[] {1}).requiresGrad_(),
        b = Tensor.of(new double[] {1}).requiresGrad_();
    SGD opt = new SGD(List.of(a), 0.1);
    opt.addParamGroup(List.of(b), Map.of("lr", 0.01));
    a.mul(2).add(b.mul(2)).sum().backward();
    opt.step();
    assertEquals(0.8, a.item(), 1e-15);
    assertEquals(0.98, b.item(), 1e-15);
    opt.zeroGrad();
    assertNull(a.grad());
    assertThrows(IllegalArgumentException.class, () -> opt.addParamGroup(List.of(a), Map.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> opt.addParamGroup(List.of(Tensor.zeros(1).requiresGrad_()), Map.of("betas", 1)));
  }

  private static void cubeStep(Tensor p, Optimizer o) {
    o.zeroGrad();
    p.pow(3).div(3).add(p).sum().backward();
    o.step();
  }

  @Test
  void stateDictResumesTraining() {
    Tensor p = Tensor.of(new double[] {0.5, -1.5}).requiresGrad_();
    Adam opt = new Adam(List.of(p), 0.05);
    for (int t = 0; t < 3; t++) cubeStep(p, opt);
    Map<String, Object> saved = opt.stateDict();
    Tensor q = Tensor.of(p.toDoubleArray()).requiresGrad_();
    Adam resumed = new Adam(List.of(q), 0.5);
    resumed.loadStateDict(saved);
    assertEquals(0.05, resumed.paramGroups().get(0).lr(), 0);
    cubeStep(p, opt);
    cubeStep(q, resumed);
    assertArrayEquals(p.toDoubleArray(), q.toDoubleArray(), 0);
    assertThrows(
        IllegalArgumentException.class,
        () -> new Adam(List.of(q, Tensor.zeros(1).requiresGrad_()), 0.1).loadStateDict(saved));
  }

  @Test
  void schedulers() {
    Tensor p = Tensor.zeros(DType.FLOAT64, 1).requiresGrad_();
    SGD a = new SGD(List.of(p), 1.0);
    StepLR step = new StepLR(a, 2, 0.5);
    double[] lrs = new double[5];
    for (int e = 0; e < 5; e++) {
      step.step();
      lrs[e] = a.paramGroups().get(0).lr();
    }
    assertArrayEquals(new double[] {1, 0.5, 0.5, 0.25, 0.25}, lrs, 0);
    SGD b = new SGD(List.of(p), 2.0);
    new ExponentialLR(b, 0.9).step();
    assertEquals(1.8, b.paramGroups().get(0).lr(), 1e-15);
    SGD c = new SGD(List.of(p), 1.0);
    CosineAnnealingLR cos = new CosineAnnealingLR(c, 4, 0.1);
    cos.step();
    cos.step();
    assertEquals(0.55, c.paramGroups().get(0).lr(), 1e-15);
    SGD d = new SGD(List.of(p), 3.0);
    LambdaLR lam = new LambdaLR(d, e -> 1.0 / (e + 1));
    lam.step();
    assertEquals(List.of(1.5), lam.getLastLr());
  }

  @Test
  void clipping() {
    Tensor a = Tensor.zeros(DType.FLOAT64, 2).requiresGrad_(),
        b = Tensor.zeros(DType.FLOAT64, 1).requiresGrad_();
    a.setGrad(Tensor.of(new double[] {3, 0}));
    b.setGrad(Tensor.of(new double[] {4}));
    double norm = ClipGrad.clipGradNorm_(List.of(a, b), 1.0);
    assertEquals(5, norm, 1e-15);
    assertArrayEquals(new double[] {3 / (5 + 1e-6), 0}, a.grad().toDoubleArray(), 1e-15);
    ClipGrad.clipGradValue_(List.of(a, b), 0.5);
    assertArrayEquals(new double[] {0.5}, b.grad().toDoubleArray(), 0);
    assertEquals(0.5, ClipGrad.clipGradNorm_(List.of(b), 1, Double.POSITIVE_INFINITY), 0);
  }
}
