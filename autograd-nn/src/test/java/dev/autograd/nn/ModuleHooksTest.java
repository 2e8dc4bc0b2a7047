package dev.autograd.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autograd.core.Autograd;
import dev.autograd.core.DType;
import dev.autograd.core.GradMode;
import dev.autograd.core.RemovableHandle;
import dev.autograd.core.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * nn.Module forward pre-hooks, forward hooks and full backward hooks against PyTorch 1.13
 * (golden/fnhooks.json from scripts/golden/fnhooks.py; cases after test/nn/test_module_hooks.py).
 */
class ModuleHooksTest {
  private static final JsonNode GOLD = read();

  private static JsonNode read() {
    try (InputStream in = ModuleHooksTest.class.getResourceAsStream("/golden/fnhooks.json")) {
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Linear linear() {
    Linear m = new Linear(3, 2);
    m.to(DType.FLOAT64);
    try (GradMode.Scope s = Autograd.noGrad()) {
      m.weight().copy_(Tensor.of(new double[] {0.5, -1.0, 2.0, 1.5, 0.25, -0.5}, 2, 3));
      m.bias().copy_(Tensor.of(new double[] {0.1, -0.2}));
    }
    return m;
  }

  private static Tensor x() {
    return Tensor.of(new double[] {0.5, -1.5, 2.0}).requiresGrad_(true);
  }

  private static void assertValues(JsonNode expected, Tensor actual) {
    double[] e = new double[expected.size()];
    for (int i = 0; i < e.length; i++) e[i] = expected.get(i).asDouble();
    assertArrayEquals(e, actual.toDoubleArray(), 1e-12, expected.toString());
  }

  @Test
  void forwardPreHookAndForwardHookReplaceInputAndOutput() {
    JsonNode c = GOLD.get("forward_hooks");
    Linear m = linear();
    RemovableHandle pre = m.registerForwardPreHook((mod, in) -> in.mul(2));
    List<Tensor> seenInputs = new ArrayList<>();
    RemovableHandle post =
        m.registerForwardHook(
            (mod, in, out) -> {
              seenInputs.add(in);
              return out.add(1);
            });
    Tensor x = x();
    Tensor y = m.invoke(x);
    y.sum().backward();
    assertValues(c.get("y"), y);
    assertValues(c.get("x_grad"), x.grad());
    assertArrayEquals(
        new double[] {1, -3, 4}, seenInputs.get(0).toDoubleArray()); // the pre-hook's input
    pre.remove();
    post.remove();
    pre.remove(); // twice: nothing
    assertValues(c.get("after_remove"), m.invoke(x()));
    assertEquals(1, seenInputs.size());
  }

  @Test
  void hooksRunThroughInvokeAndSequentialNotThroughForward() {
    Linear inner = linear();
    int[] calls = new int[1];
    inner.registerForwardHook(
        (mod, in, out) -> {
          calls[0]++;
          return null;
        });
    Sequential seq = new Sequential(inner, new ReLU());
    seq.invoke(x());
    assertEquals(1, calls[0]);
    inner.forward(x()); // as PyTorch's module.forward(x): no hooks
    assertEquals(1, calls[0]);
  }

  @Test
  void fullBackwardHookSeesGradInputAndGradOutputAndMayReplaceGradInput() {
    JsonNode c = GOLD.get("full_backward_hook");
    Linear m = linear();
    List<Tensor[]> seen = new ArrayList<>();
    m.registerFullBackwardHook(
        (mod, gradInput, gradOutput) -> {
          seen.add(new Tensor[] {gradInput[0], gradOutput[0]});
          return new Tensor[] {gradInput[0].mul(10)};
        });
    Tensor x = x();
    Tensor y = m.invoke(x);
    assertEquals(c.get("grad_fn").asText(), y.gradFn().name());
    y.mul(Tensor.of(new double[] {1, -3})).sum().backward();
    assertEquals(1, seen.size());
    assertValues(c.get("grad_input").get(0), seen.get(0)[0]);
    assertValues(c.get("grad_output").get(0), seen.get(0)[1]);
    assertValues(c.get("x_grad"), x.grad());
    assertValues(c.get("weight_grad"), m.weight().grad());
  }

  @Test
  void fullBackwardHookGetsNullGradInputWhenTheInputNeedsNone() {
    JsonNode c = GOLD.get("full_backward_hook_input_no_grad");
    Linear m = linear();
    List<Tensor[]> seen = new ArrayList<>();
    RemovableHandle h =
        m.registerFullBackwardHook(
            (mod, gradInput, gradOutput) -> {
              seen.add(new Tensor[] {gradInput[0], gradOutput[0]});
              return null;
            });
    m.invoke(Tensor.of(new double[] {0.5, -1.5, 2.0})).sum().backward();
    assertTrue(c.get("grad_input").get(0).isNull());
    assertNull(seen.get(0)[0]);
    assertValues(c.get("grad_output").get(0), seen.get(0)[1]);
    h.remove();
    m.invoke(x()).sum().backward();
    assertEquals(1, seen.size());
    Linear bad = linear();
    bad.registerFullBackwardHook((mod, gi, go) -> new Tensor[] {gi[0], gi[0]});
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> bad.invoke(x()).sum().backward());
    assertEquals(
        "Backward hook returned an invalid number of grad_input, got 2, but expected 1",
        e.getMessage());
    assertThrows(NullPointerException.class, () -> bad.registerForwardHook(null));
  }
}
