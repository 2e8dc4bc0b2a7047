package dev.autograd.samples;

import java.util.Collection;
import java.util.Locale;

/**
 * The closest known name to a misspelt one, for "did you mean ...?" hints (./run has the same rule
 * in awk).
 */
final class DidYouMean {
  private DidYouMean() {}

  /**
   * The candidate closest to {@code typed} (edit distance, ignoring case), or null if none is
   * close.
   */
  static String closest(String typed, Collection<String> candidates) {
    String t = typed.toLowerCase(Locale.ROOT), best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      String l = c.toLowerCase(Locale.ROOT);
      int d = t.length() >= 3 && l.contains(t) ? 1 : distance(t, l);
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    return bestDistance <= Math.max(2, t.length() / 3) ? best : null;
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) prev[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
      }
      int[] swap = prev;
      prev = cur;
      cur = swap;
    }
    return prev[b.length()];
  }
}
