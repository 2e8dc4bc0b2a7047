package dev.autograd.core;

import dev.autograd.core.engine.SavedTensor;
import dev.autograd.core.internal.NodeAccess;
import dev.autograd.core.internal.SharedSecrets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One recorded operation of a forward pass: PyTorch's {@code grad_fn}. It knows how to turn the
 * gradient of its output into gradients of its inputs, and holds the edges to its inputs' nodes.
 *
 * <p>Note [sequence numbers]: every node takes a number from one global counter when it is
 * created, so a node's inputs always have smaller numbers than the node. The engine walks a graph
 * in decreasing number order, which is therefore a topological order (a Wengert list), without
 * any global tape.
 *
 * <p>Users read a node ({@link #name()}, {@link #nextFunctions()}, {@link #sequenceNr()}); only
 * the engine runs one (through an internal accessor). Nodes are made by the library's ops and by
 * {@link Function}: write a {@code Function} to define a custom derivative.
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

  protected final DType[] inputDtypes;
  /** Set by {@link Tensor#retainGrad()} on a non-leaf: its .grad is filled during backward. */
  private volatile Tensor retainedOutput;

  protected Node(String name, Node[] next, int[][] inputShapes, DType[] inputDtypes) {
    this.sequenceNr = SEQUENCE.getAndIncrement();
    this.name = name;
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
      return node.retainedOutput;
    }

    @Override
    public void retainOutput(Node node, Tensor t) {
      node.retainedOutput = t;
    }
  }
}
