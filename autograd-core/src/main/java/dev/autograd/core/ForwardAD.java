package dev.autograd.core;

import dev.autograd.core.engine.Forward;
import dev.autograd.core.ops.Movement;
import dev.autograd.core.tensor.Shapes;
import java.util.Arrays;

/** makeDual and unpackDual behind {@link Autograd}'s entry points, with PyTorch's checks. */
final class ForwardAD {
  private ForwardAD() {}

  static Tensor makeDual(Tensor primal, Tensor tangent) {
    Forward.Level level = Forward.level();
    if (level == null) {
      throw new IllegalStateException(
          "makeDual: Trying to create a dual Tensor for forward AD but no level exists,"
              + " make sure to enter_dual_level() first. In Java: try (DualLevel l = Autograd.dualLevel()) { ... }; in Kotlin: dualLevel { }");
    }
    if (!primal.dtype().isFloatingPoint()) {
      throw new IllegalArgumentException(
          "makeDual: Expected primal to be floating point or complex, but got: "
              + primal.dtype().torchName());
    }
    if (!tangent.dtype().isFloatingPoint()) {
      throw new IllegalArgumentException(
          "makeDual: Expected tangent to be floating point or complex, but got: "
              + tangent.dtype().torchName());
    }
    if (!Arrays.equals(primal.shapeRef(), tangent.shapeRef())) {
      throw new IllegalArgumentException(
          "makeDual: Trying to set a forward gradient that has a different size than that of the original Tensor,"
              + " this is not supported. Tensor is of size "
              + Shapes.str(primal.shapeRef())
              + " while the given forward gradient is of size "
              + Shapes.str(tangent.shapeRef())
              + ".");
    }
    // a tangent of another floating dtype is kept as it is, as PyTorch does (ops fit their outputs'
    // tangents)
    if (Forward.tangent(primal) != null) {
      throw new IllegalArgumentException(
          "makeDual: Making a dual Tensor based on a Tensor that already has a forward gradient at the same level 0"
              + " is not supported; use unpackDual(t).primal() first");
    }
    Tensor dual;
    try (Forward.Suspended s = Forward.suspend()) {
      dual = Movement.alias(primal);
      // the tangent takes the primal's layout, so that views of the dual see views of the tangent
      if (primal.isContiguous() && !tangent.isContiguous()) tangent = tangent.contiguous();
    }
    Forward.setTangent(level, dual, tangent);
    return dual;
  }

  static UnpackedDual unpackDual(Tensor t) {
    Tensor tangent = Forward.tangent(t);
    if (Forward.level() == null) return new UnpackedDual(t, null);
    try (Forward.Suspended s = Forward.suspend()) {
      return new UnpackedDual(Movement.alias(t), tangent);
    }
  }
}
