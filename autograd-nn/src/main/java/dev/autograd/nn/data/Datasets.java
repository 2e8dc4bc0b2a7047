package dev.autograd.nn.data;

import dev.autograd.core.Generator;
import java.util.ArrayList;
import java.util.List;

/** Dataset utilities: random permutations and {@code random_split}. */
public final class Datasets {
  private Datasets() {}

  /** A uniformly random permutation of 0..n-1 (Fisher–Yates) drawn from {@code gen}. */
  public static int[] randperm(int n, Generator gen) {
    Generator g = gen != null ? gen : Generator.defaultGenerator();
    int[] p = new int[n];
    for (int i = 0; i < n; i++) p[i] = i;
    for (int i = n - 1; i > 0; i--) {
      int j = (int) g.nextLong(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** Splits {@code dataset} into non-overlapping random subsets of the given lengths (which must sum to its size). */
  public static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, int[] lengths, Generator gen) {
    long total = 0;
    for (int l : lengths) {
      if (l < 0) throw new IllegalArgumentException("randomSplit: lengths must be non-negative");
      total += l;
    }
    if (total != dataset.size()) {
      throw new IllegalArgumentException("Sum of input lengths (" + total + ") does not equal the length of the input dataset (" + dataset.size() + ")!");
    }
    int[] perm = randperm(dataset.size(), gen);
    List<Subset<T>> out = new ArrayList<>();
    int at = 0;
    for (int l : lengths) {
      int[] idx = new int[l];
      System.arraycopy(perm, at, idx, 0, l);
      out.add(new Subset<>(dataset, idx));
      at += l;
    }
    return out;
  }
}
