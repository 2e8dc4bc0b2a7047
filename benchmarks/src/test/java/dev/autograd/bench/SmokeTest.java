package dev.autograd.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.core.Generator;
import dev.autograd.core.Tensor;
import org.junit.jupiter.api.Test;

/** The workloads run and give finite results; no timing here (benchmarks never run in verify). */
class SmokeTest {
  @Test
  void scalarChainComputesTheRecurrence() {
    ScalarGraph.Built b = ScalarGraph.chain(3, true);
    double y = 0.5;
    for (int i = 0; i < 3; i++) y = Math.tanh(y * 0.9 + 0.1);
    assertEquals(y, b.y().item(), 1e-6);
  }

  @Test
  void seedStepsReduceTheLoss() {
    SeedMlp.Nn nn = new SeedMlp.Nn(new Generator(0));
    double first = nn.step();
    double later = first;
    for (int i = 0; i < 5; i++) later = nn.step();
    assertTrue(later < first, "loss " + first + " -> " + later);
    SeedMlp.Raw raw = new SeedMlp.Raw(new Generator(0));
    assertTrue(Double.isFinite(raw.step()));
  }

  @Test
  void elementwiseChainHasAGradient() {
    Tensor x = Tensor.rand(new Generator(0), dev.autograd.core.DType.FLOAT32, 100).requiresGrad_();
    ElementwiseChain.forward(x, 20).backward();
    assertEquals(100, x.grad().numel());
  }

  @Test
  void reportFormatsLikePython() {
    assertEquals("6074", Report.g4(6074.2));
    assertEquals("0.156", Report.g4(0.156));
    assertEquals("12.35", Report.g4(12.345));
    assertEquals("1.235e+05", Report.g4(123456));
  }
}
