package dev.autograd.nn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.core.Tensor;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Named options ({@code SGD.with(params).lr(0.1).momentum(0.9).build()}): same optimizer, PyTorch's
 * defaults, checked values.
 */
class OptimizerBuildersTest {
  /** Parameters after a few steps on f(p) = sum(p^3 / 3 + p) from fixed values. */
  private static double[] run(Function<List<Tensor>, Optimizer> make) {
    Tensor p = Tensor.of(new double[] {0.5, -1.5}).requiresGrad_();
    Optimizer opt = make.apply(List.of(p));
    for (int t = 0; t < 4; t++) {
      opt.zeroGrad();
      p.pow(3).div(3).add(p).sum().backward();
      opt.step();
    }
    return p.toDoubleArray();
  }

  private static Map<String, Object> options(Function<List<Tensor>, Optimizer> make) {
    return make.apply(List.of(Tensor.zeros(2).requiresGrad_())).paramGroups().get(0).options();
  }

  private static void assertRejected(String message, Executable build) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
    assertEquals(message, e.getMessage());
  }

  @Test
  void namedOptionsGiveTheSameOptimizerAsThePositionalConstructor() {
    assertArrayEquals(
        run(ps -> new SGD(ps, 0.1, 0.8, 0.3, 0.05, false)),
        run(ps -> SGD.with(ps).lr(0.1).momentum(0.8).dampening(0.3).weightDecay(0.05).build()));
    assertArrayEquals(
        run(ps -> new SGD(ps, 0.1, 0.9, 0, 0, true)),
        run(ps -> SGD.with(ps).lr(0.1).momentum(0.9).nesterov(true).build()));
    assertArrayEquals(
        run(ps -> new Adam(ps, 0.05, 0.8, 0.9, 1e-6, 0.1, true)),
        run(
            ps ->
                Adam.with(ps)
                    .lr(0.05)
                    .betas(0.8, 0.9)
                    .eps(1e-6)
                    .weightDecay(0.1)
                    .amsgrad(true)
                    .build()));
    assertArrayEquals(
        run(ps -> new AdamW(ps, 0.05, 0.8, 0.9, 1e-6, 0.1, false)),
        run(ps -> AdamW.with(ps).lr(0.05).betas(0.8, 0.9).eps(1e-6).weightDecay(0.1).build()));
    assertArrayEquals(
        run(ps -> new RMSprop(ps, 0.01, 0.9, 1e-6, 0.1, 0.5, true)),
        run(
            ps ->
                RMSprop.with(ps)
                    .lr(0.01)
                    .alpha(0.9)
                    .eps(1e-6)
                    .weightDecay(0.1)
                    .momentum(0.5)
                    .centered(true)
                    .build()));
    assertArrayEquals(
        run(ps -> new Adagrad(ps, 0.1, 0.01, 0.1, 0.2, 1e-8)),
        run(
            ps ->
                Adagrad.with(ps)
                    .lr(0.1)
                    .lrDecay(0.01)
                    .weightDecay(0.1)
                    .initialAccumulatorValue(0.2)
                    .eps(1e-8)
                    .build()));
  }

  @Test
  void unsetOptionsTakePyTorchsDefaults() {
    assertEquals(
        Map.of(
            "lr",
            1e-3,
            "beta1",
            0.9,
            "beta2",
            0.999,
            "eps",
            1e-8,
            "weight_decay",
            0.0,
            "amsgrad",
            false),
        options(ps -> Adam.with(ps).build()));
    assertEquals(0.01, options(ps -> AdamW.with(ps).build()).get("weight_decay"));
    assertEquals(1e-3, options(ps -> AdamW.with(ps).build()).get("lr"));
    assertEquals(
        Map.of(
            "lr",
            1e-2,
            "alpha",
            0.99,
            "eps",
            1e-8,
            "weight_decay",
            0.0,
            "momentum",
            0.0,
            "centered",
            false),
        options(ps -> RMSprop.with(ps).build()));
    assertEquals(
        Map.of(
            "lr",
            1e-2,
            "lr_decay",
            0.0,
            "weight_decay",
            0.0,
            "initial_accumulator_value",
            0.0,
            "eps",
            1e-10),
        options(ps -> Adagrad.with(ps).build()));
    assertEquals(
        Map.of(
            "lr", 0.5, "momentum", 0.0, "dampening", 0.0, "weight_decay", 0.0, "nesterov", false),
        options(ps -> SGD.with(ps).lr(0.5).build()));
  }

  @Test
  void badValuesAreRejectedNamingTheOption() {
    List<Tensor> ps = List.of(Tensor.zeros(2).requiresGrad_());
    assertRejected(
        "SGD: lr is required (it has no default): SGD.with(params).lr(0.01).build()",
        () -> SGD.with(ps).build());
    assertRejected(
        "SGD: lr must be a finite number >= 0, got -0.1", () -> SGD.with(ps).lr(-0.1).build());
    assertRejected(
        "SGD: momentum must be a finite number >= 0, got -0.9",
        () -> SGD.with(ps).lr(0.1).momentum(-0.9).build());
    assertRejected(
        "SGD: nesterov requires momentum > 0 and dampening 0, got momentum 0.0, dampening 0.0",
        () -> SGD.with(ps).lr(0.1).nesterov(true).build());
    assertRejected(
        "Adam: beta2 must be in [0, 1), got 1.0", () -> Adam.with(ps).betas(0.9, 1.0).build());
    assertRejected(
        "Adam: lr must be a finite number >= 0, got NaN",
        () -> Adam.with(ps).lr(Double.NaN).build());
    assertRejected(
        "AdamW: weightDecay must be a finite number >= 0, got -0.01",
        () -> AdamW.with(ps).weightDecay(-0.01).build());
    assertRejected(
        "RMSprop: eps must be a finite number >= 0, got -1.0E-8",
        () -> RMSprop.with(ps).eps(-1e-8).build());
    assertRejected(
        "Adagrad: lrDecay must be a finite number >= 0, got -1.0",
        () -> Adagrad.with(ps).lrDecay(-1).build());
    assertRejected(
        "Adam.with(params): params is null; pass model.parameters()", () -> Adam.with(null));
    // the positional constructors run the same checks
    assertRejected(
        "RMSprop: momentum must be a finite number >= 0, got -0.5",
        () -> new RMSprop(ps, 0.01, 0.99, 1e-8, 0, -0.5, false));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> SGD.with(List.of()).lr(0.1).build())
            .getMessage()
            .contains("empty parameter list"));
  }
}
