package dev.autograd.core.compile;

import dev.autograd.core.DType;
import dev.autograd.core.GradMode;
import dev.autograd.core.Tensor;
import dev.autograd.core.engine.FreshGradients;
import dev.autograd.core.engine.Graph;
import dev.autograd.core.engine.Node;

/**
 * The one node a replayed call records: its backward replays the trace's planned backward in the
 * call's arena (which holds the forward values it reads), then gives the arena back. With
 * {@code createGraph} it falls back to eager: the function runs again with history and the
 * gradients are taken through that graph, so higher orders work.
 */
final class CompiledBackward extends Node implements FreshGradients {
  private final Compiled owner;
  private final Trace trace;
  private final Tensor[] args;
  private Arena arena;

  CompiledBackward(Compiled owner, Trace trace, Tensor[] args, Tensor[] targets, Arena arena) {
    super("CompiledFunctionBackward", Graph.edges(targets), shapes(targets), dtypes(targets));
    this.owner = owner;
    this.trace = trace;
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
    if (a == null) throw Node.freedError();
    if (GradMode.isEnabled()) return owner.eagerGradients(trace, args, g, true); // createGraph
    Tensor[] grads = trace.runBackward(a, g);
    return grads != null ? grads : owner.eagerGradients(trace, args, g, false);
  }

  @Override
  protected void release() {
    Arena a = arena;
    arena = null;
    if (a != null) trace.giveBack(a);
  }
}
