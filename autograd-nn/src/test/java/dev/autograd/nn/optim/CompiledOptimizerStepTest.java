package dev.autograd.nn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.core.Autograd;
import dev.autograd.core.CompiledFunction;
import dev.autograd.core.DType;
import dev.autograd.core.Generator;
import dev.autograd.core.Tensor;
import dev.autograd.nn.CrossEntropyLoss;
import dev.autograd.nn.Linear;
import dev.autograd.nn.ReLU;
import dev.autograd.nn.Sequential;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A whole nn training step (zeroGrad, forward, loss, backward, optimizer step) compiled: the
 * replays give the eager run's losses, weights, gradients and optimizer state, bit for bit.
 */
class CompiledOptimizerStepTest {
  private static Sequential mlp() {
    Generator gen = new Generator(4);
    return new Sequential(
        new Linear(24, 16, true, gen),
        new ReLU(),
        new Linear(16, 8, true, gen),
        new ReLU(),
        new Linear(8, 3, true, gen));
  }

  private static void trainsLikeEager(Function<List<Tensor>, Optimizer> make, int steps) {
    Generator g = new Generator(5);
    Tensor x = Tensor.randn(g, DType.FLOAT32, 10, 24);
    Tensor y = Tensor.randint(g, 0, 3, 10);
    Sequential eager = mlp(), compiled = mlp();
    Optimizer eagerOpt = make.apply(eager.parameters()),
        compiledOpt = make.apply(compiled.parameters());
    CrossEntropyLoss lossFn = new CrossEntropyLoss();
    CompiledFunction step =
        Autograd.compile(
            a -> {
              compiledOpt.zeroGrad();
              Tensor loss = lossFn.forward(compiled.forward(a[0]), a[1]);
              loss.backward();
              compiledOpt.step();
              return loss;
            });
    for (int t = 0; t < steps; t++) {
      eagerOpt.zeroGrad();
      Tensor le = lossFn.forward(eager.forward(x), y);
      le.backward();
      eagerOpt.step();
      Tensor lc = step.call(x, y);
      assertEquals(le.item(), lc.item(), 0.0, "loss at step " + t);
      List<Tensor> pe = eager.parameters(), pc = compiled.parameters();
      for (int i = 0; i < pe.size(); i++) {
        assertArrayEquals(
            pe.get(i).toFloatArray(), pc.get(i).toFloatArray(), "parameter " + i + " at step " + t);
        assertArrayEquals(
            pe.get(i).grad().toFloatArray(),
            pc.get(i).grad().toFloatArray(),
            "gradient " + i + " at step " + t);
      }
    }
    assertTrue(step.replayCount() >= steps - 3, step.explain() + "\n" + step);
  }

  @Test
  void adamStepsReplayLikeEager() {
    trainsLikeEager(p -> new Adam(p, 1e-2), 25);
  }

  @Test
  void adamWithAmsgradAndWeightDecayReplaysLikeEager() {
    trainsLikeEager(p -> Adam.with(p).lr(1e-2).weightDecay(0.1).amsgrad(true).build(), 15);
  }

  @Test
  void sgdWithMomentumReplaysLikeEager() {
    trainsLikeEager(p -> SGD.with(p).lr(0.05).momentum(0.9).weightDecay(1e-3).build(), 25);
  }

  @Test
  void adamsStepCountIsATensorThatStateDictsCarry() {
    Sequential m = mlp();
    Adam opt = new Adam(m.parameters(), 1e-3);
    for (Tensor p : m.parameters()) p.setGrad(Tensor.onesLike(p));
    opt.step();
    opt.step();
    Object step =
        ((java.util.Map<?, ?>) ((java.util.Map<?, ?>) opt.stateDict().get("state")).get(0))
            .get("step");
    assertEquals(2.0, ((Tensor) step).item(), 0.0);
  }
}
