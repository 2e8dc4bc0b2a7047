package dev.autograd.core.engine;

import dev.autograd.core.Tensor;

/**
 * The gradients waiting at nodes during one backward pass: an open-addressing map from node to
 * gradient, hashed by the node's sequence number (an identity hash would make the JVM install a
 * hash code in every new node's header). Owned by one {@link Engine} call, so never shared.
 *
 * <p>A sum of several contributions is a tensor this table made and nobody else holds until the
 * node runs, so further contributions may be added into it in place.
 */
final class PendingGrads {
  private Node[] keys = new Node[16];
  private Tensor[] values = new Tensor[16];
  private boolean[] ownSum = new boolean[16];
  private int size;

  private static int slot(Node n, int mask) {
    long h = n.sequenceNr() * 0x9E3779B97F4A7C15L;
    return (int) (h >>> 32) & mask;
  }

  /**
   * Adds {@code g} to the gradient waiting at {@code node}; returns true when there was none (the
   * node becomes ready). With {@code inPlace} (no graph is being recorded), a sum this table made
   * earlier is updated in place instead of allocating a new one.
   */
  boolean add(Node node, Tensor g, boolean inPlace) {
    int mask = keys.length - 1;
    for (int i = slot(node, mask); ; i = (i + 1) & mask) {
      Node k = keys[i];
      if (k == null) {
        keys[i] = node;
        values[i] = g;
        ownSum[i] = false;
        if (++size * 2 > keys.length) grow();
        return true;
      }
      if (k == node) {
        if (inPlace && ownSum[i]) {
          values[i].add_(g);
        } else {
          values[i] = values[i].add(g);
          ownSum[i] = true;
        }
        return false;
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
    keys[i] = null;
    values[i] = null;
    size--;
    // backward-shift deletion: move later entries of the probe run into the gap
    for (int j = (i + 1) & mask; keys[j] != null; j = (j + 1) & mask) {
      int home = slot(keys[j], mask);
      if (((j - home) & mask) >= ((j - i) & mask)) {
        keys[i] = keys[j];
        values[i] = values[j];
        ownSum[i] = ownSum[j];
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
    boolean[] oldOwn = ownSum;
    keys = new Node[oldKeys.length * 2];
    values = new Tensor[oldKeys.length * 2];
    ownSum = new boolean[oldKeys.length * 2];
    int mask = keys.length - 1;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] == null) continue;
      int j = slot(oldKeys[i], mask);
      while (keys[j] != null) j = (j + 1) & mask;
      keys[j] = oldKeys[i];
      values[j] = oldValues[i];
      ownSum[j] = oldOwn[i];
    }
  }
}
