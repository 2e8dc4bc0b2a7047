package dev.autograd.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.core.DType;
import dev.autograd.core.Generator;
import dev.autograd.core.Tensor;
import dev.autograd.nn.BatchNorm1d;
import dev.autograd.nn.Linear;
import dev.autograd.nn.ReLU;
import dev.autograd.nn.Sequential;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
  @TempDir Path dir;

  private static Sequential model(long seed) {
    Generator g = new Generator(seed);
    return new Sequential(
        new Linear(3, 4, true, g), new ReLU(), new BatchNorm1d(4), new Linear(4, 2, true, g));
  }

  @Test
  void roundTripOfAModuleWithBuffers() throws IOException {
    Sequential a = model(1);
    a.forward(Tensor.randn(5, 3)); // moves the running stats and counts a batch
    Path f = dir.resolve("model.safetensors");
    Safetensors.save(a, f);
    Map<String, Tensor> raw = Safetensors.load(f);
    assertEquals(List.copyOf(a.stateDict().keySet()), List.copyOf(raw.keySet()));
    assertEquals(DType.INT64, raw.get("2.num_batches_tracked").dtype());
    assertEquals(0, raw.get("2.num_batches_tracked").dim());
    Sequential b = model(2);
    Safetensors.load(b, f, true);
    for (Map.Entry<String, Tensor> e : a.stateDict().entrySet()) {
      assertArrayEquals(
          e.getValue().toDoubleArray(), b.stateDict().get(e.getKey()).toDoubleArray(), e.getKey());
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(
          List.of("model.safetensors"),
          files.map(p -> p.getFileName().toString()).collect(Collectors.toList()),
          "no temporary file is left");
    }
  }

  @Test
  void allDtypesAndMetadata() throws IOException {
    Map<String, Tensor> t = new LinkedHashMap<>();
    t.put("f32", Tensor.of(new float[] {1.5f, -2}, 2));
    t.put("f64", Tensor.of(new double[] {Math.PI, 1e-300, -0.0, 4}, 2, 2));
    t.put("i64", Tensor.of(new long[] {Long.MIN_VALUE, 42}, 2));
    t.put("mask", Tensor.of(new boolean[] {true, false, true}, 3));
    t.put("scalar", Tensor.scalar(3, DType.FLOAT64));
    t.put("empty", Tensor.zeros(DType.FLOAT32, 0, 3));
    Path f = dir.resolve("all.safetensors");
    Safetensors.save(t, f, Map.of("format", "pt"));
    Map<String, Tensor> back = Safetensors.load(f);
    assertArrayEquals(new float[] {1.5f, -2}, back.get("f32").toFloatArray());
    assertArrayEquals(t.get("f64").toDoubleArray(), back.get("f64").toDoubleArray());
    assertArrayEquals(new long[] {Long.MIN_VALUE, 42}, back.get("i64").toLongArray());
    assertArrayEquals(new boolean[] {true, false, true}, back.get("mask").toBooleanArray());
    assertArrayEquals(new int[0], back.get("scalar").shape());
    assertArrayEquals(new int[] {0, 3}, back.get("empty").shape());
    assertEquals(Map.of("format", "pt"), Safetensors.metadata(f));
    assertEquals(0, header(f).length % 8, "the header is padded to 8 bytes");
  }

  private static byte[] header(Path f) throws IOException {
    byte[] all = Files.readAllBytes(f);
    long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    byte[] h = new byte[(int) n];
    System.arraycopy(all, 8, h, 0, h.length);
    return h;
  }

  /** Builds a file from the format description: u64 LE header length, JSON header, raw LE data. */
  private Path build(String name, String json, byte[] data) throws IOException {
    byte[] h = json.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
    out.write(h);
    out.write(data);
    Path f = dir.resolve(name);
    Files.write(f, out.toByteArray());
    return f;
  }

  private static byte[] le(double... v) {
    ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (double d : v) b.putDouble(d);
    return b.array();
  }

  @Test
  void readsAFileBuiltByteByByte() throws IOException {
    ByteBuffer w = ByteBuffer.allocate(24 + 8 + 16).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : new float[] {1, 2, 3, 4, 5, 6}) w.putFloat(v);
    w.putLong(7);
    w.putDouble(0.25).putDouble(-0.5);
    String json =
        "{\"__metadata__\":{\"source\":\"hand\"},"
            + "\"0.weight\":{\"dtype\":\"F32\",\"shape\":[3,2],\"data_offsets\":[0,24]},"
            + "\"steps\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[24,32]},"
            + "\"0.bias\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[32,48]}}";
    Path f = build("hand.safetensors", json, w.array());
    Map<String, Tensor> t = Safetensors.load(f);
    assertArrayEquals(new int[] {3, 2}, t.get("0.weight").shape());
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, t.get("0.weight").toFloatArray());
    assertEquals(7, t.get("steps").item());
    assertArrayEquals(new double[] {0.25, -0.5}, t.get("0.bias").toDoubleArray());
    assertEquals(Map.of("source", "hand"), Safetensors.metadata(f));
  }

  private void assertRejected(Path f, String... fragments) {
    SafetensorsException e = assertThrows(SafetensorsException.class, () -> Safetensors.load(f));
    assertTrue(e.getMessage().contains(f.toString()), "names the file: " + e.getMessage());
    for (String s : fragments)
      assertTrue(e.getMessage().contains(s), "expected '" + s + "' in: " + e.getMessage());
  }

  @Test
  void rejectsCorruptFiles() throws IOException {
    String ok = "{\"w\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]}}";
    Path good = build("good.safetensors", ok, le(1, 2));
    assertEquals(2, Safetensors.load(good).get("w").numel());

    Path tiny = dir.resolve("tiny.safetensors");
    Files.write(tiny, new byte[] {1, 2, 3});
    assertRejected(tiny, "too short");

    byte[] all = Files.readAllBytes(good);
    Path truncated = dir.resolve("truncated.safetensors");
    Files.write(truncated, java.util.Arrays.copyOf(all, all.length - 3));
    assertRejected(truncated, "'w'", "out of range");

    Path hugeHeader = dir.resolve("huge.safetensors");
    Files.write(
        hugeHeader,
        ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(200L * 1024 * 1024).array());
    assertRejected(hugeHeader, "exceeds the limit");
    Path negative = dir.resolve("negative.safetensors");
    Files.write(
        negative, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1).array());
    assertRejected(negative, "exceeds the limit");
    Path beyond = dir.resolve("beyond.safetensors");
    Files.write(
        beyond, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1000).array());
    assertRejected(beyond, "beyond the end of the file");

    assertRejected(build("json.safetensors", "{\"w\":{\"dtype\":", le(1, 2)), "corrupt header");
    assertRejected(build("array.safetensors", "[1,2]", le(1, 2)), "expected a JSON object");
    assertRejected(
        build("dtype.safetensors", ok.replace("F64", "BF16").replace("[2]", "[8]"), le(1, 2)),
        "'w'",
        "unsupported dtype BF16");
    assertRejected(
        build("range.safetensors", ok.replace("[0,16]", "[0,24]"), le(1, 2)),
        "'w'",
        "out of range");
    assertRejected(
        build("size.safetensors", ok.replace("[2]", "[3]"), le(1, 2)), "'w'", "needs 24");
    assertRejected(
        build("shape.safetensors", ok.replace("[2]", "[-2]"), le(1, 2)), "'w'", "invalid shape");
    assertRejected(
        build("huge-shape.safetensors", ok.replace("[2]", "[2147483647,2147483647]"), le(1, 2)),
        "'w'",
        "too many elements");
    assertRejected(
        build("offsets.safetensors", ok.replace("[0,16]", "[16,0]"), le(1, 2)),
        "'w'",
        "out of range");
    String overlap =
        "{\"a\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]},\"b\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[8,16]}}";
    assertRejected(build("overlap.safetensors", overlap, le(1, 2)), "'b'", "overlap");
    assertRejected(build("dup.safetensors", "{\"w\":{},\"w\":{}}", le(1, 2)), "duplicate key");
    assertRejected(
        build("meta.safetensors", "{\"__metadata__\":{\"k\":1}}", new byte[0]), "__metadata__");
  }

  @Test
  void aFailedLoadLeavesTheModuleUnchanged() throws IOException {
    Sequential a = model(3);
    Path f = dir.resolve("a.safetensors");
    Map<String, Tensor> state = new LinkedHashMap<>(a.stateDict());
    state.put("3.weight", Tensor.zeros(5, 4)); // wrong shape
    Safetensors.save(state, f, null);
    Sequential b = model(4);
    double[] before = b.stateDict().get("0.weight").toDoubleArray();
    SafetensorsException e =
        assertThrows(SafetensorsException.class, () -> Safetensors.load(b, f, true));
    assertTrue(
        e.getMessage().contains(f.toString())
            && e.getMessage().contains("size mismatch for 3.weight"),
        e.getMessage());
    assertArrayEquals(before, b.stateDict().get("0.weight").toDoubleArray());

    state.remove("3.weight");
    state.put("extra", Tensor.zeros(1));
    Safetensors.save(state, f, null);
    SafetensorsException e2 =
        assertThrows(SafetensorsException.class, () -> Safetensors.load(b, f, true));
    assertTrue(
        e2.getMessage().contains("Missing key(s) in state_dict: \"3.weight\"")
            && e2.getMessage().contains("\"extra\""),
        e2.getMessage());
    assertArrayEquals(before, b.stateDict().get("0.weight").toDoubleArray());
  }

  @Test
  void writesTheBytesOfTheReferenceImplementationsTestVectors() throws IOException {
    // the byte strings the reference implementation's own serialization tests expect
    Path f = dir.resolve("attn.safetensors");
    Safetensors.save(Map.of("attn.0", Tensor.of(new float[] {0, 1, 2, 3, 4, 5}, 1, 2, 3)), f, null);
    String json = "{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}";
    ByteBuffer want =
        ByteBuffer.allocate(8 + 64 + 24)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putLong(64)
            .put(json.getBytes(StandardCharsets.US_ASCII));
    for (float v = 0; v < 6; v++) want.putFloat(v);
    assertArrayEquals(want.array(), Files.readAllBytes(f));

    Safetensors.save(Map.of(), f, null);
    assertArrayEquals(
        new byte[] {8, 0, 0, 0, 0, 0, 0, 0, '{', '}', ' ', ' ', ' ', ' ', ' ', ' '},
        Files.readAllBytes(f));
    Safetensors.save(Map.of(), f, Map.of("framework", "pt"));
    byte[] meta =
        "{\"__metadata__\":{\"framework\":\"pt\"}}     ".getBytes(StandardCharsets.US_ASCII);
    assertArrayEquals(
        ByteBuffer.allocate(8 + 40).order(ByteOrder.LITTLE_ENDIAN).putLong(40).put(meta).array(),
        Files.readAllBytes(f));
  }
}
