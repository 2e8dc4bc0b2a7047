package dev.autograd.nn.optim;

import dev.autograd.core.Autograd;
import dev.autograd.core.GradMode;
import dev.autograd.core.Tensor;
import dev.autograd.core.internal.optim.Grads;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The base of the optimizers, PyTorch's {@code torch.optim.Optimizer}: parameter groups with their
 * own options (a group's option overrides the optimizer's default), per-parameter state, {@link
 * #step()} under {@code noGrad} with in-place updates, {@link #zeroGrad()}, and a state dict.
 */
public abstract class Optimizer {
  /** One group of parameters and its options ({@code lr}, {@code momentum}, ...). */
  public static final class ParamGroup {
    private final List<Tensor> params;
    private final Map<String, Object> options;

    ParamGroup(List<Tensor> params, Map<String, Object> options) {
      this.params = Collections.unmodifiableList(new ArrayList<>(params));
      this.options = options;
    }

    /** The parameters of this group (read-only). */
    public List<Tensor> params() {
      return params;
    }

    /** The group's options (mutable: schedulers set {@code lr} here). */
    public Map<String, Object> options() {
      return options;
    }

    /** This group's learning rate. */
    public double lr() {
      return getDouble("lr");
    }

    /** Sets this group's learning rate (what schedulers do). */
    public void setLr(double lr) {
      options.put("lr", lr);
    }

    /**
     * A numeric option of this group; throws IllegalArgumentException when the group has none by
     * that name.
     */
    public double getDouble(String key) {
      Object v = options.get(key);
      if (!(v instanceof Number))
        throw new IllegalArgumentException("param group has no numeric option '" + key + "'");
      return ((Number) v).doubleValue();
    }

    /**
     * A boolean option of this group; throws IllegalArgumentException when the group has none by
     * that name.
     */
    public boolean getBoolean(String key) {
      Object v = options.get(key);
      if (!(v instanceof Boolean))
        throw new IllegalArgumentException("param group has no boolean option '" + key + "'");
      return (Boolean) v;
    }
  }

  private final Map<String, Object> defaults;
  private final List<ParamGroup> groups = new ArrayList<>();

  /** Per-parameter state (momentum buffers, moments, step counts), keyed by identity. */
  protected final Map<Tensor, Map<String, Object>> state = new IdentityHashMap<>();

  /** For subclasses: one group holding {@code params}, with {@code defaults} as its options. */
  protected Optimizer(List<Tensor> params, Map<String, Object> defaults) {
    this.defaults = new LinkedHashMap<>(defaults);
    addParamGroup(params, Map.of());
  }

  /** Adds a group whose options override the defaults; a parameter may belong to one group only. */
  public Optimizer addParamGroup(List<Tensor> params, Map<String, Object> options) {
    if (params.isEmpty())
      throw new IllegalArgumentException(
          getClass().getSimpleName() + " got an empty parameter list");
    Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (ParamGroup g : groups) seen.addAll(g.params);
    for (Tensor p : params) {
      if (!p.isLeaf() || !p.requiresGrad())
        throw new IllegalArgumentException(
            "can't optimize a non-leaf Tensor or one that does not require grad");
      if (!seen.add(p))
        throw new IllegalArgumentException(
            "some parameters appear in more than one parameter group");
    }
    for (String k : options.keySet()) {
      if (!defaults.containsKey(k))
        throw new IllegalArgumentException(
            getClass().getSimpleName()
                + " has no option '"
                + k
                + "' (options: "
                + defaults.keySet()
                + ")");
    }
    Map<String, Object> merged = new LinkedHashMap<>(defaults);
    merged.putAll(options);
    groups.add(new ParamGroup(params, merged));
    return this;
  }

  /** The parameter groups, in the order they were added ({@code optimizer.param_groups}). */
  public List<ParamGroup> paramGroups() {
    return Collections.unmodifiableList(groups);
  }

  // the built-in updates that keep no reference to a gradient (a subclass may): they leave an
  // engine-made .grad recyclable, so zeroGrad() hands its array to the next backward
  private final boolean keepsNoGrad =
      getClass() == SGD.class || getClass() == Adam.class || getClass() == AdamW.class;

  /** One update of every parameter that has a gradient, without recording. */
  public void step() {
    try (GradMode.Scope s = Autograd.noGrad()) {
      for (ParamGroup g : groups) {
        for (Tensor p : g.params) {
          Tensor grad = keepsNoGrad ? Grads.forUpdate(p) : p.grad();
          if (grad == null) continue;
          update(p, grad, g, state.computeIfAbsent(p, k -> new LinkedHashMap<>()));
        }
      }
    }
  }

  /**
   * Updates one parameter in place from its gradient; {@code st} is its (initially empty) state.
   */
  protected abstract void update(Tensor p, Tensor grad, ParamGroup group, Map<String, Object> st);

  /** Sets every gradient to null (PyTorch 2's default {@code set_to_none=True}). */
  public void zeroGrad() {
    for (ParamGroup g : groups) for (Tensor p : g.params) p.setGrad(null);
  }

  /**
   * {@code state}: parameter index -> its state (tensors copied); {@code param_groups}: options
   * plus parameter indices.
   */
  public Map<String, Object> stateDict() {
    Map<Integer, Map<String, Object>> st = new LinkedHashMap<>();
    List<Map<String, Object>> gs = new ArrayList<>();
    int index = 0;
    for (ParamGroup g : groups) {
      Map<String, Object> opts = new LinkedHashMap<>(g.options);
      List<Integer> ids = new ArrayList<>();
      for (Tensor p : g.params) {
        Map<String, Object> s = state.get(p);
        if (s != null) st.put(index, copy(s));
        ids.add(index++);
      }
      opts.put("params", ids);
      gs.add(opts);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("state", st);
    out.put("param_groups", gs);
    return out;
  }

  /**
   * Restores options and state saved by {@link #stateDict()} from an optimizer with the same group
   * sizes.
   */
  @SuppressWarnings("unchecked")
  public void loadStateDict(Map<String, Object> dict) {
    List<Map<String, Object>> gs = (List<Map<String, Object>>) dict.get("param_groups");
    Map<Integer, Map<String, Object>> st = (Map<Integer, Map<String, Object>>) dict.get("state");
    if (gs == null || st == null)
      throw new IllegalArgumentException("optimizer state dict needs 'state' and 'param_groups'");
    if (gs.size() != groups.size())
      throw new IllegalArgumentException(
          "loaded state dict has a different number of parameter groups");
    for (int i = 0; i < gs.size(); i++) {
      if (((List<Integer>) gs.get(i).get("params")).size() != groups.get(i).params.size()) {
        throw new IllegalArgumentException(
            "loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
      }
    }
    state.clear();
    int index = 0;
    for (int i = 0; i < gs.size(); i++) {
      ParamGroup g = groups.get(i);
      for (Map.Entry<String, Object> e : gs.get(i).entrySet())
        if (!e.getKey().equals("params")) g.options.put(e.getKey(), e.getValue());
      List<Integer> ids = (List<Integer>) gs.get(i).get("params");
      for (int j = 0; j < ids.size(); j++, index++) {
        Map<String, Object> s = st.get(ids.get(j));
        if (s != null) state.put(g.params.get(j), copy(s));
      }
    }
  }

  private static Map<String, Object> copy(Map<String, Object> s) {
    Map<String, Object> out = new LinkedHashMap<>();
    try (GradMode.Scope g = Autograd.noGrad()) {
      for (Map.Entry<String, Object> e : s.entrySet()) {
        out.put(
            e.getKey(),
            e.getValue() instanceof Tensor ? ((Tensor) e.getValue()).clone() : e.getValue());
      }
    }
    return out;
  }

  /** A state tensor, created by {@code init} on first use. */
  protected static Tensor buffer(
      Map<String, Object> st, String key, java.util.function.Supplier<Tensor> init) {
    return (Tensor) st.computeIfAbsent(key, k -> init.get());
  }

  /** Increments and returns the parameter's step count. */
  protected static int nextStep(Map<String, Object> st) {
    int step = ((Number) st.getOrDefault("step", 0)).intValue() + 1;
    st.put("step", step);
    return step;
  }

  /** A map of options from alternating keys and values ({@code "lr", 0.01, "momentum", 0.9}). */
  protected static Map<String, Object> options(Object... keyValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) m.put((String) keyValues[i], keyValues[i + 1]);
    return m;
  }
}
