package dev.autograd.core.kernels;

/** Kernels that start on plain Java while their fast code warms up (see {@code simd.WarmingKernels}). */
public interface Warming {
  /** Waits up to {@code millis} until every kernel family called so far is warm; true if so. */
  boolean awaitWarm(long millis) throws InterruptedException;
}
