package dev.autograd.nn.optim;

import java.util.ArrayList;
import java.util.List;

/**
 * The base of learning-rate schedulers: remembers each group's initial lr, and on {@link #step()}
 * (once per epoch, after {@code optimizer.step()}) sets every group's lr to {@link #lrAt}.
 * Schedules use PyTorch's closed forms.
 */
public abstract class LRScheduler {
  /** The optimizer whose groups' learning rates this scheduler sets. */
  protected final Optimizer optimizer;

  private final List<Double> baseLrs = new ArrayList<>();
  private int lastEpoch;

  /** For subclasses: remembers each group's current lr as its initial lr. */
  protected LRScheduler(Optimizer optimizer) {
    this.optimizer = optimizer;
    for (Optimizer.ParamGroup g : optimizer.paramGroups()) baseLrs.add(g.lr());
  }

  /** The learning rate at {@code epoch} for a group that started at {@code baseLr}. */
  protected abstract double lrAt(double baseLr, int epoch);

  /** Advances one epoch and updates the optimizer's learning rates. */
  public void step() {
    lastEpoch++;
    List<Optimizer.ParamGroup> gs = optimizer.paramGroups();
    for (int i = 0; i < gs.size(); i++) gs.get(i).setLr(lrAt(baseLrs.get(i), lastEpoch));
  }

  /** The epoch count (PyTorch's {@code last_epoch}). */
  public int lastEpoch() {
    return lastEpoch;
  }

  /** The current learning rate of each group. */
  public List<Double> getLastLr() {
    List<Double> out = new ArrayList<>();
    for (Optimizer.ParamGroup g : optimizer.paramGroups()) out.add(g.lr());
    return out;
  }
}
