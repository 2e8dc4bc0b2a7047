package dev.autograd.core.kernels;

import java.lang.invoke.MethodHandles;
import java.util.logging.Logger;

/**
 * Chooses the kernels once: the Vector API ones when {@code jdk.incubator.vector} is readable,
 * plain Java otherwise (or when {@code -Dautograd.simd=false} forces it).
 */
public final class KernelProvider {
  private KernelProvider() {}

  private static final Logger LOG = Logger.getLogger("dev.autograd");

  /**
   * How many of the first kernel calls the plain-Java kernels serve while {@link KernelWarmup}
   * compiles the Vector API ones ({@code -Dautograd.coldCalls}; 0 turns it off). A count, not a
   * clock, so the same program gives the same numbers on every run.
   */
  static final int COLD_CALLS = Math.max(0, Integer.getInteger("autograd.coldCalls", 2000));
  private static int coldCalls; // plain on purpose: racing threads only shift the count a little

  /** The kernels for this call: the ones this JVM chose, after the first {@link #COLD_CALLS} calls. */
  public static Kernels get() {
    if (coldCalls < COLD_CALLS) return cold();
    return Holder.INSTANCE;
  }

  private static Kernels cold() {
    coldCalls++;
    return Holder.SCALAR;
  }

  /** The kernels this JVM chose ("vector" or "scalar"), whichever serves the current call. */
  public static Kernels chosen() {
    return Holder.INSTANCE;
  }

  /** The plain-Java kernels, whatever {@link #get()} chose (tests compare the two paths). */
  public static Kernels scalar() {
    return Holder.SCALAR;
  }

  private static Kernels load() {
    if (!Boolean.parseBoolean(System.getProperty("autograd.simd", "true"))) return new ScalarKernels();
    java.util.Optional<Module> vector = ModuleLayer.boot().findModule("jdk.incubator.vector");
    if (vector.isEmpty()) {
      LOG.info(
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
      LOG.warning("autograd: Vector API kernels unavailable, using plain Java: " + (e.getCause() != null ? e.getCause() : e));
      return new ScalarKernels();
    }
  }

  // lazy and deadlock-free
  private static final class Holder {
    static final Kernels SCALAR = new ScalarKernels();
    static final Kernels INSTANCE = load();

    static {
      if (INSTANCE.getClass() == ScalarKernels.class) coldCalls = COLD_CALLS; // nothing to warm up
      else if (COLD_CALLS > 0) KernelWarmup.start(INSTANCE);
    }
  }
}
