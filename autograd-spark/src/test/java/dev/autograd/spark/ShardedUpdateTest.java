package dev.autograd.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.core.DType;
import dev.autograd.core.Tensor;
import dev.autograd.nn.Linear;
import dev.autograd.nn.Module;
import dev.autograd.nn.Sequential;
import dev.autograd.nn.optim.Adam;
import dev.autograd.nn.optim.AdamW;
import dev.autograd.nn.optim.Optimizer;
import dev.autograd.nn.optim.RMSprop;
import dev.autograd.nn.optim.SGD;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sharded update without Spark: replicas sharing one set of weights, each task updating its
 * slice, give the bits of one optimizer updating everything, and the whole state put together from
 * the slices is the one optimizer's.
 */
class ShardedUpdateTest {
  static Stream<Arguments> optimizers() {
    Function<List<Tensor>, Optimizer> sgd = p -> new SGD(p, 0.05, 0.9, 0.1, 0.01, false);
    Function<List<Tensor>, Optimizer> nesterov = p -> new SGD(p, 0.05, 0.9, 0, 0.01, true);
    Function<List<Tensor>, Optimizer> adam = p -> new Adam(p, 0.01, 0.9, 0.99, 1e-8, 0.01, false);
    Function<List<Tensor>, Optimizer> amsgradW = p -> new AdamW(p, 0.01, 0.8, 0.9, 1e-6, 0.1, true);
    // two groups with their own options: weights (2-D) decay, biases do not
    Function<List<Tensor>, Optimizer> grouped =
        p -> {
          List<Tensor> w = new ArrayList<>(), b = new ArrayList<>();
          for (Tensor t : p) (t.dim() > 1 ? w : b).add(t);
          return new Adam(w, 0.01, 0.9, 0.999, 1e-8, 0.05, false)
              .addParamGroup(b, Map.of("lr", 0.02, "weight_decay", 0.0));
        };
    List<Arguments> out = new ArrayList<>();
    for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64})
      for (int tasks : new int[] {1, 2, 3, 5}) {
        out.add(Arguments.of("SGD momentum", sgd, dt, tasks));
        out.add(Arguments.of("SGD nesterov", nesterov, dt, tasks));
        out.add(Arguments.of("Adam", adam, dt, tasks));
        out.add(Arguments.of("AdamW amsgrad", amsgradW, dt, tasks));
        out.add(Arguments.of("Adam, two groups", grouped, dt, tasks));
      }
    return out.stream();
  }

  private static Module model(DType dtype) {
    // 37-wide layers: slice boundaries fall inside parameters and off the vector width
    Module m = new Sequential(new Linear(13, 37), new Linear(37, 7), new Linear(7, 1));
    SplittableRandom rng = new SplittableRandom(1);
    for (Tensor p : m.parameters()) {
      double[] v = new double[p.numel()];
      for (int i = 0; i < v.length; i++) v[i] = rng.nextGaussian();
      try (var s = dev.autograd.core.Autograd.noGrad()) {
        p.copy_(Tensor.of(v, p.shapeRef()).to(p.dtype()));
      }
    }
    return m.to(dtype);
  }

  @ParameterizedTest(name = "{0}, {2}, {3} tasks")
  @MethodSource("optimizers")
  void slicesUpdateWithTheBitsOfOneOptimizer(
      String name, Function<List<Tensor>, Optimizer> make, DType dtype, int tasks) {
    Module ref = model(dtype);
    Optimizer refOpt = make.apply(ref.parameters());
    int length = FlatVector.totalLength(ref.parameters());

    // the replicas: task 0's weights are the shared ones, the others read them
    List<List<Tensor>> replicas = new ArrayList<>();
    List<Optimizer> fulls = new ArrayList<>();
    List<ShardedUpdate> shares = new ArrayList<>();
    Tensor summed = Tensor.zeros(dtype, length);
    for (int t = 0; t < tasks; t++) {
      List<Tensor> params = model(dtype).parameters();
      Optimizer full = make.apply(params);
      assertTrue(ShardedUpdate.supports(full, params), name);
      if (t > 0) ShardedUpdate.shareWeights(params, replicas.get(0));
      replicas.add(params);
      fulls.add(full);
      ShardedUpdate s = new ShardedUpdate(full, params, t, tasks, summed);
      s.loadSliceOf(full);
      shares.add(s);
    }
    SplittableRandom rng = new SplittableRandom(2);
    for (int step = 0; step < 4; step++) {
      double[] g = new double[length];
      for (int i = 0; i < length; i++) g[i] = rng.nextGaussian();
      Tensor flat = Tensor.of(g, length).to(dtype);
      summed.copy_(flat);
      FlatVector.of(List.of(flat), dtype).setGradsOf(ref.parameters());
      refOpt.step();
      refOpt.zeroGrad();
      for (ShardedUpdate s : shares) s.step();
      for (List<Tensor> r : replicas)
        assertArrayEquals(
            TestData.weights(ref.parameters()), TestData.weights(r), 0.0, "step " + step);
    }
    Optimizer whole = fulls.get(tasks - 1);
    whole.loadStateDict(ShardedUpdate.wholeState(whole, shares));
    assertEquals(
        ReplicaState.capture(ref, refOpt, dtype).digest(),
        ReplicaState.capture(ref, whole, dtype).digest(),
        "the whole optimizer state (weights from the reference)");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unsplittable")
  void onlyElementwiseBuiltInsOverWholeStoragesAreSplit(
      String name, Function<List<Tensor>, Optimizer> make, boolean viewParam) {
    List<Tensor> params = new ArrayList<>(model(DType.FLOAT32).parameters());
    if (viewParam) params.set(0, Tensor.zeros(4, 10).narrow(0, 1, 2).detach().requiresGrad_(true));
    assertFalse(ShardedUpdate.supports(make.apply(params), params));
  }

  static Stream<Arguments> unsplittable() {
    Function<List<Tensor>, Optimizer> rms = p -> new RMSprop(p, 0.01);
    Function<List<Tensor>, Optimizer> subclass = p -> new Adam(p, 0.01) {};
    Function<List<Tensor>, Optimizer> partial = p -> new SGD(p.subList(1, p.size()), 0.1);
    Function<List<Tensor>, Optimizer> sgd = p -> new SGD(p, 0.1);
    return Stream.of(
        Arguments.of("RMSprop (not split)", rms, false),
        Arguments.of("a subclass of Adam", subclass, false),
        Arguments.of("an optimizer over some parameters only", partial, false),
        Arguments.of("a parameter that views part of a storage", sgd, true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mismatches")
  void replicasOfAnotherArchitectureAreRefused(String name, int[] shape, DType dtype) {
    List<Tensor> shared = List.of(Tensor.zeros(DType.FLOAT32, 3, 4));
    List<Tensor> other = List.of(Tensor.zeros(dtype, shape));
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> ShardedUpdate.shareWeights(other, shared), name);
    assertTrue(e.getMessage().contains("ModuleFactory"), e.getMessage());
  }

  static Stream<Arguments> mismatches() {
    return Stream.of(
        Arguments.of("another shape", new int[] {4, 3}, DType.FLOAT32),
        Arguments.of("another dtype", new int[] {3, 4}, DType.FLOAT64));
  }
}
