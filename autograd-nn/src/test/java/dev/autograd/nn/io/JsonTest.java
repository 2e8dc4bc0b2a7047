package dev.autograd.nn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void parsesValues() {
    Object v =
        Json.parse(
            " {\"a\": [1, -2, 3.5e2, true, false, null], \"s\": \"q\\\"\\\\\\n\\u00e9\", \"o\": {}} ");
    Map<String, Object> want = new LinkedHashMap<>();
    want.put("a", Arrays.asList(1L, -2L, 350.0, true, false, null));
    want.put("s", "q\"\\\né");
    want.put("o", Map.of());
    assertEquals(want, v);
  }

  @Test
  void acceptsExactlyTheRfcNumbersAndPairedSurrogates() {
    assertEquals(
        Arrays.asList(0L, -0L, 10L, -9223372036854775808L, 0.5, -1e-3, 2E+2, 1.25e2),
        Json.parse("[0, -0, 10, -9223372036854775808, 0.5, -1e-3, 2E+2, 1.25e2]"));
    assertEquals("\ud83d\ude00 \u00e9", Json.parse("\"\\ud83d\\ude00 \\u00E9\""));
  }

  @Test
  void errorMessagesQuoteLittleOfTheInput() {
    String key = "k".repeat(100_000);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Json.parse("{\"" + key + "\":1,\"" + key + "\":2}"));
    assertTrue(e.getMessage().length() < 300, e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> Json.parse("[" + "9".repeat(100_000) + "]"));
    assertTrue(e.getMessage().length() < 300, e.getMessage());
  }

  @Test
  void writesWhatItReads() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("w", Map.of("dtype", "F32"));
    m.put("shape", List.of(2L, 3L));
    m.put("text", "tab\there \"quoted\"");
    assertEquals(m, Json.parse(Json.write(m)));
  }

  @Test
  void rejectsMalformedInput() {
    for (String bad :
        new String[] {
          "",
          "{",
          "{\"a\":1,}",
          "[1 2]",
          "{\"a\":1} x",
          "\"\\x\"",
          "{\"a\":01e}",
          "nul",
          "{\"a\":1,\"a\":2}",
          "[".repeat(100) + "]".repeat(100),
          "01",
          "-01",
          "1.",
          ".5",
          "-",
          "+1",
          "1e",
          "1e+",
          "0x10",
          "1.5e",
          "9223372036854775808",
          "\"\\ud800\"",
          "\"\\udc00\"",
          "\"\\ud800\\u0041\"",
          "\"\\u12\"",
          "\"\\u00g0\"",
          "\"\u0001\"",
          "\ufeff{}",
          "{\"a\" 1}",
          "[1,]",
          "tru",
          "nulls"
        }) {
      assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
    }
  }
}
