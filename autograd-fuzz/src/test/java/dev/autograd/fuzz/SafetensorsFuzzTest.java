package dev.autograd.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.autograd.core.Generator;
import dev.autograd.core.Tensor;
import dev.autograd.nn.Linear;
import dev.autograd.nn.Module;
import dev.autograd.nn.ReLU;
import dev.autograd.nn.Sequential;
import dev.autograd.nn.io.Safetensors;
import dev.autograd.nn.io.SafetensorsException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Any bytes as a safetensors file: reading all of it, and strict and non-strict loads into a small
 * model. Only {@link SafetensorsException} may come out, naming the file and at most {@link
 * SafetensorsException#MAX_MESSAGE_CHARS} long; a failed load leaves the model as it was; a
 * successful read holds no more tensor bytes than the file; nothing allocates in proportion to a
 * declared size the file does not have. Seeds: {@code
 * src/test/resources/dev/autograd/fuzz/SafetensorsFuzzTestInputs/load/}.
 */
class SafetensorsFuzzTest {
  private static final Path FILE = Fuzz.scratch("input.safetensors");

  /** Keys 0.weight [3, 2], 0.bias [3], 2.weight [1, 3], 2.bias [1], as the seeds have them. */
  static Module model() {
    Generator g = new Generator(11);
    return new Sequential(new Linear(2, 3, true, g), new ReLU(), new Linear(3, 1, true, g));
  }

  @FuzzTest(maxDuration = Fuzz.DURATION)
  @DictionaryEntries({
    "\"dtype\"",
    "\"shape\"",
    "\"data_offsets\"",
    "\"F32\"",
    "\"F64\"",
    "\"I64\"",
    "\"BOOL\"",
    "\"BF16\"",
    "\"F4\"",
    "\"__metadata__\"",
    "\"0.weight\"",
    "\"2.bias\"",
    "\\ud83d\\ude00",
    "\\ud800",
    "4294967296",
    "2147483647",
    "9223372036854775807",
    "18446744073709551615",
    "PK\u0003\u0004",
    "1e3",
    "-0"
  })
  void load(byte[] data) {
    Fuzz.write(FILE, data);
    Fuzz.withinAllocationBudget(
        data.length,
        () -> {
          wellFormed(
              Fuzz.expect(
                  () -> {
                    long bytes = 0;
                    for (Tensor t : Safetensors.load(FILE).values())
                      bytes += (long) t.numel() * t.dtype().byteSize();
                    if (bytes > data.length)
                      throw new AssertionError(
                          bytes + " tensor bytes read from a " + data.length + "-byte file");
                  },
                  SafetensorsException.class));
          for (boolean strict : new boolean[] {true, false}) {
            Module m = model();
            Map<String, double[]> before = snapshot(m);
            if (wellFormed(
                Fuzz.expect(() -> Safetensors.load(m, FILE, strict), SafetensorsException.class))) {
              for (Map.Entry<String, double[]> e : snapshot(m).entrySet()) {
                if (!Arrays.equals(e.getValue(), before.get(e.getKey())))
                  throw new AssertionError("a failed load changed " + e.getKey());
              }
            }
          }
        });
  }

  /** True when {@code t} is a failure, checked to name the file and to be short. */
  private static boolean wellFormed(Throwable t) {
    if (t == null) return false;
    String m = t.getMessage();
    if (m == null
        || !m.startsWith(FILE.toString())
        || m.length() > SafetensorsException.MAX_MESSAGE_CHARS) {
      throw new AssertionError(
          "message does not name the file or is too long: "
              + (m == null ? null : m.substring(0, Math.min(m.length(), 300))),
          t);
    }
    return true;
  }

  private static Map<String, double[]> snapshot(Module m) {
    Map<String, double[]> s = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : m.stateDict().entrySet())
      s.put(e.getKey(), e.getValue().toDoubleArray());
    return s;
  }
}
