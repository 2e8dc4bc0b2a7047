package dev.autograd.core.internal;

import dev.autograd.core.CompiledFunction;
import dev.autograd.core.Node;
import dev.autograd.core.Tensor;
import dev.autograd.core.tensor.Storage;

/**
 * Where the engine finds the members that {@link Tensor}, {@link Node} and {@link Storage} keep out
 * of their public API (the JDK's {@code SharedSecrets} pattern; PyTorch keeps its {@code
 * AutogradMeta} private the same way). Each of those classes registers its accessor once, in its
 * static initializer; an accessor can only come from the class it opens.
 *
 * <p>This package is not exported by the {@code dev.autograd.core} module, so code outside the
 * library cannot reach it on the module path; on the class path it is documented as internal.
 */
public final class SharedSecrets {
  private SharedSecrets() {}

  private static TensorAccess tensors;
  private static NodeAccess nodes;
  private static StorageAccess storages;
  private static CompiledAccess compiled;

  /** The engine hooks of {@link Tensor}. */
  public static TensorAccess tensors() {
    TensorAccess a = tensors;
    if (a == null) {
      initialize(Tensor.class);
      a = tensors;
    }
    return a;
  }

  /** The engine-facing members of {@link Node}. */
  public static NodeAccess nodes() {
    NodeAccess a = nodes;
    if (a == null) {
      initialize(Node.class);
      a = nodes;
    }
    return a;
  }

  /** The engine-facing members of {@link Storage}. */
  public static StorageAccess storages() {
    StorageAccess a = storages;
    if (a == null) {
      initialize(Storage.class);
      a = storages;
    }
    return a;
  }

  /** What the display package draws of a {@link CompiledFunction}. */
  public static CompiledAccess compiled() {
    CompiledAccess a = compiled;
    if (a == null) {
      initialize(CompiledFunction.class);
      a = compiled;
    }
    return a;
  }

  /** Called once, by {@link CompiledFunction}'s static initializer. */
  public static void setCompiledAccess(CompiledAccess a) {
    compiled = checked(compiled, a, CompiledFunction.class);
  }

  /** Called once, by {@link Tensor}'s static initializer. */
  public static void setTensorAccess(TensorAccess a) {
    tensors = checked(tensors, a, Tensor.class);
  }

  /** Called once, by {@link Node}'s static initializer. */
  public static void setNodeAccess(NodeAccess a) {
    nodes = checked(nodes, a, Node.class);
  }

  /** Called once, by {@link Storage}'s static initializer. */
  public static void setStorageAccess(StorageAccess a) {
    storages = checked(storages, a, Storage.class);
  }

  // Only the opened class itself (or a class nested in it) may register, and only once.
  private static <A> A checked(A current, A given, Class<?> owner) {
    if (given == null || given.getClass().getNestHost() != owner) {
      throw new IllegalArgumentException(
          "the accessor of "
              + owner.getName()
              + " must be declared in that class, not in "
              + (given == null ? "null" : given.getClass().getName()));
    }
    if (current != null)
      throw new IllegalStateException("the accessor of " + owner.getName() + " is already set");
    return given;
  }

  private static void initialize(Class<?> c) {
    try {
      Class.forName(c.getName(), true, c.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("internal error: cannot initialize " + c.getName(), e);
    }
  }
}
