package dev.autograd.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.core.Autograd;
import dev.autograd.core.Context;
import dev.autograd.core.DType;
import dev.autograd.core.Gradcheck;
import dev.autograd.core.MultiOutputFunction;
import dev.autograd.core.SavedTensorsHooks;
import dev.autograd.core.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's "Autograd, complete" examples (Java), run as they are shown, with their expected
 * values.
 */
class FullAutogradReadmeTest {
  static final class SortWithIndices extends MultiOutputFunction {
    @Override
    protected Tensor[] forward(Context ctx, Tensor... in) {
      Tensor indices = in[0].sort(0, false).indices();
      Tensor values = in[0].indexSelect(0, indices);
      ctx.markNonDifferentiable(indices);
      ctx.saveForBackward(indices);
      return new Tensor[] {values, indices};
    }

    @Override
    protected Tensor[] backward(
        Context ctx, Tensor... grads) { // grads[1] is zeros: indices have none
      Tensor indices = ctx.savedTensors()[0];
      return new Tensor[] {Tensor.zerosLike(grads[0]).indexAdd(0, indices, grads[0])};
    }
  }

  @Test
  void multiOutputFunction() {
    Tensor x = Tensor.of(new double[] {3, 1, 2}).requiresGrad_(true);
    Tensor[] sorted = new SortWithIndices().apply(x); // [1, 2, 3] and [1, 2, 0]
    sorted[0].mul(Tensor.of(new double[] {10, 20, 30})).sum().backward();
    System.out.println(x.grad()); // tensor([30., 10., 20.], dtype=torch.float64)
    assertArrayEquals(new double[] {30, 10, 20}, x.grad().toDoubleArray());
    assertArrayEquals(new double[] {1, 2, 3}, sorted[0].toDoubleArray());
    assertEquals(false, sorted[1].requiresGrad());
  }

  @Test
  void moduleHooks() {
    Linear layer = new Linear(3, 2);
    List<Tensor> gradOutputs = new ArrayList<>();
    var pre = layer.registerForwardPreHook((module, input) -> input.mul(2)); // replaces the input
    var post =
        layer.registerForwardHook((module, input, output) -> output.relu()); // replaces the output
    var back =
        layer.registerFullBackwardHook(
            (module, gradInput, gradOutput) -> {
              gradOutputs.add(gradOutput[0]);
              return null; // or a replacement gradInput
            });
    Tensor x = Tensor.randn(4, 3).requiresGrad_(true);
    layer
        .invoke(x)
        .sum()
        .backward(); // hooks run through invoke (model(x) in Kotlin), as PyTorch's __call__
    pre.remove();
    post.remove();
    back.remove();
    assertEquals(1, gradOutputs.size());
    assertArrayEquals(new int[] {4, 2}, gradOutputs.get(0).shape());
  }

  @Test
  void savedTensorsHooks() {
    Tensor w = Tensor.randn(100, 100).to(DType.FLOAT64).requiresGrad_(true);
    Tensor loss;
    try (SavedTensorsHooks h =
        Autograd.savedTensorsHooks(t -> t.to(DType.FLOAT32), (Tensor p) -> p.to(DType.FLOAT64))) {
      loss = w.tanh().mul(w).sum(); // what tanh and mul save is kept in float32
    }
    loss.backward(); // unpacked back to float64 as backward reads it
    assertArrayEquals(new int[] {100, 100}, w.grad().shape());
  }

  @Test
  void anomalyMode() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> {
              Tensor x = Tensor.of(new double[] {0, 1}).requiresGrad_(true);
              try (Autograd.AnomalyScope anomaly =
                  Autograd.detectAnomaly(true)) { // or Autograd.setDetectAnomaly(true)
                Tensor y = x.div(x).sum();
                y.backward(); // IllegalStateException: Function 'DivBackward0' returned nan
                // values in its 1th output.
              }
            });
    assertTrue(e.getSuppressed()[0].getMessage().startsWith("Error detected in DivBackward0"));
    assertEquals(
        "FullAutogradReadmeTest.java", e.getSuppressed()[0].getStackTrace()[0].getFileName());
  }

  @Test
  void backwardWithInputs() {
    Tensor x = Tensor.of(new double[] {1, 2}).requiresGrad_(true);
    Tensor w = Tensor.of(new double[] {3, 4}).requiresGrad_(true);
    Tensor y = x.mul(w).sum();
    y.backward(null, false, false, x); // only x.grad: [3, 4]; w.grad stays null
    Tensor[] g =
        Autograd.grad(
            new Tensor[] {x.mul(2).sum()},
            new Tensor[] {x, w},
            null,
            false,
            false,
            true); // g[1] == null: unused
    assertArrayEquals(new double[] {3, 4}, x.grad().toDoubleArray());
    assertNull(w.grad());
    assertNull(g[1]);
  }

  @Test
  void gradcheck() {
    Tensor a = Tensor.randn(3, 4).to(DType.FLOAT64).requiresGrad_(true);
    Tensor b = Tensor.randn(4).to(DType.FLOAT64).requiresGrad_(true);
    Gradcheck.gradcheck(
        in -> in[0].matmul(in[1]).tanh(), a, b); // true, or an AssertionError naming the element
    Gradcheck.gradgradcheck(in -> in[0].matmul(in[1]).tanh(), a, b); // second derivatives
    Gradcheck.gradcheck(
        in -> in[0].exp(),
        new Tensor[] {a},
        1e-6,
        1e-5,
        1e-3,
        0.0); // nondetTol 0: backward must be deterministic
    assertThrows(
        IllegalArgumentException.class, () -> Gradcheck.gradcheck(in -> in[0].exp(), a.detach()));
  }
}
