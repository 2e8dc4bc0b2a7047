package dev.autograd.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autograd.core.testing.Golden;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Custom functions, complete (several outputs, markDirty, markNonDifferentiable,
 * setMaterializeGrads, onceDifferentiable, needsInputGrad in forward, PyTorch's gradient checks),
 * against golden/fnhooks.json made by scripts/golden/fnhooks.py with PyTorch 1.13 (cases after
 * test_autograd.py).
 */
class CustomFunctionsCompleteTest {
  static final JsonNode GOLD = Golden.read("fnhooks.json");
  static final double[] X = {0.5, -1.5, 2.0};
  static final double[] W = {1.5, 0.25, -2.0};

  static Tensor leaf(double... v) {
    return Tensor.of(v.clone()).requiresGrad_(true);
  }

  static void assertValues(JsonNode expected, Tensor actual) {
    assertNotNull(actual, "expected values " + expected);
    assertArrayEquals(Golden.doubles(expected), actual.toDoubleArray(), 1e-12, expected.toString());
  }

  static final class SquareAndDouble extends MultiOutputFunction {
    @Override
    protected Tensor[] forward(Context ctx, Tensor... in) {
      ctx.saveForBackward(in[0]);
      return new Tensor[] {in[0].mul(in[0]), in[0].mul(2)};
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor... g) {
      Tensor x = ctx.savedTensors()[0];
      return new Tensor[] {x.mul(2).mul(g[0]).add(g[1].mul(2))};
    }
  }

  @Test
  void multiOutputFunctionSharesOneNodeAndGetsEveryOutputsGradient() {
    JsonNode c = GOLD.get("multi_output");
    Tensor x = leaf(X);
    Tensor[] ab = new SquareAndDouble().apply(x);
    ab[0].mul(Tensor.of(W)).add(ab[1]).sum().backward();
    assertValues(c.get("grad"), x.grad());
    assertValues(c.get("a"), ab[0]);
    assertValues(c.get("b"), ab[1]);
    assertEquals(c.get("name").asText(), ab[0].gradFn().name());
    assertSame(ab[0].gradFn(), ab[1].gradFn()); // PyTorch: a.grad_fn is b.grad_fn

    Tensor x2 = leaf(X);
    new SquareAndDouble().apply(x2)[0].sum().backward(); // b unused: zeros
    assertValues(GOLD.get("multi_output_one_used").get("grad"), x2.grad());
  }

  @Test
  void multiOutputFunctionWorksWithAutogradGradHooksAndDoubleBackward() {
    Tensor x = leaf(X);
    Tensor[] ab = new SquareAndDouble().apply(x);
    List<Tensor> seen = new ArrayList<>();
    ab[1].registerHook(
        g -> {
          seen.add(g);
          return null;
        });
    Tensor g =
        Autograd.grad(new Tensor[] {ab[0].sum().add(ab[1].sum())}, new Tensor[] {x}, true)[
            0]; // 2x + 2
    assertArrayEquals(new double[] {3, -1, 6}, g.toDoubleArray(), 1e-12);
    assertEquals(1, seen.size());
    Tensor h = Autograd.grad(g.sum(), x)[0]; // d(2x + 2)/dx = 2
    assertArrayEquals(new double[] {2, 2, 2}, h.toDoubleArray(), 1e-12);
  }

  static final class AddOneInPlace extends Function {
    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
      in[0].add_(1);
      ctx.markDirty(in[0]);
      return in[0];
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor g) {
      return new Tensor[] {g};
    }
  }

  @Test
  void markDirtyKeepsTheTensorAndRewritesItsHistory() {
    JsonNode c = GOLD.get("mark_dirty");
    Tensor x = leaf(X);
    Tensor h = x.mul(3);
    Tensor y = new AddOneInPlace().apply(h);
    assertSame(h, y);
    assertEquals(c.get("name").asText(), h.gradFn().name());
    y.mul(y).sum().backward();
    assertValues(c.get("y"), y);
    assertValues(c.get("grad"), x.grad());
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> new AddOneInPlace().apply(leaf(X)));
    assertEquals(GOLD.get("mark_dirty_leaf_error").asText(), e.getMessage());
  }

  static final class ValuesAndMask extends MultiOutputFunction {
    @Override
    protected Tensor[] forward(Context ctx, Tensor... in) {
      Tensor mask = in[0].gt(0).to(in[0].dtype());
      ctx.markNonDifferentiable(mask);
      return new Tensor[] {in[0].mul(2), mask};
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor... g) {
      return new Tensor[] {g[0].mul(2)};
    }
  }

  @Test
  void markNonDifferentiableOutputsDoNotRequireGrad() {
    JsonNode c = GOLD.get("mark_non_differentiable");
    Tensor x = leaf(X);
    Tensor[] vm = new ValuesAndMask().apply(x);
    vm[0].sum().backward();
    assertValues(c.get("grad"), x.grad());
    assertEquals(c.get("v_requires_grad").asBoolean(), vm[0].requiresGrad());
    assertEquals(c.get("m_requires_grad").asBoolean(), vm[1].requiresGrad());
    assertNull(vm[1].gradFn());
  }

  @Test
  void setMaterializeGradsFalsePassesNullForUnusedOutputs() {
    JsonNode c = GOLD.get("set_materialize_grads_false");
    boolean[] none = new boolean[2];
    MultiOutputFunction f =
        new MultiOutputFunction() {
          @Override
          protected Tensor[] forward(Context ctx, Tensor... in) {
            ctx.setMaterializeGrads(false);
            return new Tensor[] {in[0].clone(), in[0].clone()};
          }

          @Override
          protected Tensor[] backward(Context ctx, Tensor... g) {
            none[0] = g[0] == null;
            none[1] = g[1] == null;
            return new Tensor[] {g[0] != null ? g[0] : Tensor.zerosLike(g[1])};
          }
        };
    Tensor x = leaf(X);
    f.apply(x)[1].sum().backward();
    assertEquals(c.get("g1_none").asBoolean(), none[0]);
    assertEquals(c.get("g2_none").asBoolean(), none[1]);
    assertValues(c.get("grad"), x.grad());
  }

  static final class OnceCube extends Function {
    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
      ctx.saveForBackward(in[0]);
      return in[0].pow(3);
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor g) {
      Tensor x = ctx.savedTensors()[0];
      return new Tensor[] {x.mul(x).mul(3).mul(g)};
    }

    @Override
    protected boolean onceDifferentiable() {
      return true;
    }
  }

  @Test
  void onceDifferentiableRefusesDoubleBackwardAsPyTorch() {
    JsonNode c = GOLD.get("once_differentiable");
    Tensor x = leaf(X);
    Tensor gx =
        Autograd.grad(new Tensor[] {new OnceCube().apply(x).sum()}, new Tensor[] {x}, true)[0];
    assertValues(c.get("grad"), gx);
    assertEquals(c.get("grad_requires_grad").asBoolean(), gx.requiresGrad());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> gx.sum().backward());
    assertEquals(c.get("error").asText(), e.getMessage());

    JsonNode d = GOLD.get("once_differentiable_delayed");
    Tensor x2 = leaf(X);
    Tensor v = leaf(W);
    Tensor g2 =
        Autograd.grad(
            new Tensor[] {new OnceCube().apply(x2)},
            new Tensor[] {x2},
            new Tensor[] {v},
            true,
            true,
            false)[0];
    assertValues(d.get("grad"), g2);
    assertEquals(d.get("name").asText(), g2.gradFn().name());
    IllegalStateException e2 = assertThrows(IllegalStateException.class, () -> g2.sum().backward());
    assertTrue(e2.getMessage().startsWith(d.get("error").asText()), e2.getMessage());
  }

  @Test
  void needsInputGradIsValidInForward() {
    boolean[][] seen = new boolean[1][];
    Function f =
        new Function() {
          @Override
          protected Tensor forward(Context ctx, Tensor... in) {
            seen[0] = new boolean[] {ctx.needsInputGrad(0), ctx.needsInputGrad(1)};
            return in[0].mul(in[1]);
          }

          @Override
          protected Tensor[] backward(Context ctx, Tensor g) {
            return new Tensor[] {g.mul(2), null};
          }
        };
    f.apply(leaf(X), Tensor.of(W)).sum().backward();
    JsonNode expected = GOLD.get("needs_input_grad_forward");
    assertEquals(expected.get(0).asBoolean(), seen[0][0]);
    assertEquals(expected.get(1).asBoolean(), seen[0][1]);
    Function g =
        new Function() {
          @Override
          protected Tensor forward(Context ctx, Tensor... in) {
            return Tensor.scalar(ctx.needsInputGrad(5) ? 1 : 0);
          }

          @Override
          protected Tensor[] backward(Context ctx, Tensor grad) {
            return new Tensor[] {grad};
          }
        };
    IndexOutOfBoundsException e =
        assertThrows(IndexOutOfBoundsException.class, () -> g.apply(leaf(X)));
    assertTrue(e.getMessage().contains("has 1 inputs"), e.getMessage());
  }

  static Function returning(java.util.function.Function<Tensor, Tensor[]> backward, String name) {
    return new Function() {
      @Override
      protected Tensor forward(Context ctx, Tensor... in) {
        return in[0].mul(2);
      }

      @Override
      protected Tensor[] backward(Context ctx, Tensor g) {
        return backward.apply(g);
      }

      @Override
      protected String name() {
        return name;
      }
    };
  }

  @Test
  void trailingNullsAreAcceptedOtherCountsAndShapesAreRefusedWithPyTorchsMessages() {
    JsonNode c = GOLD.get("trailing_nones");
    Tensor x = leaf(X);
    returning(g -> new Tensor[] {g.mul(2), null, null}, "TrailingNonesBackward")
        .apply(x)
        .sum()
        .backward();
    assertValues(c.get("grad"), x.grad());
    IllegalStateException many =
        assertThrows(
            IllegalStateException.class,
            () ->
                returning(g -> new Tensor[] {g.mul(2), g}, "TooManyBackward")
                    .apply(leaf(X))
                    .sum()
                    .backward());
    assertEquals(c.get("too_many_error").asText(), many.getMessage());
    IllegalStateException shape =
        assertThrows(
            IllegalStateException.class,
            () ->
                returning(
                        g -> new Tensor[] {Tensor.ones(DType.FLOAT64, 2, 2)}, "WrongShapeBackward")
                    .apply(leaf(X))
                    .sum()
                    .backward());
    assertEquals(c.get("wrong_shape_error").asText(), shape.getMessage());
  }

  @Test
  void contextMisuseIsNamed() {
    Function dirtyNotReturned =
        new Function() {
          @Override
          protected Tensor forward(Context ctx, Tensor... in) {
            ctx.markDirty(in[0]);
            return in[0].mul(2);
          }

          @Override
          protected Tensor[] backward(Context ctx, Tensor g) {
            return new Tensor[] {g};
          }
        };
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> dirtyNotReturned.apply(leaf(X).mul(1)));
    assertTrue(e.getMessage().contains("markDirty must be returned as an output"), e.getMessage());
    assertFalse(
        new OnceCube().apply(Tensor.of(X)).requiresGrad()); // nothing requires grad: no node
  }
}
