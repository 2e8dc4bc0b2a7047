package dev.autograd.spark;

import dev.autograd.core.DType;
import dev.autograd.core.Tensor;
import dev.autograd.nn.Module;
import dev.autograd.nn.optim.Optimizer;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A model's weights and its optimizer's state, serializable: what the driver ships to the tasks of
 * a barrier stage at its start, and what task 0 sends back at its end. Holds the optimizer state as
 * the checkpoint does (tensors plus typed scalars), so it restores exactly.
 */
final class ReplicaState implements Serializable {
  private static final long serialVersionUID = 1L;

  private final FlatVector weights;
  private final Map<String, String> meta;
  private final Map<String, int[]> shapes = new TreeMap<>();
  private final Map<String, FlatVector> tensors = new TreeMap<>();

  private ReplicaState(FlatVector weights, Map<String, String> meta) {
    this.weights = weights;
    this.meta = new TreeMap<>(meta);
  }

  /**
   * A copy of {@code model}'s parameters (in {@code parameters()} order) and {@code optimizer}'s
   * state.
   */
  static ReplicaState capture(Module model, Optimizer optimizer, DType dtype) {
    Map<String, Tensor> t = new LinkedHashMap<>();
    Map<String, String> m = new LinkedHashMap<>();
    Checkpoint.writeOptimizer(optimizer.stateDict(), t, m);
    ReplicaState s = new ReplicaState(FlatVector.of(model.parameters(), dtype), m);
    t.forEach(
        (k, v) -> {
          if (v.dtype() != DType.FLOAT32 && v.dtype() != DType.FLOAT64) {
            throw new IllegalStateException(
                "optimizer state '"
                    + k
                    + "' is "
                    + v.dtype().torchName()
                    + "; data-parallel training ships FLOAT32 or FLOAT64 state only");
          }
          s.shapes.put(k, v.shapeRef().clone());
          s.tensors.put(k, FlatVector.of(List.of(v), v.dtype()));
        });
    return s;
  }

  /**
   * Loads the weights into {@code model} and the state into {@code optimizer} (built over its
   * parameters).
   */
  void applyTo(Module model, Optimizer optimizer) {
    applyWeightsTo(model.parameters());
    applyOptimizerTo(optimizer);
  }

  /** Loads the weights into {@code params} (a model's parameters, in order). */
  void applyWeightsTo(List<Tensor> params) {
    weights.copyInto(params);
  }

  /** Loads the optimizer state into {@code optimizer} (built over the model's parameters). */
  void applyOptimizerTo(Optimizer optimizer) {
    Map<String, Tensor> t = new LinkedHashMap<>();
    tensors.forEach(
        (k, v) -> {
          Tensor z = Tensor.zeros(v.dtype(), shapes.get(k));
          v.copyInto(List.of(z));
          t.put(k, z);
        });
    optimizer.loadStateDict(Checkpoint.readOptimizer(optimizer, t, meta));
  }

  /**
   * A 64-bit hash of the weights' and the optimizer state's bits, in hex: equal digests mean
   * bit-identical replicas.
   */
  String digest() {
    long h = weights.hashBits(17);
    for (Map.Entry<String, String> e : meta.entrySet())
      h = FlatVector.mix(h, (e.getKey() + "=" + e.getValue()).hashCode());
    for (Map.Entry<String, FlatVector> e : tensors.entrySet())
      h = e.getValue().hashBits(FlatVector.mix(h, e.getKey().hashCode()));
    return String.format("%016x", h);
  }
}
