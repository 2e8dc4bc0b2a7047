package dev.autograd.core;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Gradcheck (central differences in FLOAT64) on every row of {@link OpCases}: every differentiable
 * op of the core and the nn primitives, with broadcast, transposed and expanded inputs; second
 * order ({@code gradgradcheck}) for smooth ops.
 */
class OpsGradcheckTest {
  static List<OpCases.Case> cases() {
    return OpCases.gradcheck();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientsMatchFiniteDifferences(OpCases.Case c) {
    Gradcheck.assertGradients(c.f(), c.inputs().get());
    if (c.secondOrder()) Gradcheck.assertSecondOrder(c.f(), c.inputs().get());
  }
}
