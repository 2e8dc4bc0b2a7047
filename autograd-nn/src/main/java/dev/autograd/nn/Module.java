package dev.autograd.nn;

import dev.autograd.core.Autograd;
import dev.autograd.core.DType;
import dev.autograd.core.GradMode;
import dev.autograd.core.RemovableHandle;
import dev.autograd.core.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The base of every layer, PyTorch's {@code nn.Module}: named parameters, buffers and child modules
 * in registration order, with PyTorch's dotted names ({@code 0.weight}, {@code fc1.bias}, {@code
 * bn.running_mean}).
 *
 * <p>Parameters: {@code Tensor} is final, so there is no {@code Parameter} subclass. A parameter is
 * a leaf tensor that requires grad, registered with {@link #registerParameter}; layers look their
 * parameters up by name, so {@link #to(DType)} can swap them for converted copies (like {@code
 * .double()}; create optimizers after converting). {@link #parameters()} is deterministic: modules
 * in pre-order, each module's parameters in registration order, shared tensors once.
 */
public abstract class Module {
  private final Map<String, Tensor> params = new LinkedHashMap<>();
  private final Map<String, Tensor> buffers = new LinkedHashMap<>();
  private final Map<String, Module> children = new LinkedHashMap<>();
  private boolean training = true;

  /** For subclasses: a module in training mode with no parameters, buffers or children yet. */
  protected Module() {}

  /** The layer's computation on one input. */
  public abstract Tensor forward(Tensor input);

  /**
   * {@link #forward(Tensor)}; Kotlin's call operator, so a model reads {@code model(x)} as in
   * PyTorch. (A member, so it wins over a top-level Kotlin function of the same name.)
   */
  public Tensor invoke(Tensor input) {
    ModuleHooks h = hooks;
    return h == null || h.isEmpty() ? forward(input) : h.call(this, input);
  }

  // --- hooks (PyTorch's register_forward_pre_hook, register_forward_hook,
  // register_full_backward_hook) ---

  private volatile ModuleHooks hooks;

  /**
   * Runs before {@link #forward} when the module is called through {@link #invoke}; may replace the
   * input.
   */
  @FunctionalInterface
  public interface ForwardPreHook {
    /** Returns a replacement input, or null to keep {@code input}. */
    Tensor apply(Module module, Tensor input);
  }

  /**
   * Runs after {@link #forward} when the module is called through {@link #invoke}; may replace the
   * output.
   */
  @FunctionalInterface
  public interface ForwardHook {
    /** Returns a replacement output, or null to keep {@code output}. */
    Tensor apply(Module module, Tensor input, Tensor output);
  }

  /**
   * Runs when the gradient of the module's input has been computed (PyTorch's full backward hook).
   */
  @FunctionalInterface
  public interface FullBackwardHook {
    /**
     * {@code gradInput}: the gradient of the input ({@code {null}} when the input does not require
     * grad), {@code gradOutput}: of the output. Returns a replacement {@code gradInput} (same
     * length) or null to keep it.
     */
    Tensor[] apply(Module module, Tensor[] gradInput, Tensor[] gradOutput);
  }

  private ModuleHooks hooks() {
    ModuleHooks h = hooks;
    if (h == null) {
      synchronized (this) {
        if (hooks == null) hooks = new ModuleHooks();
        h = hooks;
      }
    }
    return h;
  }

  /**
   * Runs {@code hook} on the input before each call (PyTorch's {@code register_forward_pre_hook});
   * hooks run only when the module is called through {@link #invoke} ({@code model(x)} in Kotlin,
   * and the children of {@link Sequential}), not by a direct {@link #forward} call, as in PyTorch.
   */
  public RemovableHandle registerForwardPreHook(ForwardPreHook hook) {
    return hooks()
        .addPre(java.util.Objects.requireNonNull(hook, "registerForwardPreHook: hook is null"));
  }

  /**
   * Runs {@code hook} on the input and output after each call (PyTorch's {@code
   * register_forward_hook}); see {@link #registerForwardPreHook}.
   */
  public RemovableHandle registerForwardHook(ForwardHook hook) {
    return hooks()
        .addForward(java.util.Objects.requireNonNull(hook, "registerForwardHook: hook is null"));
  }

  /**
   * Runs {@code hook} with the gradients of the module's input and output during backward
   * (PyTorch's {@code register_full_backward_hook}): the call's input and output pass through
   * identity nodes ({@code BackwardHookFunctionBackward}) that catch them. Calls made while the
   * hook was registered and grad mode was on are hooked.
   */
  public RemovableHandle registerFullBackwardHook(FullBackwardHook hook) {
    return hooks()
        .addBackward(
            java.util.Objects.requireNonNull(hook, "registerFullBackwardHook: hook is null"));
  }

  // --- registration ---

  /**
   * Registers {@code value} (a leaf; made to require grad) as parameter {@code name}, or removes
   * the slot's value when null (e.g. {@code bias=false}). Returns the tensor.
   */
  protected Tensor registerParameter(String name, Tensor value) {
    checkName(name);
    if (value == null) {
      params.put(name, null);
      return null;
    }
    if (!value.isLeaf()) {
      throw new IllegalArgumentException(
          "cannot register '"
              + name
              + "' as a parameter: it is not a leaf tensor (it has grad_fn "
              + value.gradFn().name()
              + "); use detach()");
    }
    if (!value.dtype().isFloatingPoint()) {
      throw new IllegalArgumentException(
          "cannot register '"
              + name
              + "' as a parameter: dtype "
              + value.dtype().torchName()
              + " is not floating point");
    }
    value.requiresGrad_(true);
    params.put(name, value);
    return value;
  }

  /**
   * Registers a buffer (state saved in {@link #stateDict()} but not trained, e.g. running_mean).
   */
  protected Tensor registerBuffer(String name, Tensor value) {
    checkName(name);
    buffers.put(name, value);
    return value;
  }

  /** Registers a child module under {@code name}; returns it. */
  protected <M extends Module> M registerModule(String name, M module) {
    checkName(name);
    children.put(name, module);
    return module;
  }

  private void checkName(String name) {
    if (name.isEmpty() || name.contains(".")) {
      throw new IllegalArgumentException(
          "module, parameter and buffer names must be non-empty and contain no '.', got \""
              + name
              + "\"");
    }
  }

  /** This module's own parameter {@code name} (null if registered as absent). */
  public Tensor parameter(String name) {
    if (!params.containsKey(name))
      throw new IllegalArgumentException(
          getClass().getSimpleName() + " has no parameter '" + name + "'");
    return params.get(name);
  }

  /** This module's own buffer {@code name}. */
  public Tensor buffer(String name) {
    if (!buffers.containsKey(name))
      throw new IllegalArgumentException(
          getClass().getSimpleName() + " has no buffer '" + name + "'");
    return buffers.get(name);
  }

  /** Replaces a buffer's tensor (e.g. a running statistic rebuilt in another dtype). */
  protected void setBuffer(String name, Tensor value) {
    buffer(name);
    buffers.put(name, value);
  }

  // --- traversal ---

  /** Direct children in registration order. */
  public List<Module> children() {
    return new ArrayList<>(children.values());
  }

  /** Direct children by name. */
  public Map<String, Module> namedChildren() {
    return Collections.unmodifiableMap(children);
  }

  /** This module and all descendants, pre-order, each once. */
  public List<Module> modules() {
    return new ArrayList<>(namedModules().values());
  }

  /** Every module by dotted path ("" for this one), pre-order, each once. */
  public Map<String, Module> namedModules() {
    Map<String, Module> out = new LinkedHashMap<>();
    collectModules("", this, out, Collections.newSetFromMap(new IdentityHashMap<>()));
    return out;
  }

  private static void collectModules(
      String prefix, Module m, Map<String, Module> out, Set<Module> seen) {
    if (!seen.add(m)) return;
    out.put(prefix, m);
    for (Map.Entry<String, Module> e : m.children.entrySet()) {
      if (e.getValue() != null)
        collectModules(
            prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out, seen);
    }
  }

  /**
   * All parameters, deduplicated, in a deterministic order (modules pre-order, registration order).
   */
  public List<Tensor> parameters() {
    return new ArrayList<>(namedParameters().values());
  }

  /**
   * Parameters by dotted name, in {@link #parameters()} order (a tensor shared by two modules
   * appears once).
   */
  public Map<String, Tensor> namedParameters() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Map.Entry<String, Module> m : namedModules().entrySet()) {
      for (Map.Entry<String, Tensor> p : m.getValue().params.entrySet()) {
        if (p.getValue() != null && seen.add(p.getValue()))
          out.put(join(m.getKey(), p.getKey()), p.getValue());
      }
    }
    return out;
  }

  /** Buffers by dotted name. */
  public Map<String, Tensor> namedBuffers() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, Module> m : namedModules().entrySet()) {
      for (Map.Entry<String, Tensor> b : m.getValue().buffers.entrySet()) {
        if (b.getValue() != null) out.put(join(m.getKey(), b.getKey()), b.getValue());
      }
    }
    return out;
  }

  private static String join(String prefix, String name) {
    return prefix.isEmpty() ? name : prefix + "." + name;
  }

  /** The number of trainable values (elements of all parameters). */
  public long numParameters() {
    long n = 0;
    for (Tensor p : parameters()) n += p.numel();
    return n;
  }

  // --- state ---

  /**
   * Parameters and buffers by PyTorch's dotted names (each module: its parameters, then its
   * buffers, then its children). Values are detached and share storage with the module.
   */
  public Map<String, Tensor> stateDict() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    saveTo("", out);
    return out;
  }

  private void saveTo(String prefix, Map<String, Tensor> out) {
    for (Map.Entry<String, Tensor> p : params.entrySet()) {
      if (p.getValue() != null) out.put(prefix + p.getKey(), p.getValue().detach());
    }
    for (Map.Entry<String, Tensor> b : buffers.entrySet()) {
      if (b.getValue() != null) out.put(prefix + b.getKey(), b.getValue().detach());
    }
    for (Map.Entry<String, Module> c : children.entrySet()) {
      if (c.getValue() != null) c.getValue().saveTo(prefix + c.getKey() + ".", out);
    }
  }

  /** {@code loadStateDict(state, true)}. */
  public void loadStateDict(Map<String, Tensor> state) {
    loadStateDict(state, true);
  }

  /**
   * Copies {@code state}'s values into this module's parameters and buffers (converting dtype).
   * Everything is checked first — missing and unexpected keys (when {@code strict}), shape
   * mismatches (always) — so a failed load changes nothing. Errors list every problem.
   */
  public void loadStateDict(Map<String, Tensor> state, boolean strict) {
    Map<String, Tensor> own = stateDict();
    List<String> missing = new ArrayList<>(),
        unexpected = new ArrayList<>(),
        problems = new ArrayList<>();
    for (String k : own.keySet()) if (!state.containsKey(k)) missing.add(k);
    for (String k : state.keySet()) if (!own.containsKey(k)) unexpected.add(k);
    for (Map.Entry<String, Tensor> e : own.entrySet()) {
      Tensor src = state.get(e.getKey());
      if (src == null) continue;
      if (!Arrays.equals(src.shapeRef(), e.getValue().shapeRef())) {
        problems.add(
            "size mismatch for "
                + e.getKey()
                + ": copying a param with shape "
                + Arrays.toString(src.shapeRef())
                + " from checkpoint, the shape in current model is "
                + Arrays.toString(e.getValue().shapeRef())
                + ".");
      } else if (src.dtype().isFloatingPoint() != e.getValue().dtype().isFloatingPoint()) {
        problems.add(
            "dtype mismatch for "
                + e.getKey()
                + ": copying a "
                + src.dtype().torchName()
                + " tensor into a "
                + e.getValue().dtype().torchName()
                + " one.");
      }
    }
    StringBuilder msg = new StringBuilder();
    if (strict && !unexpected.isEmpty())
      msg.append("\n\tUnexpected key(s) in state_dict: ").append(quoted(unexpected)).append('.');
    if (strict && !missing.isEmpty())
      msg.append("\n\tMissing key(s) in state_dict: ").append(quoted(missing)).append('.');
    for (String p : problems) msg.append("\n\t").append(p);
    if (msg.length() > 0) {
      throw new IllegalArgumentException(
          "Error(s) in loading state_dict for " + getClass().getSimpleName() + ":" + msg);
    }
    try (GradMode.Scope s = Autograd.noGrad()) {
      for (Map.Entry<String, Tensor> e : own.entrySet()) {
        Tensor src = state.get(e.getKey());
        if (src != null) e.getValue().copy_(src.detach());
      }
    }
  }

  private static String quoted(List<String> keys) {
    StringBuilder b = new StringBuilder();
    for (String k : keys) b.append(b.length() == 0 ? "" : ", ").append('"').append(k).append('"');
    return b.toString();
  }

  /**
   * Converts every floating-point parameter and buffer to {@code dtype} (PyTorch's {@code
   * .double()} / {@code .float()}); parameters become new leaf tensors, so build optimizers after.
   */
  public Module to(DType dtype) {
    if (!dtype.isFloatingPoint())
      throw new IllegalArgumentException(
          "Module.to only accepts floating point dtypes, got " + dtype.torchName());
    for (Module m : modules()) {
      try (GradMode.Scope s = Autograd.noGrad()) {
        for (Map.Entry<String, Tensor> p : m.params.entrySet()) {
          Tensor t = p.getValue();
          if (t != null && t.dtype() != dtype) p.setValue(t.detach().to(dtype).requiresGrad_(true));
        }
        for (Map.Entry<String, Tensor> b : m.buffers.entrySet()) {
          Tensor t = b.getValue();
          if (t != null && t.dtype().isFloatingPoint() && t.dtype() != dtype)
            b.setValue(t.to(dtype));
        }
      }
    }
    return this;
  }

  /** {@code to(DType.FLOAT64)}. */
  public Module toDouble() {
    return to(DType.FLOAT64);
  }

  // --- modes and utilities ---

  /** Training mode on or off, for this module and all descendants (Dropout, BatchNorm). */
  public Module train(boolean on) {
    for (Module m : modules()) m.training = on;
    return this;
  }

  /** {@code train(true)}. */
  public Module train() {
    return train(true);
  }

  /** {@code train(false)}. */
  public Module eval() {
    return train(false);
  }

  /**
   * Whether the module is in training mode ({@code module.training}); see {@link #train()} and
   * {@link #eval()}.
   */
  public boolean isTraining() {
    return training;
  }

  /** Clears every parameter's {@code .grad} (PyTorch 2's default {@code set_to_none=True}). */
  public void zeroGrad() {
    for (Tensor p : parameters()) p.setGrad(null);
  }

  /** Calls {@code fn} on every descendant, then on this module (PyTorch's {@code apply}). */
  public Module apply(Consumer<Module> fn) {
    for (Module c : children.values()) if (c != null) c.apply(fn);
    fn.accept(this);
    return this;
  }

  /** The part of {@link #toString()} between the parentheses, e.g. {@code in_features=4, ...}. */
  protected String extraRepr() {
    return "";
  }

  /** PyTorch's module printout: {@code Name(extra)} or a parenthesised list of named children. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(getClass().getSimpleName()).append('(');
    String extra = extraRepr();
    List<String> lines = new ArrayList<>();
    if (!extra.isEmpty()) lines.addAll(Arrays.asList(extra.split("\n")));
    for (Map.Entry<String, Module> c : children.entrySet()) {
      String child = String.valueOf(c.getValue()).replace("\n", "\n  ");
      lines.add("(" + c.getKey() + "): " + child);
    }
    if (children.isEmpty() && lines.size() <= 1) return b.append(extra).append(')').toString();
    for (String l : lines) b.append("\n  ").append(l);
    return b.append("\n)").toString();
  }
}
