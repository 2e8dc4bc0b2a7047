package dev.autograd.core.engine;

import dev.autograd.core.Node;
import dev.autograd.core.Tensor;
import dev.autograd.core.internal.SharedSecrets;
import dev.autograd.core.internal.StorageAccess;
import dev.autograd.core.internal.Tensors;
import dev.autograd.core.tensor.Storage;

/**
 * The gradients waiting at nodes during one backward pass: an open-addressing map from node to
 * gradient, hashed by the node's sequence number (an identity hash would make the JVM install a
 * hash code in every new node's header). Owned by one {@link Engine} call, so never shared.
 *
 * <p>Each entry knows whether the engine owns its gradient (see {@link Engine}: made by a
 * derivative or by this table, held by nobody else). Further contributions are added into an owned,
 * contiguous gradient in place, and an owned contribution that has been added is recycled.
 */
final class PendingGrads {
  private static final StorageAccess STORAGES = SharedSecrets.storages();

  private Node[] keys = new Node[16];
  private Tensor[] values = new Tensor[16];
  private boolean[] owned = new boolean[16];

  /** Whether the gradient returned by the last {@link #remove} is owned by the engine. */
  boolean removedOwned;

  /** {@link #add} result bit: the node had no gradient waiting and becomes ready. */
  static final int READY = 1;

  /** {@link #add} result bit: the table keeps a reference to the added tensor's storage. */
  static final int KEPT = 2;

  private int size;

  private static int slot(Node n, int mask) {
    long h = n.sequenceNr() * 0x9E3779B97F4A7C15L;
    return (int) (h >>> 32) & mask;
  }

  /**
   * Adds {@code g} to the gradient waiting at {@code node}; returns {@link #READY} when there was
   * none (the node becomes ready), plus {@link #KEPT} when the table now refers to g's storage.
   * {@code own} says that the engine owns {@code g} (only when no graph is being recorded): then
   * the sum may be formed in place, in {@code g} or in an owned gradient already waiting, instead
   * of in a new tensor. {@code recording}: a graph of the backward pass is being built
   * (create_graph), so no sum is ever owned.
   */
  int add(Node node, Tensor g, boolean own, boolean recording) {
    int mask = keys.length - 1;
    for (int i = slot(node, mask); ; i = (i + 1) & mask) {
      Node k = keys[i];
      if (k == null) {
        keys[i] = node;
        values[i] = g;
        owned[i] = own;
        if (++size * 2 > keys.length) grow();
        return READY | KEPT;
      }
      if (k == node) {
        Tensor old = values[i];
        if (owned[i]
            && old.isContiguous()) { // a + b == b + a exactly, so either side may hold the sum
          old.add_(g);
          if (own) STORAGES.recycle(Tensors.storage(g));
        } else if (own && g.isContiguous()) {
          values[i] = g.add_(old);
          owned[i] = true;
          return KEPT;
        } else { // a new tensor, owned unless a graph is being recorded
          values[i] = old.add(g);
          if (owned[i]) STORAGES.recycle(Tensors.storage(old));
          if (own) STORAGES.recycle(Tensors.storage(g));
          owned[i] = !recording;
        }
        return 0;
      }
    }
  }

  /** Marks the gradient waiting at {@code node} as owned if it still lives in storage {@code s}. */
  void markOwned(Node node, Storage s) {
    int mask = keys.length - 1;
    for (int i = slot(node, mask); keys[i] != null; i = (i + 1) & mask) {
      if (keys[i] == node) {
        if (Tensors.storage(values[i]) == s) owned[i] = true;
        return;
      }
    }
  }

  /** Removes and returns the gradient at {@code node} (null if none). */
  Tensor remove(Node node) {
    int mask = keys.length - 1;
    int i = slot(node, mask);
    while (keys[i] != node) {
      if (keys[i] == null) return null;
      i = (i + 1) & mask;
    }
    Tensor g = values[i];
    removedOwned = owned[i];
    keys[i] = null;
    values[i] = null;
    size--;
    // backward-shift deletion: move later entries of the probe run into the gap
    for (int j = (i + 1) & mask; keys[j] != null; j = (j + 1) & mask) {
      int home = slot(keys[j], mask);
      if (((j - home) & mask) >= ((j - i) & mask)) {
        keys[i] = keys[j];
        values[i] = values[j];
        owned[i] = owned[j];
        keys[j] = null;
        values[j] = null;
        i = j;
      }
    }
    return g;
  }

  private void grow() {
    Node[] oldKeys = keys;
    Tensor[] oldValues = values;
    boolean[] oldOwn = owned;
    keys = new Node[oldKeys.length * 2];
    values = new Tensor[oldKeys.length * 2];
    owned = new boolean[oldKeys.length * 2];
    int mask = keys.length - 1;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] == null) continue;
      int j = slot(oldKeys[i], mask);
      while (keys[j] != null) j = (j + 1) & mask;
      keys[j] = oldKeys[i];
      values[j] = oldValues[i];
      owned[j] = oldOwn[i];
    }
  }
}
