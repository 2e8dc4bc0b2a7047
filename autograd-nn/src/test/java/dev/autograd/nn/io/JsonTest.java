package dev.autograd.nn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void parsesValues() {
    Object v = Json.parse(" {\"a\": [1, -2, 3.5e2, true, false, null], \"s\": \"q\\\"\\\\\\n\\u00e9\", \"o\": {}} ");
    Map<String, Object> want = new LinkedHashMap<>();
    want.put("a", Arrays.asList(1L, -2L, 350.0, true, false, null));
    want.put("s", "q\"\\\né");
    want.put("o", Map.of());
    assertEquals(want, v);
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
    for (String bad : new String[] {"", "{", "{\"a\":1,}", "[1 2]", "{\"a\":1} x", "\"\\x\"", "{\"a\":01e}", "nul", "{\"a\":1,\"a\":2}", "[".repeat(100) + "]".repeat(100)}) {
      assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
    }
  }
}
