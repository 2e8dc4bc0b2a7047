package dev.autograd.core.compile;

import dev.autograd.core.Tensor;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Objects;

/**
 * Compares two recordings of a compiled function: the same path (guards), and the same program
 * (everything a replay does).
 */
final class TraceDiff {
  private TraceDiff() {}

  /** True when both recordings took the same branches (equal guards). */
  static boolean samePath(Trace a, Trace b) {
    if (a.guards.length != b.guards.length) return false;
    for (int i = 0; i < a.guards.length; i++) {
      Guard x = a.guards[i], y = b.guards[i];
      if (x.slot() != y.slot()
          || x.at() != y.at()
          || x.exact() != y.exact()
          || x.onGrad() != y.onGrad()
          || !x.holds(y.expected())) return false;
    }
    return true;
  }

  /** Null when a replay of either would do the same, else the first difference in words. */
  static String difference(Trace a, Trace b) {
    if (!Objects.equals(a.unusable, b.unusable))
      return "one runs eagerly: " + (a.unusable != null ? a.unusable : b.unusable);
    if (a.steps.length != b.steps.length) return a.steps.length + " steps, then " + b.steps.length;
    for (int k = 0; k < a.steps.length; k++) {
      Step x = a.steps[k], y = b.steps[k];
      if (x.def() != y.def()
          || x.kind() != y.kind()
          || x.out() != y.out()
          || x.dtype() != y.dtype()
          || !Arrays.equals(x.in(), y.in())
          || !Arrays.equals(x.shape(), y.shape())) {
        return "step " + (k + 1) + " is " + x.name() + " in one, " + y.name() + " in the other";
      }
      if (!deepEquals(x.attrs(), y.attrs()))
        return "step "
            + (k + 1)
            + " ("
            + x.name()
            + ") has other attributes: "
            + x.attrs()
            + ", then "
            + y.attrs();
    }
    if (a.slots.length != b.slots.length) return a.slots.length + " values, then " + b.slots.length;
    for (int i = 0; i < a.slots.length; i++) {
      Slot x = a.slots[i], y = b.slots[i];
      if (x.kind() != y.kind()
          || x.index() != y.index()
          || x.root() != y.root()
          || x.dtype() != y.dtype()
          || !Arrays.equals(x.shape(), y.shape())) {
        return "value %" + i + " differs";
      }
    }
    if (a.captured.length != b.captured.length)
      return a.captured.length + " captured tensors, then " + b.captured.length;
    for (int i = 0; i < a.captured.length; i++)
      if (a.captured[i] != b.captured[i]) return "captured tensor " + i + " is another tensor";
    for (int i = 0; i < a.constants.length; i++) {
      if (!Arrays.equals(a.constants[i].toDoubleArray(), b.constants[i].toDoubleArray()))
        return "a constant made inside the function changed";
    }
    if (!Arrays.equals(a.outputSlots, b.outputSlots) || a.backwards.length != b.backwards.length)
      return "the outputs differ";
    return null;
  }

  // attributes are immutable values; records among them may hold arrays, compared by content
  private static boolean deepEquals(Object x, Object y) {
    if (x == y) return true;
    if (x == null || y == null || x.getClass() != y.getClass()) return false;
    if (x.getClass().isArray()) return Objects.deepEquals(x, y) || arraysDeepEqual(x, y);
    if (x instanceof Tensor tx) { // a constant among the attributes (a region mask): equal values
      Tensor ty = (Tensor) y;
      return tx.dtype() == ty.dtype()
          && Arrays.equals(tx.shapeRef(), ty.shapeRef())
          && Arrays.equals(tx.toDoubleArray(), ty.toDoubleArray());
    }
    if (x.getClass().isRecord()) {
      for (RecordComponent c : x.getClass().getRecordComponents()) {
        try {
          c.getAccessor().setAccessible(true);
          if (!deepEquals(c.getAccessor().invoke(x), c.getAccessor().invoke(y))) return false;
        } catch (ReflectiveOperationException | RuntimeException e) {
          return x.equals(y);
        }
      }
      return true;
    }
    return x.equals(y);
  }

  private static boolean arraysDeepEqual(Object x, Object y) {
    if (!(x instanceof Object[] xs) || !(y instanceof Object[] ys) || xs.length != ys.length)
      return false;
    for (int i = 0; i < xs.length; i++) if (!deepEquals(xs[i], ys[i])) return false;
    return true;
  }
}
