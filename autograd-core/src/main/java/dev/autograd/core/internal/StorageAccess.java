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
}
