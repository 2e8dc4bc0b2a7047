package dev.autograd.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.autograd.core.internal.SharedSecrets;
import dev.autograd.core.internal.Tensors;
import dev.autograd.core.tensor.Storage;
import org.junit.jupiter.api.Test;

/**
 * The engine's owned gradients (Engine's Note [owned gradients]) on tensors large enough to be
 * numbered and recycled: every gradient equals the one computed while recording a graph (where
 * nothing is owned, summed in place or recycled), and nothing the user can see is ever recycled.
 */
class OwnedGradientsTest {
  private static final int N = Math.max(Storage.POOLED_MIN, 5000);

  private static Tensor leaf(int seed) {
    return Tensor.rand(new Generator(seed), DType.FLOAT32, N).mul(2).sub(1).requiresGrad_();
  }

  /**
   * The gradients of f at the leaves, by a plain backward and by Autograd.grad with createGraph.
   */
  private static void assertSameAsRecorded(
      java.util.function.Function<Tensor[], Tensor> f, Tensor... leaves) {
    Tensor[] expected =
        Autograd.grad(new Tensor[] {f.apply(leaves)}, leaves, null, false, true, false);
    for (Tensor l : leaves) l.setGrad(null);
    f.apply(leaves).backward();
    for (int i = 0; i < leaves.length; i++) {
      assertArrayEquals(
          expected[i].toDoubleArray(),
          leaves[i].grad().toDoubleArray(),
          0,
          "gradient of leaf " + i);
    }
  }

  @Test
  void chainWithRepeatedInputMatchesTheRecordedGradient() {
    Tensor x = leaf(0);
    assertSameAsRecorded(
        in -> {
          Tensor y = in[0];
          for (int i = 0; i < 20; i++)
            y = i % 3 == 0 ? y.mul(-0.5) : i % 3 == 1 ? y.exp() : y.add(in[0]);
          return y.sum();
        },
        x);
  }

  @Test
  void sharedAndRepeatedGradientsMatch() {
    Tensor a = leaf(1), b = leaf(2);
    assertSameAsRecorded(in -> in[0].add(in[0]).mul(in[1]).add(in[1]).tanh().sum(), a, b);
    assertSameAsRecorded(in -> in[0].add(in[1]).exp().sub(in[1].mul(3)).relu().sum(), a, b);
    assertSameAsRecorded(in -> in[0].clampMin(0).mul(in[1].clamp(-0.5, 0.5)).pow(2).sum(), a, b);
    assertSameAsRecorded(
        in -> in[0].reshape(50, -1).t().mul(in[1].reshape(50, -1).t()).sum(), a, b);
  }

  @Test
  void leavesSharingOneGradientGetStoragesOfTheirOwn() {
    Tensor a = leaf(3), b = leaf(4);
    a.add(b).mul(2).sum().backward();
    assertNotSame(Tensors.storage(a.grad()), Tensors.storage(b.grad()));
    a.grad().zero_();
    assertEquals(2.0 * N, b.grad().sum().item(), 0);
    a.add(b).mul(2).sum().backward(); // accumulates into both, in place
    assertEquals(2.0 * N, a.grad().sum().item(), 0);
    assertEquals(4.0 * N, b.grad().sum().item(), 0);
  }

  @Test
  void retainedAndCapturedGradientsStayReadable() {
    Tensor x = leaf(5);
    Tensor z = x.mul(3);
    z.retainGrad();
    Tensor w = z.exp();
    w.retainGrad();
    w.mul(2).sum().backward();
    assertArrayEquals(w.detach().mul(2).toDoubleArray(), z.grad().toDoubleArray(), 1e-6);
    assertEquals(2.0 * N, w.grad().sum().item(), 0);
    Tensor u = x.mul(3);
    Tensor v = u.exp();
    Tensor[] g =
        Autograd.grad(
            new Tensor[] {v.mul(2).sum()}, new Tensor[] {u, x}, null, false, false, false);
    assertArrayEquals(g[0].mul(3).toDoubleArray(), g[1].toDoubleArray(), 1e-5);
  }

  @Test
  void aGradientPassedToTheUserIsNotRecycled() {
    Tensor x = leaf(6);
    Tensor gOut = Tensor.ones(N);
    x.mul(2).backward(gOut);
    Tensor first = x.grad();
    x.mul(2).backward(gOut);
    assertEquals(N, gOut.sum().item(), 0);
    assertEquals(4.0 * N, first.sum().item(), 0);
  }

  @Test
  void aRecycledStorageFailsLoudly() {
    Tensor t = Tensor.empty(DType.FLOAT32, N);
    Storage s = Tensors.storage(t);
    SharedSecrets.storages().recycle(s);
    assertThrows(IllegalStateException.class, s::floats);
    Tensor fresh = Tensor.zeros(N); // a zero-filled tensor never takes a recycled array
    assertEquals(0, fresh.abs().sum().item(), 0);
  }

  @Test
  void sharedStoragesShareValuesAndAreNeverRecycled() {
    Tensor a = Tensor.zeros(DType.FLOAT32, N), b = Tensor.ones(DType.FLOAT32, N);
    Storage sa = Tensors.storage(a), sb = Tensors.storage(b);
    SharedSecrets.storages().share(sb, sa); // b now reads and writes a's array
    assertEquals(0, b.sum().item(), 0);
    try (GradMode.Scope s = Autograd.noGrad()) {
      a.add_(1);
    }
    assertEquals(N, b.sum().item(), 0);
    SharedSecrets.storages().recycle(sa); // refused: the other storage still reads the array
    SharedSecrets.storages().recycle(sb);
    assertEquals(N, a.sum().item(), 0);
    Tensor wrong = Tensor.zeros(DType.FLOAT64, N);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SharedSecrets.storages().share(Tensors.storage(wrong), sa));
    assertEquals(
        "cannot share a FLOAT32 storage of " + N + " elements with a FLOAT64 storage of " + N,
        e.getMessage());
  }

  /** Doubles its input and keeps every gradient it is given. */
  static final class KeepsGradOutput extends Function {
    final java.util.List<Tensor> seen = new java.util.ArrayList<>();

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
      return in[0].mul(2);
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor gradOut) {
      seen.add(gradOut);
      return new Tensor[] {gradOut.mul(2)};
    }
  }

  @Test
  void aCustomBackwardMayKeepItsGradOutput() {
    Tensor x = leaf(7);
    KeepsGradOutput f = new KeepsGradOutput();
    f.apply(x.mul(1))
        .exp()
        .mul(3)
        .sum()
        .backward(); // grad_output is a fresh gradient of MulBackward0
    Tensor kept = f.seen.get(0);
    x.exp().sum().backward(); // more backward passes reuse recycled arrays
    assertArrayEquals(f.apply(x.detach()).exp().mul(3).toDoubleArray(), kept.toDoubleArray(), 1e-4);
  }
}
