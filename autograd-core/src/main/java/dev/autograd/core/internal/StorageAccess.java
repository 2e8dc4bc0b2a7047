package dev.autograd.core.internal;

import dev.autograd.core.tensor.Storage;

/**
 * The engine-facing members of {@link Storage}, reached through {@link SharedSecrets#storages()}.
 */
public interface StorageAccess {
  /**
   * Hands a large floating array back for reuse. Only for a storage that nothing can read again (a
   * gradient the engine made and consumed); any later access fails loudly.
   */
  void recycle(Storage s);

  /**
   * Makes {@code target} read and write {@code source}'s array from now on (same dtype and length),
   * so that the tensors over either storage share their values: data-parallel replicas in one JVM
   * sharing one set of weights. The version counters stay separate, so only for values nobody
   * writes while a graph that saved them is alive.
   */
  void share(Storage target, Storage source);
}
