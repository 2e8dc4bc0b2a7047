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

  /**
   * Splits by fractions summing to 1: each part gets floor(fraction · size) samples, and the
   * remainder is handed out one by one from the first part on (PyTorch's rule).
   */
  public static <T> List<Subset<T>> randomSplit(
      Dataset<T> dataset, double[] fractions, Generator gen) {
    double sum = 0;
    for (double f : fractions) {
      if (f < 0 || f > 1)
        throw new IllegalArgumentException("Fraction " + f + " is not between 0 and 1");
      sum += f;
    }
    if (Math.abs(sum - 1) > 1e-9)
      throw new IllegalArgumentException("Sum of input fractions (" + sum + ") does not equal 1");
    int n = dataset.size();
    int[] lengths = new int[fractions.length];
    int used = 0;
    for (int i = 0; i < lengths.length; i++) {
      lengths[i] = (int) Math.floor(n * fractions[i]);
      used += lengths[i];
    }
    for (int i = 0; used < n; i = (i + 1) % lengths.length, used++) lengths[i]++;
    return randomSplit(dataset, lengths, gen);
  }

  /**
   * Splits {@code dataset} into non-overlapping random subsets of the given lengths (which must sum
   * to its size).
   */
  public static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, int[] lengths, Generator gen) {
    long total = 0;
    for (int l : lengths) {
      if (l < 0) throw new IllegalArgumentException("randomSplit: lengths must be non-negative");
      total += l;
    }
    if (total != dataset.size()) {
      throw new IllegalArgumentException(
          "Sum of input lengths ("
              + total
              + ") does not equal the length of the input dataset ("
              + dataset.size()
              + ")!");
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
