package dev.autograd.core.engine;

import dev.autograd.core.Tensor;
import java.util.ArrayDeque;
import java.util.function.Function;

/**
 * The saved-tensor hooks in force on each thread (PyTorch's {@code saved_tensors_hooks} stack):
 * {@link SavedTensor} packs every tensor an op saves with the innermost pair. A global count of
 * open scopes keeps the common case (no hooks anywhere) to one field read per save.
 */
public final class SavedTensorHooks {
  private SavedTensorHooks() {}

  /** A pack/unpack pair. */
  public record Pair(Function<Tensor, Object> pack, Function<Object, Tensor> unpack) {}

  private static volatile int open;
  private static final ThreadLocal<ArrayDeque<Pair>> STACK =
      ThreadLocal.withInitial(ArrayDeque::new);
  private static final ThreadLocal<boolean[]> PACKING =
      ThreadLocal.withInitial(() -> new boolean[1]);

  /** Makes {@code pair} the innermost hooks of this thread. */
  public static void push(Pair pair) {
    STACK.get().push(pair);
    synchronized (SavedTensorHooks.class) {
      open++;
    }
  }

  /** Removes {@code pair}, which must be this thread's innermost hooks. */
  public static void pop(Pair pair) {
    ArrayDeque<Pair> stack = STACK.get();
    if (stack.peek() != pair)
      throw new IllegalStateException(
          "savedTensorsHooks scopes must be closed in reverse order of opening, on their own thread");
    stack.pop();
    synchronized (SavedTensorHooks.class) {
      open--;
    }
  }

  /** The hooks a tensor saved now goes through, or null (none, or inside a pack hook). */
  static Pair current() {
    if (open == 0) return null;
    if (PACKING.get()[0]) return null;
    return STACK.get().peek();
  }

  /**
   * Runs {@code pair}'s pack on {@code t}; tensors saved by the pack hook itself are not packed
   * again.
   */
  static Object pack(Pair pair, Tensor t) {
    boolean[] flag = PACKING.get();
    flag[0] = true;
    try {
      return pair.pack().apply(t);
    } finally {
      flag[0] = false;
    }
  }
}
