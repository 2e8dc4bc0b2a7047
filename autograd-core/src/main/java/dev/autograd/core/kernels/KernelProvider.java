package dev.autograd.core.kernels;

import java.lang.invoke.MethodHandles;
import java.util.logging.Logger;

/**
 * Chooses the kernels once: the Vector API ones when {@code jdk.incubator.vector} is readable,
 * plain Java otherwise (or when {@code -Dautograd.simd=false} forces it).
 */
public final class KernelProvider {
  private KernelProvider() {}

  /**
   * The logger, fetched only when there is something to log: the first {@code Logger.getLogger}
   * starts java.util.logging, whose search for a logging backend reads META-INF/services in every
   * jar of the class path — with Spark's ~200 jars on it, 12 MB of jar indexes kept from the first
   * tensor on, which made G1's first collections slow and its heap grow.
   */
  private static Logger log() {
    return Logger.getLogger("dev.autograd");
  }

  /** The kernels in use for this JVM. */
  public static Kernels get() {
    return Holder.INSTANCE;
  }

  /** The plain-Java kernels, whatever {@link #get()} chose (tests compare the two paths). */
  public static Kernels scalar() {
    return Holder.SCALAR;
  }

  private static Kernels load() {
    if (!Boolean.parseBoolean(System.getProperty("autograd.simd", "true")))
      return new ScalarKernels();
    java.util.Optional<Module> vector = ModuleLayer.boot().findModule("jdk.incubator.vector");
    if (vector.isEmpty()) {
      log()
          .info(
              "autograd: plain-Java kernels; add '--add-modules jdk.incubator.vector' to the java"
                  + " command line to enable the faster Vector API kernels");
      return new ScalarKernels();
    }
    // On the module path the dependence is 'requires static': read the module in every layer
    // (a no-op on the class path, where everything is read).
    KernelProvider.class.getModule().addReads(vector.get());
    try {
      Class<?> c = MethodHandles.lookup().findClass("dev.autograd.core.kernels.simd.VectorKernels");
      return (Kernels) c.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | LinkageError | UnsupportedOperationException e) {
      log()
          .warning(
              "autograd: Vector API kernels unavailable, using plain Java: "
                  + (e.getCause() != null ? e.getCause() : e));
      return new ScalarKernels();
    }
  }

  // lazy and deadlock-free
  private static final class Holder {
    static final Kernels SCALAR = new ScalarKernels();
    static final Kernels INSTANCE = load();
  }
}
