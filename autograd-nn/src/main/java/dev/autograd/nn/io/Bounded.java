package dev.autograd.nn.io;

import java.util.Collection;

/**
 * Keeps error messages short whatever the file holds: a key is quoted up to {@link #KEY_CHARS}
 * characters, a list of keys up to {@link #LIST_KEYS} of them, so a header with 100,000 unexpected
 * keys (or one 10 MB key) still yields a message of a few kilobytes.
 */
final class Bounded {
  private Bounded() {}

  /** Characters of one key (or other file-provided text) kept in a message. */
  static final int KEY_CHARS = 120;

  /** Keys of a list kept in a message; the rest are counted. */
  static final int LIST_KEYS = 10;

  /** {@code text} cut to {@link #KEY_CHARS} characters, saying how long it was. */
  static String clip(String text) {
    if (text.length() <= KEY_CHARS) return text;
    return text.substring(0, KEY_CHARS) + "... (" + text.length() + " characters)";
  }

  /** {@code "key"}, clipped, with control characters escaped so the message stays on one line. */
  static String quote(String key) {
    return quote(key, '"');
  }

  /** {@code 'key'}: how messages name a tensor. */
  static String name(String key) {
    return quote(key, '\'');
  }

  private static String quote(String key, char mark) {
    String c = clip(key);
    StringBuilder b = new StringBuilder(c.length() + 2).append(mark);
    for (int k = 0; k < c.length(); k++) {
      char ch = c.charAt(k);
      if (ch < 0x20 || ch == 0x7f) b.append(String.format("\\u%04x", (int) ch));
      else b.append(ch);
    }
    return b.append(mark).toString();
  }

  /** {@code "a", "b", ... and 99,990 more}. */
  static String list(Collection<String> keys) {
    StringBuilder b = new StringBuilder();
    int n = 0;
    for (String k : keys) {
      if (n == LIST_KEYS) {
        b.append(String.format(" and %,d more", keys.size() - LIST_KEYS));
        break;
      }
      b.append(n == 0 ? "" : ", ").append(quote(k));
      n++;
    }
    return b.toString();
  }

  /** A character for a message: {@code 'x'}, or its code point when it is not printable. */
  static String describe(char c) {
    return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
  }
}
