package dev.autograd.nn.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON (RFC 8259) reader and writer for safetensors headers: objects become {@code
 * LinkedHashMap}, arrays {@code ArrayList}, numbers {@code Long} (integers) or {@code Double}, plus
 * String, Boolean and null. Everything the grammar forbids is an error (leading zeros, {@code 1.},
 * lone surrogates in {@code \\u} escapes, control characters), and so are duplicate keys, integers
 * beyond {@code long}, trailing data and nesting deeper than 64. Error messages quote at most
 * {@link Bounded#KEY_CHARS} characters of the input.
 */
final class Json {
  private static final int MAX_DEPTH = 64;
  private final String s;
  private int i;

  private Json(String s) {
    this.s = s;
  }

  /**
   * Parses one JSON value; throws IllegalArgumentException with the position on malformed input.
   */
  static Object parse(String text) {
    Json p = new Json(text);
    p.ws();
    Object v = p.value(0);
    p.ws();
    if (p.i != text.length()) throw p.error("trailing characters after the JSON value");
    return v;
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException("malformed JSON at offset " + i + ": " + what);
  }

  private void ws() {
    while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) i++;
  }

  private char peek() {
    if (i >= s.length()) throw error("unexpected end");
    return s.charAt(i);
  }

  private void expect(char c) {
    if (peek() != c) throw error("expected '" + c + "' but found " + Bounded.describe(peek()));
    i++;
  }

  private Object value(int depth) {
    if (depth > MAX_DEPTH) throw error("nesting deeper than " + MAX_DEPTH);
    char c = peek();
    if (c == '{') return object(depth);
    if (c == '[') return array(depth);
    if (c == '"') return string();
    if (s.startsWith("true", i)) return literal("true", Boolean.TRUE);
    if (s.startsWith("false", i)) return literal("false", Boolean.FALSE);
    if (s.startsWith("null", i)) return literal("null", null);
    if (c == '-' || (c >= '0' && c <= '9')) return number();
    throw error("unexpected character " + Bounded.describe(c));
  }

  private Object literal(String word, Object v) {
    i += word.length();
    return v;
  }

  private Map<String, Object> object(int depth) {
    expect('{');
    Map<String, Object> m = new LinkedHashMap<>();
    ws();
    if (peek() == '}') {
      i++;
      return m;
    }
    while (true) {
      ws();
      String k = string();
      ws();
      expect(':');
      ws();
      if (m.containsKey(k)) throw error("duplicate key " + Bounded.quote(k));
      m.put(k, value(depth + 1));
      ws();
      if (peek() == ',') {
        i++;
        continue;
      }
      expect('}');
      return m;
    }
  }

  private List<Object> array(int depth) {
    expect('[');
    List<Object> a = new ArrayList<>();
    ws();
    if (peek() == ']') {
      i++;
      return a;
    }
    while (true) {
      ws();
      a.add(value(depth + 1));
      ws();
      if (peek() == ',') {
        i++;
        continue;
      }
      expect(']');
      return a;
    }
  }

  private String string() {
    expect('"');
    StringBuilder b = new StringBuilder();
    while (true) {
      char c = peek();
      i++;
      if (c == '"') return b.toString();
      if (c < 0x20) throw error("control character in string");
      if (c != '\\') {
        b.append(c);
        continue;
      }
      char e = peek();
      i++;
      switch (e) {
        case '"':
        case '\\':
        case '/':
          b.append(e);
          break;
        case 'b':
          b.append('\b');
          break;
        case 'f':
          b.append('\f');
          break;
        case 'n':
          b.append('\n');
          break;
        case 'r':
          b.append('\r');
          break;
        case 't':
          b.append('\t');
          break;
        case 'u':
          {
            char u = hex4();
            if (Character.isHighSurrogate(u)) {
              if (!s.startsWith("\\u", i))
                throw error("unpaired surrogate \\u" + Integer.toHexString(u));
              i += 2;
              char low = hex4();
              if (!Character.isLowSurrogate(low))
                throw error("unpaired surrogate \\u" + Integer.toHexString(u));
              b.append(u).append(low);
            } else if (Character.isLowSurrogate(u)) {
              throw error("unpaired surrogate \\u" + Integer.toHexString(u));
            } else {
              b.append(u);
            }
            break;
          }
        default:
          throw error("bad escape '\\" + e + "'");
      }
    }
  }

  /** Four hex digits of a {@code \\u} escape. */
  private char hex4() {
    if (i + 4 > s.length()) throw error("truncated \\u escape");
    int v = 0;
    for (int k = 0; k < 4; k++) {
      int d = Character.digit(s.charAt(i + k), 16);
      if (d < 0 || s.charAt(i + k) > 'f') throw error("bad \\u escape");
      v = v * 16 + d;
    }
    i += 4;
    return (char) v;
  }

  /** {@code -? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?}, exactly. */
  private Object number() {
    int start = i;
    if (peek() == '-') i++;
    if (peek() == '0') {
      i++;
      if (i < s.length() && isDigit(s.charAt(i))) throw error("number with a leading zero");
    } else if (isDigit(peek())) {
      digits();
    } else {
      throw error("expected a digit");
    }
    boolean integral = true;
    if (i < s.length() && s.charAt(i) == '.') {
      integral = false;
      i++;
      if (i >= s.length() || !isDigit(s.charAt(i))) throw error("expected a digit after '.'");
      digits();
    }
    if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      integral = false;
      i++;
      if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
      if (i >= s.length() || !isDigit(s.charAt(i))) throw error("expected a digit in the exponent");
      digits();
    }
    String t = s.substring(start, i);
    if (!integral) return Double.parseDouble(t);
    try {
      return Long.parseLong(t);
    } catch (NumberFormatException e) {
      i = start;
      throw error("integer " + Bounded.clip(t) + " is out of the 64-bit range");
    }
  }

  private void digits() {
    while (i < s.length() && isDigit(s.charAt(i))) i++;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** Writes maps, lists, strings, numbers, booleans and null as compact JSON. */
  static String write(Object v) {
    StringBuilder b = new StringBuilder();
    write(v, b);
    return b.toString();
  }

  private static void write(Object v, StringBuilder b) {
    if (v == null) {
      b.append("null");
    } else if (v instanceof Map) {
      b.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        if (!first) b.append(',');
        first = false;
        writeString(String.valueOf(e.getKey()), b);
        b.append(':');
        write(e.getValue(), b);
      }
      b.append('}');
    } else if (v instanceof List) {
      b.append('[');
      boolean first = true;
      for (Object o : (List<?>) v) {
        if (!first) b.append(',');
        first = false;
        write(o, b);
      }
      b.append(']');
    } else if (v instanceof String) {
      writeString((String) v, b);
    } else {
      b.append(v);
    }
  }

  private static void writeString(String s, StringBuilder b) {
    b.append('"');
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      if (c == '"' || c == '\\') b.append('\\').append(c);
      else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    b.append('"');
  }
}
