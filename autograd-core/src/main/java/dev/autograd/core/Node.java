package dev.autograd.core;

import dev.autograd.core.engine.Anomaly;
import dev.autograd.core.engine.SavedTensor;
import dev.autograd.core.internal.NodeAccess;
import dev.autograd.core.internal.SharedSecrets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * One recorded operation of a forward pass: PyTorch's {@code grad_fn}. It knows how to turn the
 * gradient of its output into gradients of its inputs, and holds the edges to its inputs' nodes.
 *
 * <p>Note [sequence numbers]: every node takes a number from one global counter when it is created,
 * so a node's inputs always have smaller numbers than the node. The engine walks a graph in
 * decreasing number order, which is therefore a topological order (a Wengert list), without any
 * global tape.
 *
 * <p>Users read a node ({@link #name()}, {@link #nextFunctions()}, {@link #sequenceNr()}); only the
 * engine runs one (through an internal accessor). Nodes are made by the library's ops and by {@link
 * Function}: write a {@code Function} to define a custom derivative.
 */
public abstract class Node {
  static {
    SharedSecrets.setNodeAccess(new Access());
  }

  private static final AtomicLong SEQUENCE = new AtomicLong();

  private final long sequenceNr;
  private final String name;

  /** The nodes of this node's inputs; an entry is null where the input needs no gradient. */
  protected final Node[] next;

  /** Each input's shape and dtype, so the engine can reduce a broadcast gradient to it. */
  protected final int[][] inputShapes;

  /** Each input's dtype, so the engine can cast a gradient back to it. */
  protected final DType[] inputDtypes;

  /**
   * What few nodes have: a retained output and hooks. Null until the first (one field instead of
   * three keeps every op node of a scalar graph 8 bytes smaller).
   */
  private volatile Extras extras;

  /** A node's rarely used parts; lists are created on first registration. */
  private static final class Extras {
    /** Set by {@link Tensor#retainGrad()} on a non-leaf: its .grad is filled during backward. */
    volatile Tensor retainedOutput;

    /** Hooks on the gradient arriving at this node (tensor hooks and pre-hooks), in order. */
    volatile List<UnaryOperator<Tensor>> preHooks;

    /** Hooks on the gradients this node computed for its inputs. */
    volatile List<PostHook> postHooks;
  }

  // the extras, created under this node's lock on first use
  private Extras extras() {
    Extras e = extras;
    if (e != null) return e;
    synchronized (this) {
      if (extras == null) extras = new Extras();
      return extras;
    }
  }

  /**
   * A hook run after the node: it sees the input gradients and the output gradient, and may replace
   * the former.
   */
  @FunctionalInterface
  public interface PostHook {
    /** Returns replacement input gradients (same length), or null to keep them. */
    Tensor[] apply(Tensor[] gradInputs, Tensor gradOutput);
  }

  /**
   * A node named {@code name} (shown as {@code <name>}) whose inputs' nodes are {@code next} (null
   * where no gradient is needed), with each input's shape and dtype.
   */
  protected Node(String name, Node[] next, int[][] inputShapes, DType[] inputDtypes) {
    this.sequenceNr = SEQUENCE.getAndIncrement();
    this.name = name;
    if (Anomaly.enabled)
      Anomaly.recordCallSite(this); // a side table, so nodes stay small outside anomaly mode
    this.next = next;
    this.inputShapes = inputShapes;
    this.inputDtypes = inputDtypes;
  }

  /** PyTorch's node name, e.g. {@code MulBackward0}, {@code AccumulateGrad}. */
  public String name() {
    return name;
  }

  /** The creation order of this node; inputs always have smaller numbers. */
  public long sequenceNr() {
    return sequenceNr;
  }

  /** The nodes that receive this node's input gradients (null entries for inputs without one). */
  public List<Node> nextFunctions() {
    List<Node> out = new ArrayList<>(next.length);
    Collections.addAll(out, next);
    return Collections.unmodifiableList(out);
  }

  /**
   * Runs {@code hook} on the gradient arriving at this node before the node uses it (PyTorch's
   * {@code register_prehook}); a non-null result replaces the gradient (same shape and dtype).
   */
  public RemovableHandle registerPrehook(UnaryOperator<Tensor> hook) {
    Objects.requireNonNull(hook, "registerPrehook(): hook is null");
    List<UnaryOperator<Tensor>> hooks;
    Extras e = extras();
    synchronized (this) {
      if (e.preHooks == null) e.preHooks = new CopyOnWriteArrayList<>();
      hooks = e.preHooks;
    }
    hooks.add(hook);
    return () -> hooks.remove(hook);
  }

  /**
   * Runs {@code hook} after this node computed its input gradients (PyTorch's {@code register_hook}
   * on a node).
   */
  public RemovableHandle registerHook(PostHook hook) {
    Objects.requireNonNull(hook, "registerHook(): hook is null");
    List<PostHook> hooks;
    Extras e = extras();
    synchronized (this) {
      if (e.postHooks == null) e.postHooks = new CopyOnWriteArrayList<>();
      hooks = e.postHooks;
    }
    hooks.add(hook);
    return () -> hooks.remove(hook);
  }

  // the gradient after every pre-hook; each result must keep the gradient's shape and dtype
  private Tensor runPreHooks(List<UnaryOperator<Tensor>> preHooks, Tensor g) {
    for (UnaryOperator<Tensor> h : preHooks) {
      Tensor r = h.apply(g);
      if (r == null) continue;
      if (!java.util.Arrays.equals(r.shape(), g.shape()) || r.dtype() != g.dtype()) {
        throw new IllegalStateException(
            "hook on "
                + name
                + " returned a gradient of shape "
                + java.util.Arrays.toString(r.shape())
                + " and dtype "
                + r.dtype().torchName()
                + ", expected "
                + java.util.Arrays.toString(g.shape())
                + " and "
                + g.dtype().torchName());
      }
      g = r;
    }
    return g;
  }

  private Tensor[] runPostHooks(List<PostHook> postHooks, Tensor[] gradInputs, Tensor g) {
    for (PostHook h : postHooks) {
      Tensor[] r = h.apply(gradInputs.clone(), g);
      if (r == null) continue;
      if (r.length != gradInputs.length) {
        throw new IllegalStateException(
            "hook on "
                + name
                + " returned "
                + r.length
                + " gradients for "
                + gradInputs.length
                + " inputs");
      }
      gradInputs = r;
    }
    return gradInputs;
  }

  /** Gradients of the inputs, given the gradient {@code g} of the output. */
  protected abstract Tensor[] apply(Tensor g);

  /** Frees saved tensors after a backward pass without {@code retainGraph}. */
  protected void release() {}

  /** PyTorch's error for a backward through a graph whose saved values were freed. */
  protected static IllegalStateException freedError() {
    return SavedTensor.freedError();
  }

  @Override
  public String toString() {
    return "<" + name + ">";
  }

  // The engine's way in (see SharedSecrets).
  private static final class Access implements NodeAccess {
    @Override
    public Tensor[] apply(Node node, Tensor g) {
      return node.apply(g);
    }

    @Override
    public void release(Node node) {
      node.release();
    }

    @Override
    public Node[] next(Node node) {
      return node.next;
    }

    @Override
    public int[][] inputShapes(Node node) {
      return node.inputShapes;
    }

    @Override
    public DType[] inputDtypes(Node node) {
      return node.inputDtypes;
    }

    @Override
    public Tensor retainedOutput(Node node) {
      Extras e = node.extras;
      return e == null ? null : e.retainedOutput;
    }

    @Override
    public void retainOutput(Node node, Tensor t) {
      node.extras().retainedOutput = t;
    }

    @Override
    public StackTraceElement[] forwardCallSite(Node node) {
      return Anomaly.callSiteOf(node);
    }

    @Override
    public boolean hasHooks(Node node) {
      Extras e = node.extras;
      if (e == null) return false;
      List<UnaryOperator<Tensor>> pre = e.preHooks;
      List<PostHook> post = e.postHooks;
      return (pre != null && !pre.isEmpty()) || (post != null && !post.isEmpty());
    }

    @Override
    public Tensor runPreHooks(Node node, Tensor g) {
      Extras e = node.extras;
      List<UnaryOperator<Tensor>> pre = e == null ? null : e.preHooks;
      return pre == null || pre.isEmpty() ? g : node.runPreHooks(pre, g);
    }

    @Override
    public Tensor[] runPostHooks(Node node, Tensor[] gradInputs, Tensor g) {
      Extras e = node.extras;
      List<PostHook> post = e == null ? null : e.postHooks;
      return post == null || post.isEmpty() ? gradInputs : node.runPostHooks(post, gradInputs, g);
    }
  }
}
