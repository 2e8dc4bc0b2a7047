package dev.autograd.core.ops;

import dev.autograd.core.DType;
import dev.autograd.core.GradMode;
import dev.autograd.core.Node;
import dev.autograd.core.Tensor;
import dev.autograd.core.compile.Effect;
import dev.autograd.core.compile.Tracer;
import dev.autograd.core.engine.Forward;
import dev.autograd.core.engine.Graph;
import dev.autograd.core.internal.NodeAccess;
import dev.autograd.core.internal.SharedSecrets;
import dev.autograd.core.internal.Tensors;
import dev.autograd.core.kernels.BinaryOp;
import dev.autograd.core.kernels.KernelProvider;
import dev.autograd.core.tensor.Shapes;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * In-place ops ({@code add_}, {@code mul_}, {@code zero_}, ...): the out-of-place op computes the
 * new value, which is written back into this tensor's storage; the version counter is bumped so
 * that derivatives which saved the old value fail loudly instead of using the new one.
 *
 * <p>Note [in-place and history]: when the op is recorded, it runs on a clone of the old value (so
 * a derivative that needs the old value has it), and the tensor takes the new node as its grad_fn,
 * as PyTorch's rebase_history does. In-place writes into a view of a tensor that requires grad are
 * rejected rather than silently giving the base a wrong gradient.
 */
public final class InPlace {
  private InPlace() {}

  public static Tensor apply(Tensor self, String name, UnaryOperator<Tensor> op) {
    checkAllowed(self, name);
    boolean recording = GradMode.isEnabled();
    boolean tracked = recording && self.requiresGrad();
    Tensor result = op.apply(tracked ? self.clone() : self);
    if (recording && !tracked && result.requiresGrad()) {
      // another operand requires grad: the node must not save the tensor being overwritten
      result = op.apply(self.clone());
    }
    if (!Arrays.equals(result.shapeRef(), self.shapeRef())) {
      throw new IllegalArgumentException(
          name
              + ": output with shape "
              + Shapes.str(self.shapeRef())
              + " doesn't match the broadcast shape "
              + Shapes.str(result.shapeRef()));
    }
    if (!self.dtype().isFloatingPoint() && result.dtype().isFloatingPoint()) {
      throw new IllegalArgumentException(
          name
              + ": result type "
              + result.dtype().torchName()
              + " can't be cast to the desired output type "
              + self.dtype().torchName());
    }
    boolean rebase = recording && result.requiresGrad();
    if (rebase && Tracer.active) Tracer.rebase(self, name + "()");
    if (rebase && self.isView()) {
      intoView(self, name, result);
      Forward.inPlace(
          self, result); // forward mode: self's tangent follows (no-op without a dual level)
      return self;
    }
    Node old = self.gradFn();
    write(self, name, result);
    Forward.inPlace(self, result);
    if (rebase) {
      Node now =
          result.gradFn() != null
              ? result.gradFn()
              : Movement.alias(result).gradFn(); // copy_ of a leaf: an edge to it
      Graph.attach(self, now);
      moveRetainedGrad(self, old, now);
    }
    return self;
  }

  // Note [views and in-place] (Tensor): the base's history becomes CopySlices(base before, result)
  private static Tensor intoView(Tensor self, String name, Tensor result) {
    Tensor base = self.base(); // checkAllowed refused a view of a leaf that requires grad
    if (SharedSecrets.tensors().isMultiOutputView(self)) {
      throw new IllegalStateException(
          name
              + ": this tensor is one of the views returned by split or chunk and is being modified in place."
              + " Such functions do not allow their output views to be modified in place: use an out-of-place op, or clone() the piece");
    }
    write(self, name, result);
    ViewGrads.copySlices(base, self, result);
    return self;
  }

  // the new value into self (inside a traced compiled function, as an effect the replay repeats)
  private static void write(Tensor self, String name, Tensor result) {
    if (Tracer.active && Tracer.effect(new CopyInto(name), self, result)) return;
    Creation.copyValues(result, self);
    Tensors.storage(self).bumpVersion();
  }

  /**
   * Copies {@code in[1]} into {@code in[0]} (an in-place op's value, computed by the steps before
   * it).
   */
  private record CopyInto(String name) implements Effect {
    @Override
    public void run(Tensor[] in, Tensor scratch) {
      Creation.copyValues(in[1], in[0]);
      Tensors.storage(in[0]).bumpVersion();
    }
  }

  /**
   * {@code self = self op (alpha * other)} by the direct kernel (the layout was checked when
   * traced, and is guarded).
   */
  private record BinaryInto(String name, BinaryOp op, double alpha) implements Effect {
    @Override
    public void run(Tensor[] in, Tensor scratch) {
      if (!direct(in[0], in[1])) {
        throw new IllegalStateException(
            name
                + "(): a replayed in-place write found another memory layout than traced ("
                + in[0]
                + "); this is a bug");
      }
      writeDirect(in[0], op, in[1], alpha);
    }
  }

  /** {@code fill_(value)} without history. */
  private record FillWith(double value) implements Effect {
    @Override
    public void run(Tensor[] in, Tensor scratch) {
      fillValues(in[0], value);
    }

    @Override
    public String name() {
      return value == 0 ? "zero_" : "fill_";
    }
  }

  // retainGrad() on a tensor that an in-place op rebased: its .grad is the gradient of the new
  // value, as in PyTorch
  private static void moveRetainedGrad(Tensor self, Node old, Node now) {
    if (old == null || now == null) return;
    NodeAccess nodes = SharedSecrets.nodes();
    if (nodes.retainedOutput(old) == self) {
      nodes.retainOutput(old, null);
      nodes.retainOutput(now, self);
    }
  }

  /**
   * {@code self = self op (alpha * other)}: written straight into self's storage, without
   * temporaries, when nothing is recorded and the operands are simple (same dtype, self contiguous,
   * other contiguous of self's shape or a single value, no partial overlap); otherwise through
   * {@link #apply} with {@code general}, which computes the same value.
   */
  public static Tensor binary(
      Tensor self,
      String name,
      BinaryOp op,
      Tensor other,
      double alpha,
      UnaryOperator<Tensor> general) {
    if (!direct(self, other)) return apply(self, name, general);
    checkAllowed(self, name);
    if (Tracer.active && Tracer.effect(new BinaryInto(name, op, alpha), self, other)) return self;
    writeDirect(self, op, other, alpha);
    return self;
  }

  private static void writeDirect(Tensor self, BinaryOp op, Tensor other, double alpha) {
    int n = self.numel();
    int so = self.storageOffset(), oo = other.storageOffset(), os = other.numel() == 1 ? 0 : 1;
    if (self.dtype() == DType.FLOAT32) {
      float[] s = Tensors.storage(self).floats(), o = Tensors.storage(other).floats();
      if (alpha == 1) {
        KernelProvider.get().binary(op, s, so, 1, o, oo, os, s, so, n);
      } else { // add_(other, alpha): alpha * other rounds to float first, as other.mul(alpha) does
        float a = (float) alpha;
        if (os == 0) {
          float v = o[oo] * a;
          for (int i = 0; i < n; i++) s[so + i] += v;
        } else {
          for (int i = 0; i < n; i++)
            s[so + i] += o[oo + i] * a; // a unit stride lets the JIT vectorise
        }
      }
    } else {
      double[] s = Tensors.storage(self).doubles(), o = Tensors.storage(other).doubles();
      if (alpha == 1) {
        KernelProvider.get().binary(op, s, so, 1, o, oo, os, s, so, n);
      } else {
        if (os == 0) {
          double v = o[oo] * alpha;
          for (int i = 0; i < n; i++) s[so + i] += v;
        } else {
          for (int i = 0; i < n; i++) s[so + i] += o[oo + i] * alpha;
        }
      }
    }
    Tensors.storage(self).bumpVersion();
  }

  private static boolean direct(Tensor self, Tensor other) {
    DType dt = self.dtype();
    if ((dt != DType.FLOAT32 && dt != DType.FLOAT64) || other.dtype() != dt) return false;
    if ((self.requiresGrad() || other.requiresGrad()) && GradMode.isEnabled()) return false;
    if (Forward.anyTangent(self, other)) return false; // a dual operand: its tangent must follow
    if (!self.isContiguous()) return false;
    boolean single = other.numel() == 1 && other.dim() <= self.dim();
    if (!single && !(other.isContiguous() && Arrays.equals(other.shapeRef(), self.shapeRef())))
      return false;
    // the same storage is fine only element for element (x.add_(x)); a shifted overlap is not
    return Tensors.storage(other) != Tensors.storage(self)
        || (!single && other.storageOffset() == self.storageOffset());
  }

  /** Fills with {@code value}; with a recorded history, the gradient of the old value is 0. */
  public static Tensor fill(Tensor self, double value) {
    if ((GradMode.isEnabled() && self.requiresGrad())
        || Forward.anyTangent(self)) { // the tangent becomes 0 too
      return apply(self, "fill_", t -> t.mul(0).add(value));
    }
    if (Tracer.active && Tracer.effect(new FillWith(value), self)) return self;
    return fillValues(self, value);
  }

  private static Tensor fillValues(Tensor self, double value) {
    if (self.numel() == 0) {
      Tensors.storage(self).bumpVersion();
      return self;
    }
    if (self.isContiguous() && self.dtype() == DType.FLOAT32) { // one flat fill
      int off = self.storageOffset();
      Arrays.fill(Tensors.storage(self).floats(), off, off + self.numel(), (float) value);
      Tensors.storage(self).bumpVersion();
      return self;
    }
    if (self.isContiguous() && self.dtype() == DType.FLOAT64) {
      int off = self.storageOffset();
      Arrays.fill(Tensors.storage(self).doubles(), off, off + self.numel(), value);
      Tensors.storage(self).bumpVersion();
      return self;
    }
    Tensor v =
        Creation.full(
            dev.autograd.core.tensor.Shapes.SCALAR,
            value,
            self.dtype()); // not a factory call: no trace constant
    Creation.copyValues(v.expand(self.shapeRef()), self);
    Tensors.storage(self).bumpVersion();
    return self;
  }

  /** Writes {@code values} into {@code self} without recording (initialisers, random fills). */
  public static Tensor copyNoGrad(Tensor self, Tensor values) {
    try (GradMode.Scope s = GradMode.scope(false)) {
      return apply(self, "copy_", t -> values);
    }
  }

  /** PyTorch's errors for in-place writes on leaves that require grad (and views of them). */
  static void checkAllowed(Tensor self, String name) {
    Tensor b = self.base();
    boolean leafNeedsGrad = self.isLeaf() && self.requiresGrad();
    if (!leafNeedsGrad && (b == null || !b.isLeaf() || !b.requiresGrad()))
      return; // field reads before the thread-local
    if (!GradMode.isEnabled()) return;
    if (leafNeedsGrad) {
      throw new IllegalStateException(
          name
              + ": a leaf Variable that requires grad is being used in an in-place operation."
              + " Wrap the update in Autograd.noGrad() (Kotlin: noGrad { }), or use an out-of-place op.");
    }
    if (b != null && b.isLeaf() && b.requiresGrad()) {
      throw new IllegalStateException(
          name
              + ": a view of a leaf Variable that requires grad is being used in an in-place operation.");
    }
  }
}
