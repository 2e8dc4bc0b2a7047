package dev.autograd.core.compile;

import dev.autograd.core.DType;
import dev.autograd.core.GradMode;
import dev.autograd.core.Node;
import dev.autograd.core.Tensor;
import dev.autograd.core.engine.FreshGradients;
import dev.autograd.core.engine.Graph;

/**
 * The node a replayed call gives each output that requires grad (one for the usual single output):
 * its backward replays that output's traced backward in the call's arena (which holds the forward
 * values it reads); the last of a call's nodes to be done gives the arena back. With {@code
 * createGraph} it falls back to eager: the function runs again with history and the gradients are
 * taken through that graph, so higher orders work.
 */
final class CompiledBackward extends Node implements FreshGradients {
  private final Compiled owner;
  private final Trace trace;
  private final int backward;
  private final Tensor[] args;
  private Arena arena;

  CompiledBackward(
      Compiled owner, Trace trace, int backward, Tensor[] args, Tensor[] targets, Arena arena) {
    super("CompiledFunctionBackward", Graph.edges(targets), shapes(targets), dtypes(targets));
    this.owner = owner;
    this.trace = trace;
    this.backward = backward;
    this.args = args.clone();
    this.arena = arena;
  }

  private static int[][] shapes(Tensor[] ts) {
    int[][] s = new int[ts.length][];
    for (int i = 0; i < ts.length; i++) s[i] = ts[i].shapeRef();
    return s;
  }

  private static DType[] dtypes(Tensor[] ts) {
    DType[] d = new DType[ts.length];
    for (int i = 0; i < ts.length; i++) d[i] = ts[i].dtype();
    return d;
  }

  @Override
  protected Tensor[] apply(Tensor g) {
    Arena a = arena;
    if (a == null) throw freedError();
    if (GradMode.isEnabled())
      return owner.eagerGradients(trace, backward, args, g, true); // createGraph
    Tensor[] grads = trace.runBackward(backward, a, g);
    return grads != null ? grads : owner.eagerGradients(trace, backward, args, g, false);
  }

  @Override
  protected void release() {
    Arena a = arena;
    arena = null;
    if (a != null && a.holders.decrementAndGet() == 0)
      trace.giveBack(a); // the last output's backward returns it
  }
}
