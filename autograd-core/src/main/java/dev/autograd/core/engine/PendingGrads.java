package dev.autograd.core.engine;

import dev.autograd.core.Tensor;

/**
 * The gradients waiting at nodes during one backward pass: an open-addressing map from node to
 * gradient, hashed by the node's sequence number (an identity hash would make the JVM install a
 * hash code in every new node's header). Owned by one {@link Engine} call, so never shared.
 */
final class PendingGrads {
  private Node[] keys = new Node[16];
  private Tensor[] values = new Tensor[16];
  private int size;

  private static int slot(Node n, int mask) {
    long h = n.sequenceNr() * 0x9E3779B97F4A7C15L;
    return (int) (h >>> 32) & mask;
  }

  /** Stores {@code g} at {@code node}; returns the gradient that was there, or null. */
  Tensor put(Node node, Tensor g) {
    int mask = keys.length - 1;
    for (int i = slot(node, mask); ; i = (i + 1) & mask) {
      Node k = keys[i];
      if (k == null) {
        keys[i] = node;
        values[i] = g;
        if (++size * 2 > keys.length) grow();
        return null;
      }
      if (k == node) {
        Tensor old = values[i];
        values[i] = g;
        return old;
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
    keys = new Node[oldKeys.length * 2];
    values = new Tensor[oldKeys.length * 2];
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) if (oldKeys[i] != null) put(oldKeys[i], oldValues[i]);
  }
}
