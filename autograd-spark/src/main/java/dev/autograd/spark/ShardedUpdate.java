package dev.autograd.spark;

import dev.autograd.core.Autograd;
import dev.autograd.core.GradMode;
import dev.autograd.core.Tensor;
import dev.autograd.core.internal.SharedSecrets;
import dev.autograd.core.internal.Tensors;
import dev.autograd.core.tensor.Storage;
import dev.autograd.nn.optim.Adam;
import dev.autograd.nn.optim.AdamW;
import dev.autograd.nn.optim.Optimizer;
import dev.autograd.nn.optim.SGD;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One task's share of the optimizer update in local mode (ZeRO stage 1): the tasks' replicas share
 * one set of weights, and task t updates only its contiguous slice of the flattened parameters
 * ({@link GradientReducer#sliceStart}), with an optimizer of the same class and options over
 * "pieces" (1-D views of the shared weights covering the slice) and the state of those elements
 * only. Nothing is copied back: the next forward of every task reads the updated weights. Only for
 * element-wise updates ({@link SGD}, {@link Adam}, {@link AdamW}): every element's new value then
 * has the same bits however the elements are split (their kernels round the same in the vector loop
 * and the scalar tail).
 */
final class ShardedUpdate {
  /** The replica's parameters, in {@code parameters()} order. */
  private final List<Tensor> params;

  /** The parameters in the optimizer's order (its groups, in turn): the state dict's indices. */
  private final List<Tensor> order;

  /** Piece k (of {@code order.get(k)}): its first element within the parameter, its length. */
  private final int[] pieceStart, pieceLength;

  private final List<Tensor> pieces = new ArrayList<>();

  /** Piece k's gradient: its range of the summed gradient (null when the piece is empty). */
  private final Tensor[] gradViews;

  /** The same class and group options as the full optimizer, over the pieces. */
  final Optimizer optimizer;

  /**
   * Task {@code task}'s share of {@code full}'s update (of {@code tasks}); its gradients are read
   * from {@code summed}, the flat sum of all shards in {@code params} order.
   */
  ShardedUpdate(Optimizer full, List<Tensor> params, int task, int tasks, Tensor summed) {
    this.params = params;
    int length = summed.numel();
    int from = GradientReducer.sliceStart(task, tasks, length),
        to = from + GradientReducer.sliceLength(task, tasks, length);
    Map<Tensor, Integer> flatStart = new IdentityHashMap<>();
    int at = 0;
    for (Tensor p : params) {
      flatStart.put(p, at);
      at += p.numel();
    }
    order = new ArrayList<>();
    for (Optimizer.ParamGroup g : full.paramGroups()) order.addAll(g.params());
    pieceStart = new int[order.size()];
    pieceLength = new int[order.size()];
    gradViews = new Tensor[order.size()];
    for (int k = 0; k < order.size(); k++) {
      Tensor p = order.get(k);
      int start = flatStart.get(p),
          lo = Math.max(start, from),
          hi = Math.min(start + p.numel(), to);
      if (hi > lo) {
        pieceStart[k] = lo - start;
        pieceLength[k] = hi - lo;
        pieces.add(
            Tensors.viewOf(p, p.storageOffset() + lo - start, new int[] {hi - lo}, new int[] {1})
                .requiresGrad_(true));
        gradViews[k] = summed.narrow(0, lo, hi - lo);
      } else {
        pieces.add(Tensor.zeros(p.dtype(), 0).requiresGrad_(true)); // outside the slice
      }
    }
    optimizer = sameKind(full);
  }

  /**
   * Whether {@code optimizer}'s update over {@code params} can be split into slices: a built-in
   * element-wise optimizer over every parameter, each one the whole of its own storage (so that the
   * replicas can share it).
   */
  static boolean supports(Optimizer optimizer, List<Tensor> params) {
    Class<?> c = optimizer.getClass();
    if (c != SGD.class && c != Adam.class && c != AdamW.class) return false;
    Map<Tensor, Boolean> optimized = new IdentityHashMap<>();
    for (Optimizer.ParamGroup g : optimizer.paramGroups())
      for (Tensor p : g.params()) optimized.put(p, true);
    if (optimized.size() != params.size()) return false;
    Map<Storage, Boolean> seen = new IdentityHashMap<>();
    for (Tensor p : params) {
      Storage s = Tensors.storage(p);
      if (!optimized.containsKey(p)
          || p.dim() == 0
          || !p.isContiguous()
          || p.storageOffset() != 0
          || s.length() != p.numel()
          || seen.put(s, true) != null) return false;
    }
    return true;
  }

  /**
   * Makes {@code replica}'s parameters read and write {@code shared}'s values (the same
   * architecture): every task's forward then reads the one set of weights the tasks update.
   */
  static void shareWeights(List<Tensor> replica, List<Tensor> shared) {
    if (replica.size() != shared.size())
      throw new IllegalStateException(
          "replicas of one model have " + replica.size() + " and " + shared.size() + " parameters");
    for (int i = 0; i < replica.size(); i++) {
      Tensor r = replica.get(i), s = shared.get(i);
      if (r.dtype() != s.dtype() || !Arrays.equals(r.shapeRef(), s.shapeRef()))
        throw new IllegalStateException(
            "replicas of one model differ at parameter "
                + i
                + ": "
                + Arrays.toString(r.shapeRef())
                + " vs "
                + Arrays.toString(s.shapeRef())
                + "; the ModuleFactory must build the same architecture every time");
      SharedSecrets.storages().share(Tensors.storage(r), Tensors.storage(s));
    }
  }

  // an optimizer of full's class over the pieces, with full's groups and their options
  private Optimizer sameKind(Optimizer full) {
    List<Optimizer.ParamGroup> groups = full.paramGroups();
    List<List<Tensor>> byGroup = new ArrayList<>();
    int k = 0;
    for (Optimizer.ParamGroup g : groups) {
      byGroup.add(new ArrayList<>(pieces.subList(k, k + g.params().size())));
      k += g.params().size();
    }
    Class<?> c = full.getClass();
    Optimizer o =
        c == SGD.class
            ? new SGD(byGroup.get(0), 0.01)
            : c == AdamW.class ? new AdamW(byGroup.get(0), 1e-3) : new Adam(byGroup.get(0), 1e-3);
    for (int j = 1; j < byGroup.size(); j++) o.addParamGroup(byGroup.get(j), Map.of());
    for (int j = 0; j < groups.size(); j++)
      o.paramGroups().get(j).options().putAll(groups.get(j).options());
    return o;
  }

  /**
   * Loads this slice of {@code full}'s state (its options and, per parameter, the slice's elements
   * of each state tensor shaped like the parameter; scalars such as Adam's step as they are).
   */
  @SuppressWarnings("unchecked")
  void loadSliceOf(Optimizer full) {
    Map<String, Object> dict = full.stateDict();
    Map<Integer, Map<String, Object>> state = (Map<Integer, Map<String, Object>>) dict.get("state");
    Map<Integer, Map<String, Object>> sliced = new LinkedHashMap<>();
    state.forEach(
        (k, st) -> {
          if (pieceLength[k] == 0) return;
          Map<String, Object> s = new LinkedHashMap<>();
          st.forEach(
              (key, v) ->
                  s.put(
                      key,
                      v instanceof Tensor t
                              && Arrays.equals(t.shapeRef(), order.get(k).shapeRef())
                              && t.dim() > 0
                          ? t.reshape(-1).narrow(0, pieceStart[k], pieceLength[k])
                          : v));
          sliced.put(k, s);
        });
    Map<String, Object> out = new LinkedHashMap<>(dict);
    out.put("state", sliced);
    optimizer.loadStateDict(out);
  }

  /** One update of the slice, from the summed gradient (complete for this slice). */
  void step() {
    for (int k = 0; k < gradViews.length; k++)
      if (gradViews[k] != null) pieces.get(k).setGrad(gradViews[k]);
    optimizer.step();
    optimizer.zeroGrad();
  }

  /**
   * The whole optimizer's state dict (the format of {@code full.stateDict()}, which gives the
   * structure) put together from every task's slice, {@code shards} in task order: each state
   * tensor shaped like its parameter again, scalars from the first slice. The options are the first
   * slice's (every task steps the same schedule).
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> wholeState(Optimizer full, List<ShardedUpdate> shards) {
    ShardedUpdate first = shards.get(0);
    List<Map<Integer, Map<String, Object>>> states = new ArrayList<>();
    for (ShardedUpdate s : shards)
      states.add((Map<Integer, Map<String, Object>>) s.optimizer.stateDict().get("state"));
    Map<Integer, Map<String, Object>> whole = new LinkedHashMap<>();
    try (GradMode.Scope g = Autograd.noGrad()) {
      for (int k = 0; k < first.order.size(); k++) {
        Tensor p = first.order.get(k);
        Map<String, Object> st = null;
        for (int t = 0; t < shards.size(); t++) {
          ShardedUpdate s = shards.get(t);
          Map<String, Object> piece = states.get(t).get(k);
          if (piece == null || s.pieceLength[k] == 0) continue;
          if (st == null) st = new LinkedHashMap<>();
          for (Map.Entry<String, Object> e : piece.entrySet()) {
            Object v = e.getValue();
            if (v instanceof Tensor pt && pt.dim() == 1 && pt.numel() == s.pieceLength[k]) {
              Tensor w =
                  (Tensor)
                      st.computeIfAbsent(e.getKey(), key -> Tensor.zeros(pt.dtype(), p.shapeRef()));
              w.reshape(-1).narrow(0, s.pieceStart[k], s.pieceLength[k]).copy_(pt);
            } else {
              st.putIfAbsent(e.getKey(), v);
            }
          }
        }
        if (st != null) whole.put(k, st);
      }
    }
    Map<String, Object> out = new LinkedHashMap<>(full.stateDict());
    out.put("param_groups", first.optimizer.stateDict().get("param_groups"));
    out.put("state", Collections.unmodifiableMap(whole));
    return out;
  }

  /** The replica's parameters (shared with the other tasks' replicas). */
  List<Tensor> params() {
    return params;
  }
}
