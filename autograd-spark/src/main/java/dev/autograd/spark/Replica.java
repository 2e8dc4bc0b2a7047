package dev.autograd.spark;

import dev.autograd.core.Tensor;
import dev.autograd.nn.Loss;
import dev.autograd.nn.Module;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * A task's copy of the model (and loss), reused across steps: an executor keeps a small pool per
 * training run or scoring job, one replica per concurrently running task, so the architecture is
 * built once and each step only loads new weights.
 */
final class Replica {
  final Module model;
  final Loss loss;
  final List<Tensor> params;

  /** The broadcast id of the weights last loaded (-1: none). */
  long loadedWeights = -1;

  private Replica(Module model, Loss loss) {
    this.model = model;
    this.loss = loss;
    this.params = model.parameters();
  }

  // Runs older than the last few are dropped so an executor does not keep every model it ever saw.
  private static final int MAX_RUNS = 4;
  private static final Map<String, ConcurrentLinkedDeque<Replica>> POOLS =
      new ConcurrentHashMap<>();
  private static final ConcurrentLinkedDeque<String> RUNS = new ConcurrentLinkedDeque<>();

  /** A free replica of run {@code runId}, built from the factories when none is free. */
  static Replica take(String runId, ModuleFactory model, LossFactory loss) {
    ConcurrentLinkedDeque<Replica> pool =
        POOLS.computeIfAbsent(
            runId,
            k -> {
              RUNS.addLast(k);
              return new ConcurrentLinkedDeque<>();
            });
    while (RUNS.size() > MAX_RUNS) {
      String old = RUNS.pollFirst();
      if (old != null && !old.equals(runId)) POOLS.remove(old);
    }
    Replica r = pool.pollFirst();
    if (r != null) return r;
    Module m = model.create();
    if (m == null) throw new IllegalStateException("the ModuleFactory returned null");
    return new Replica(m, loss == null ? null : loss.create());
  }

  /** Gives the replica back for the next task of the same run. */
  static void giveBack(String runId, Replica r) {
    ConcurrentLinkedDeque<Replica> pool = POOLS.get(runId);
    if (pool != null) pool.addFirst(r);
  }

  /** Forgets run {@code runId}'s replicas (on this JVM). */
  static void release(String runId) {
    POOLS.remove(runId);
    RUNS.remove(runId);
  }

  /** Loads the weights of broadcast {@code id} unless they are already loaded. */
  void load(long id, FlatVector weights) {
    if (loadedWeights == id) return;
    weights.copyInto(params);
    loadedWeights = id;
  }
}
