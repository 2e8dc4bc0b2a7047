package dev.autograd.nn;

import dev.autograd.core.Tensor;
import java.util.List;

/**
 * Runs its modules in order, each on the previous one's output; children are named 0, 1, 2, ....
 */
public class Sequential extends Module {
  /**
   * The modules applied in order, registered as children {@code 0}, {@code 1}, ... ({@code
   * nn.Sequential}).
   */
  public Sequential(Module... modules) {
    for (Module m : modules) add(m);
  }

  /** Appends a module (named by its position). */
  public Sequential add(Module m) {
    registerModule(String.valueOf(namedChildren().size()), m);
    return this;
  }

  /** The module at {@code index}. */
  public Module get(int index) {
    List<Module> c = children();
    if (index < 0 || index >= c.size())
      throw new IndexOutOfBoundsException(
          "index " + index + " is out of range for Sequential of " + c.size());
    return c.get(index);
  }

  /** The number of modules ({@code len(seq)}). */
  public int size() {
    return namedChildren().size();
  }

  @Override
  public Tensor forward(Tensor input) {
    Tensor x = input;
    for (Module m : children())
      x = m.invoke(x); // through invoke, so the children's hooks run (PyTorch calls module(x))
    return x;
  }
}
