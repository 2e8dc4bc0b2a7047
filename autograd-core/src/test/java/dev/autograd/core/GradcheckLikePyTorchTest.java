package dev.autograd.core;

import static dev.autograd.core.CustomFunctionsCompleteTest.GOLD;
import static dev.autograd.core.CustomFunctionsCompleteTest.X;
import static dev.autograd.core.CustomFunctionsCompleteTest.leaf;
import static dev.autograd.core.SavedTensorsHooksAndAnomalyTest.stderrOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Gradcheck's input checks, float32 warning, nondeterminism check and gradgradcheck, against
 * PyTorch 1.13's (golden/fnhooks.json).
 */
class GradcheckLikePyTorchTest {

  @Test
  void refusesCallsWhereNoInputRequiresGrad() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Gradcheck.gradcheck(in -> in[0].mul(2), Tensor.ones(DType.FLOAT64, 3)));
    assertEquals(GOLD.get("gradcheck_none_requires_grad").asText(), e.getMessage());
  }

  @Test
  void acceptsFloat32WithPyTorchsWarning() {
    Tensor x = Tensor.ones(3).requiresGrad_(true);
    boolean[] passed = new boolean[1];
    String err =
        stderrOf(
            () ->
                passed[0] =
                    Gradcheck.gradcheck(in -> in[0].mul(2), new Tensor[] {x}, 1e-3, 1e-2, 1e-3));
    assertEquals(GOLD.get("gradcheck_float32").get("passed").asBoolean(), passed[0]);
    assertEquals(
        "UserWarning: " + GOLD.get("gradcheck_float32").get("warning").asText(), err.strip() + " ");
  }

  @Test
  void refusesExpandedInputsAsPyTorch() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Gradcheck.gradcheck(in -> in[0].mul(2), leaf(1.0).expand(3)));
    assertEquals(GOLD.get("gradcheck_expanded").asText(), e.getMessage());
    assertTrue(
        Gradcheck.gradcheck(
            in -> in[0].mul(2), leaf(1.0).expand(3).contiguous().detach().requiresGrad_(true)));
  }

  /**
   * A backward whose result changes from one call to the next by a relative 1e-9 (test_autograd's
   * nondeterministic case).
   */
  static final class Noisy extends Function {
    private int calls;

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
      return in[0].mul(2);
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor g) {
      calls++;
      return new Tensor[] {g.mul(2 + (calls % 2 == 1 ? 1e-9 : 0))};
    }
  }

  @Test
  void checksThatBackwardIsDeterministicWithinNondetTol() {
    Noisy noisy = new Noisy();
    List<String> errors =
        Gradcheck.check(
            in -> noisy.apply(in[0]),
            new Tensor[] {leaf(X)},
            Gradcheck.EPS,
            Gradcheck.ATOL,
            Gradcheck.RTOL,
            0.0);
    String expected = GOLD.get("gradcheck_nondet").asText();
    assertEquals(1, errors.size(), errors.toString());
    assertEquals(expected.substring(0, expected.indexOf("\n")), errors.get(0));
    AssertionError e =
        assertThrows(
            AssertionError.class, () -> Gradcheck.gradcheck(in -> noisy.apply(in[0]), leaf(X)));
    assertTrue(e.getMessage().contains("Backward is not reentrant"), e.getMessage());
    assertEquals(
        GOLD.get("gradcheck_nondet_tol_passes").asBoolean(),
        Gradcheck.gradcheck(
            in -> noisy.apply(in[0]),
            new Tensor[] {leaf(X)},
            Gradcheck.EPS,
            Gradcheck.ATOL,
            Gradcheck.RTOL,
            1e-6));
  }

  @Test
  void gradgradcheckPassesOnSmoothFunctionsAndFailsOnAWrongSecondDerivative() {
    assertEquals(
        GOLD.get("gradgradcheck_passes").asBoolean(),
        Gradcheck.gradgradcheck(in -> in[0].pow(3).sin(), leaf(X)));
    // a backward that is right to first order but not differentiable correctly: detached derivative
    Function cube =
        new Function() {
          @Override
          protected Tensor forward(Context ctx, Tensor... in) {
            ctx.saveForBackward(in[0]);
            return in[0].pow(3);
          }

          @Override
          protected Tensor[] backward(Context ctx, Tensor g) {
            Tensor x = ctx.savedTensors()[0].detach(); // wrong: cuts the second derivative
            return new Tensor[] {x.mul(x).mul(3).mul(g)};
          }
        };
    assertTrue(Gradcheck.gradcheck(in -> cube.apply(in[0]), leaf(X)));
    assertFalse(
        Gradcheck.check(
                    in -> cube.apply(in[0]),
                    new Tensor[] {leaf(X)},
                    Gradcheck.EPS,
                    Gradcheck.ATOL,
                    Gradcheck.RTOL)
                .size()
            > 0);
    assertThrows(
        AssertionError.class, () -> Gradcheck.gradgradcheck(in -> cube.apply(in[0]), leaf(X)));
  }
}
