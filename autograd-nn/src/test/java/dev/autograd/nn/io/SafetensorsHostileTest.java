package dev.autograd.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.core.Generator;
import dev.autograd.core.Tensor;
import dev.autograd.nn.Linear;
import dev.autograd.nn.Module;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile and careless inputs of issue 15, one test each; every failure is a clear
 * SafetensorsException.
 */
class SafetensorsHostileTest {
  @TempDir Path dir;

  /** u64 LE header length, the JSON header, then {@code dataBytes} bytes (sparse when large). */
  private Path file(String name, String json, long dataBytes) throws IOException {
    byte[] h = json.getBytes(StandardCharsets.UTF_8);
    Path f = dir.resolve(name);
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      raf.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
      raf.write(h);
      raf.setLength(8 + h.length + dataBytes);
    }
    return f;
  }

  private static String entry(String name, String dtype, String shape, long begin, long end) {
    return "\""
        + name
        + "\":{\"dtype\":\""
        + dtype
        + "\",\"shape\":"
        + shape
        + ",\"data_offsets\":["
        + begin
        + ","
        + end
        + "]}";
  }

  private static SafetensorsException rejected(Path f, String... fragments) {
    SafetensorsException e = assertThrows(SafetensorsException.class, () -> Safetensors.load(f));
    check(e, f, fragments);
    return e;
  }

  private static void check(SafetensorsException e, Path f, String... fragments) {
    assertTrue(e.getMessage().contains(f.toString()), "names the file: " + e.getMessage());
    for (String s : fragments)
      assertTrue(e.getMessage().contains(s), "expected '" + s + "' in: " + e.getMessage());
    assertTrue(
        e.getMessage().length() <= SafetensorsException.MAX_MESSAGE_CHARS,
        "bounded: " + e.getMessage().length());
  }

  private static long allocatedBytes(IoAction a) throws IOException {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId(), before = mx.getThreadAllocatedBytes(id);
    a.run();
    return mx.getThreadAllocatedBytes(id) - before;
  }

  interface IoAction {
    void run() throws IOException;
  }

  private static Linear small() {
    return new Linear(2, 1, true, new Generator(7));
  }

  /**
   * Linear(2, 1)'s weight [1, 2] and bias [1] as F32, followed by {@code extra} entries (sizes of
   * data after 12 bytes).
   */
  private Path smallModelFile(String name, String extra, long extraBytes) throws IOException {
    String json =
        "{"
            + entry("weight", "F32", "[1,2]", 0, 8)
            + ","
            + entry("bias", "F32", "[1]", 8, 12)
            + (extra.isEmpty() ? "" : "," + extra)
            + "}";
    Path f = file(name, json, 12 + extraBytes);
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      raf.seek(8 + json.getBytes(StandardCharsets.UTF_8).length);
      raf.write(
          ByteBuffer.allocate(12)
              .order(ByteOrder.LITTLE_ENDIAN)
              .putFloat(0.5f)
              .putFloat(-1.5f)
              .putFloat(2f)
              .array());
    }
    return f;
  }

  @Test
  void declaredSizesBeyondTheFileAreRejectedInLongArithmetic() throws IOException {
    // 2^31 + 4 bytes declared (was "capacity < 0"), 2^32 + 4 (was a wrapped 4 GiB allocation), 16
    // bytes present
    for (long elements : new long[] {(1L << 29) + 1, (1L << 30) + 1}) {
      long bytes = elements * 4;
      Path f =
          file(
              "big" + elements + ".safetensors",
              "{" + entry("w", "F32", "[" + elements + "]", 0, bytes) + "}",
              16);
      long allocated =
          allocatedBytes(
              () ->
                  rejected(
                      f, "'w'", "[0, " + bytes + "]", "out of range of the 16-byte data section"));
      assertTrue(allocated < 1 << 20, "allocated " + allocated);
    }
    // the byte count itself overflows 64 bits
    Path overflow =
        file(
            "overflow.safetensors",
            "{" + entry("w", "F64", "[4294967296,4294967296]", 0, 8) + "}",
            8);
    rejected(overflow, "'w'", "too many elements", "overflows 64 bits");
    // dims beyond 64 bits are not numbers a header may hold
    rejected(
        file(
            "huge-dim.safetensors",
            "{" + entry("w", "F32", "[18446744073709551616]", 0, 0) + "}",
            0),
        "corrupt header",
        "out of the 64-bit range");
  }

  @Test
  void aTensorLargerThanOneArrayIsReportedBeforeAllocating() throws IOException {
    // BOOL [2^31-1] with all its 2 GiB present (sparse): was "Requested array size exceeds VM
    // limit"
    long n = Integer.MAX_VALUE;
    Path f = file("bool.safetensors", "{" + entry("mask", "BOOL", "[" + n + "]", 0, n) + "}", n);
    long allocated =
        allocatedBytes(() -> rejected(f, "'mask'", "too many elements for one tensor"));
    assertTrue(allocated < 1 << 20, "allocated " + allocated);
    // a dimension beyond int with no elements at all is valid safetensors that we cannot hold
    rejected(
        file("wide.safetensors", "{" + entry("w", "F32", "[0,3000000000]", 0, 0) + "}", 0),
        "'w'",
        "too many elements");
  }

  @Test
  void strictLoadReportsALargeUnexpectedTensorWithoutReadingIt() throws IOException {
    long huge = 1L << 32; // 4 GiB of F32, present in the (sparse) file
    Path f =
        smallModelFile(
            "extra.safetensors", entry("huge", "F32", "[" + (huge / 4) + "]", 12, 12 + huge), huge);
    Linear m = small();
    double[] before = m.weight().toDoubleArray();
    long allocated =
        allocatedBytes(
            () -> {
              SafetensorsException e =
                  assertThrows(SafetensorsException.class, () -> Safetensors.load(m, f, true));
              check(e, f, "Unexpected key(s) in state_dict: \"huge\"");
            });
    assertTrue(allocated < 1 << 20, "allocated " + allocated);
    assertArrayEquals(before, m.weight().toDoubleArray(), "unchanged after the failed load");
    // non-strict: the module's own tensors are read, the 4 GiB entry never is
    allocated = allocatedBytes(() -> Safetensors.load(m, f, false));
    assertTrue(allocated < 1 << 20, "allocated " + allocated);
    assertArrayEquals(new float[] {0.5f, -1.5f}, m.weight().toFloatArray());
    assertArrayEquals(new float[] {2f}, m.bias().toFloatArray());
  }

  @Test
  void anUnusedEntryOfAnUnsupportedDtypeDoesNotStopANonStrictLoad() throws IOException {
    Path f = smallModelFile("bf16.safetensors", entry("extra", "BF16", "[2]", 12, 16), 4);
    Linear m = small();
    Safetensors.load(m, f, false);
    assertArrayEquals(new float[] {2f}, m.bias().toFloatArray());
    rejected(f, "'extra'", "unsupported dtype BF16");
  }

  @Test
  void zeroSizeTensorsMayShareAnOffset() throws IOException {
    String json =
        "{"
            + entry("z0", "F32", "[0]", 0, 0)
            + ","
            + entry("a", "F32", "[2]", 0, 8)
            + ","
            + entry("z1", "F64", "[0,4]", 8, 8)
            + ","
            + entry("b", "I64", "[1]", 8, 16)
            + ","
            + entry("z2", "BOOL", "[3,0]", 16, 16)
            + "}";
    Map<String, Tensor> t = Safetensors.load(file("zeros.safetensors", json, 16));
    assertEquals(List.of("z0", "a", "z1", "b", "z2"), List.copyOf(t.keySet()));
    assertArrayEquals(new int[] {0, 4}, t.get("z1").shape());
    assertArrayEquals(new int[] {3, 0}, t.get("z2").shape());
    // but a zero-size tensor inside another one's bytes is an overlap, as in the reference
    rejected(
        file(
            "inside.safetensors",
            "{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("z", "F32", "[0]", 4, 4) + "}",
            8),
        "'z'",
        "overlap");
  }

  @Test
  void gapsOverlapsAndTrailingBytesAreRejected() throws IOException {
    rejected(
        file(
            "gap.safetensors",
            "{" + entry("a", "F32", "[1]", 0, 4) + "," + entry("b", "F32", "[1]", 8, 12) + "}",
            12),
        "'b'",
        "gap",
        "[4, 8)");
    rejected(
        file("gap-first.safetensors", "{" + entry("a", "F32", "[1]", 4, 8) + "}", 8), "'a'", "gap");
    rejected(
        file(
            "overlap.safetensors",
            "{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[1]", 4, 8) + "}",
            8),
        "'b'",
        "overlap",
        "'a'");
    rejected(
        file("trailing.safetensors", "{" + entry("a", "F32", "[1]", 0, 4) + "}", 5),
        "trailing bytes",
        "end at byte 4",
        "holds 5");
    rejected(file("empty-trailing.safetensors", "{}", 1), "trailing bytes");
    assertTrue(Safetensors.load(file("empty.safetensors", "{}", 0)).isEmpty());
    rejected(
        file("negative.safetensors", "{" + entry("a", "F32", "[1]", -4, 0) + "}", 4),
        "'a'",
        "out of range");
  }

  @Test
  void theHeaderIsStrictJson() throws IOException {
    String ok = "{" + entry("w", "F32", "[1]", 0, 4) + "}";
    assertEquals(1, Safetensors.load(file("ok.safetensors", ok, 4)).get("w").numel());
    String[][] bad = {
      {"leading zero in a shape", ok.replace("[1]", "[01]"), "leading zero"},
      {"leading zero in an offset", ok.replace("[0,4]", "[00,4]"), "leading zero"},
      {"lone high surrogate", ok.replace("\"w\"", "\"w\\ud800\""), "unpaired surrogate"},
      {"lone low surrogate", ok.replace("\"w\"", "\"\\udc00w\""), "unpaired surrogate"},
      {
        "high surrogate then a letter",
        ok.replace("\"w\"", "\"\\ud800\\u0041\""),
        "unpaired surrogate"
      },
      {"fraction without digits", ok.replace("[1]", "[1.]"), "after '.'"},
      {"exponent without digits", ok.replace("[1]", "[1e]"), "exponent"},
      {"plus sign", ok.replace("[1]", "[+1]"), "unexpected character '+'"},
      {"float dimension", ok.replace("[1]", "[1.0]"), "invalid shape"},
      {
        "integer beyond 64 bits",
        ok.replace("[0,4]", "[0,99999999999999999999]"),
        "out of the 64-bit range"
      },
      {
        "duplicate key",
        "{" + entry("w", "F32", "[1]", 0, 4) + "," + entry("w", "F32", "[1]", 0, 4) + "}",
        "duplicate key \"w\""
      },
      {"trailing comma", ok.replace("]}}", "]},}"), "corrupt header"},
      {"control character in a key", ok.replace("\"w\"", "\"w\u0001\""), "control character"},
      {"unknown dtype", ok.replace("F32", "F33"), "unknown dtype \"F33\""},
      {"missing dtype", ok.replace("\"dtype\":\"F32\",", ""), "missing dtype"},
    };
    for (String[] c : bad) rejected(file(c[0].replace(' ', '-') + ".safetensors", c[1], 4), c[2]);
    // bytes that are not UTF-8: a lone continuation byte, and a surrogate encoded in UTF-8 (CESU)
    for (byte[] junk : new byte[][] {{(byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}}) {
      ByteArrayOutputStream h = new ByteArrayOutputStream();
      h.write("{\"".getBytes(StandardCharsets.US_ASCII));
      h.write(junk);
      h.write("\":{}}".getBytes(StandardCharsets.US_ASCII));
      Path f = dir.resolve("utf8-" + junk.length + ".safetensors");
      Files.write(
          f,
          concat(
              ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.size()).array(),
              h.toByteArray()));
      rejected(f, "not valid UTF-8");
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void filesThatAreNotSafetensorsSaySo() throws IOException {
    Path zip = dir.resolve("model.pt");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      out.putNextEntry(new ZipEntry("archive/data.pkl"));
      out.write(new byte[] {(byte) 0x80, 2, '}', 'q', 0, '.'});
      out.closeEntry();
    }
    rejected(
        zip,
        "this looks like a PyTorch pickle/zip checkpoint (torch.save)",
        "safetensors.torch.save_file");
    Path pickle = dir.resolve("legacy.pt");
    Files.write(
        pickle,
        new byte[] {
          (byte) 0x80,
          2,
          (byte) 0x8a,
          10,
          0x6c,
          (byte) 0xfc,
          (byte) 0x9c,
          0x46,
          (byte) 0xf9,
          0x20,
          0x6a,
          (byte) 0xa8
        });
    rejected(pickle, "Python pickle (a legacy torch.save checkpoint)");
    Path text = dir.resolve("notes.txt");
    Files.writeString(text, "these are not the weights you are looking for");
    rejected(text, "not a safetensors file", "exceeds the limit of 100000000 bytes");
    Path small = dir.resolve("small-header.safetensors");
    Files.write(
        small,
        concat(
            ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(4).array(),
            "[1] ".getBytes(StandardCharsets.US_ASCII)));
    rejected(small, "not a safetensors file", "expected a JSON object");
    assertEquals(100_000_000L, Safetensors.MAX_HEADER_BYTES);
  }

  @Test
  void messagesStayShortWhateverTheFileHolds() throws IOException {
    // 100,000 unexpected keys in a strict load (was a ~1 MB message)
    StringBuilder json = new StringBuilder("{");
    json.append(entry("weight", "F32", "[1,2]", 0, 8))
        .append(',')
        .append(entry("bias", "F32", "[1]", 8, 12));
    for (int k = 0; k < 100_000; k++)
      json.append(',')
          .append(entry("layers." + k + ".unexpected_parameter_name", "F32", "[0]", 12, 12));
    Path f = file("many.safetensors", json.append('}').toString(), 12);
    SafetensorsException e =
        assertThrows(SafetensorsException.class, () -> Safetensors.load(small(), f, true));
    check(
        e,
        f,
        "Unexpected key(s) in state_dict: \"layers.0.unexpected_parameter_name\"",
        "and 99,990 more");
    assertTrue(
        e.getMessage().length() < 2_000, "message of " + e.getMessage().length() + " characters");
    // one 1,000,000-character key, duplicated
    String key = "k".repeat(1_000_000);
    Path dup =
        file(
            "dup.safetensors",
            "{" + entry(key, "F32", "[0]", 0, 0) + "," + entry(key, "F32", "[0]", 0, 0) + "}",
            0);
    assertTrue(
        rejected(dup, "duplicate key", "(1000000 characters)").getMessage().length() < 1_000);
    Path wrong = file("wrong.safetensors", "{" + entry(key, "F32", "[1]", 0, 8) + "}", 8);
    assertTrue(rejected(wrong, "needs 4").getMessage().length() < 1_000);
  }

  @Test
  void aFailedLoadOfAnyKindLeavesTheModuleUnchanged() throws IOException {
    Linear m = small();
    Map<String, double[]> before = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : m.stateDict().entrySet())
      before.put(e.getKey(), e.getValue().toDoubleArray());
    List<Path> bad =
        List.of(
            file("corrupt.safetensors", "{\"weight\":", 0),
            file(
                "wrongshape.safetensors",
                "{"
                    + entry("weight", "F32", "[2,1]", 0, 8)
                    + ","
                    + entry("bias", "F32", "[1]", 8, 12)
                    + "}",
                12),
            file(
                "dtype.safetensors",
                "{"
                    + entry("weight", "I64", "[1,2]", 0, 16)
                    + ","
                    + entry("bias", "F32", "[1]", 16, 20)
                    + "}",
                20),
            file(
                "unsupported.safetensors",
                "{"
                    + entry("weight", "F16", "[1,2]", 0, 4)
                    + ","
                    + entry("bias", "F32", "[1]", 4, 8)
                    + "}",
                8),
            file("missing.safetensors", "{" + entry("weight", "F32", "[1,2]", 0, 8) + "}", 8),
            file(
                "gap.safetensors",
                "{"
                    + entry("weight", "F32", "[1,2]", 0, 8)
                    + ","
                    + entry("bias", "F32", "[1]", 12, 16)
                    + "}",
                16));
    for (Path f : bad) {
      SafetensorsException e =
          assertThrows(
              SafetensorsException.class, () -> Safetensors.load(m, f, true), f.toString());
      check(e, f);
      for (Map.Entry<String, double[]> b : before.entrySet()) {
        assertArrayEquals(
            b.getValue(),
            m.stateDict().get(b.getKey()).toDoubleArray(),
            f + " changed " + b.getKey());
      }
    }
  }

  @Test
  void aLongFileNameSaves() throws IOException {
    String name = "w".repeat(252 - ".safetensors".length()) + ".safetensors";
    assertEquals(252, name.length());
    Module m = small();
    Path f = dir.resolve(name);
    Safetensors.save(m, f);
    Safetensors.save(m, f); // and replaces itself
    Linear back = new Linear(2, 1, true, new Generator(99));
    Safetensors.load(back, f, true);
    assertArrayEquals(m.stateDict().get("weight").toFloatArray(), back.weight().toFloatArray());
    assertEquals(List.of(name), names());
  }

  private List<String> names() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  @Test
  void staleTemporaryFilesOfDeadSavesAreRemovedAndOthersKept() throws IOException {
    Path f = dir.resolve("model.safetensors");
    String stem = AtomicFile.stem(f);
    long dead = deadPid();
    Path stale =
        Files.writeString(
            dir.resolve(stem + dead + "-1234abcd" + AtomicFile.SUFFIX), "half a file");
    Path live =
        Files.writeString(
            dir.resolve(stem + 1 + "-1234abcd" + AtomicFile.SUFFIX),
            "pid 1 is alive: maybe a save in progress");
    Path other =
        Files.writeString(
            dir.resolve(
                AtomicFile.stem(dir.resolve("other.safetensors"))
                    + dead
                    + "-1"
                    + AtomicFile.SUFFIX),
            "another target's");
    Safetensors.save(small(), f);
    assertFalse(Files.exists(stale), "the dead save's temporary file is removed");
    assertTrue(
        Files.exists(live) && Files.exists(other),
        "a live process's file and another target's are kept");
    assertEquals(3, names().size());
  }

  private static long deadPid() {
    for (long pid = 4_000_000; ; pid++) if (ProcessHandle.of(pid).isEmpty()) return pid;
  }

  @Test
  void savesKeepPermissionsAndSymbolicLinks() throws IOException {
    Path f = dir.resolve("perm.safetensors");
    Safetensors.save(small(), f);
    Path plain = Files.createFile(dir.resolve("plain"));
    assertEquals(
        Files.getPosixFilePermissions(plain),
        Files.getPosixFilePermissions(f),
        "a new file gets the usual permissions, not 0600");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
    Safetensors.save(small(), f);
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));

    Path real = dir.resolve("real.safetensors"), link = dir.resolve("link.safetensors");
    Safetensors.save(Map.of("a", Tensor.zeros(1)), real, null);
    Files.createSymbolicLink(link, real);
    Safetensors.save(Map.of("b", Tensor.ones(2)), link, null);
    assertTrue(Files.isSymbolicLink(link), "the link stays a link");
    assertEquals(List.of("b"), List.copyOf(Safetensors.load(real).keySet()));
    Path dangling =
        Files.createSymbolicLink(dir.resolve("dangling.safetensors"), Path.of("later.safetensors"));
    Safetensors.save(Map.of("c", Tensor.ones(1)), dangling, null);
    assertTrue(Files.isSymbolicLink(dangling));
    assertEquals(
        List.of("c"), List.copyOf(Safetensors.load(dir.resolve("later.safetensors")).keySet()));
  }

  @Test
  void savesRejectWhatCannotBeWrittenFaithfully() throws IOException {
    Path f = dir.resolve("bad.safetensors");
    SafetensorsException e =
        assertThrows(
            SafetensorsException.class,
            () -> Safetensors.save(Map.of("w\ud800", Tensor.zeros(1)), f, null));
    check(e, f, "unpaired surrogate");
    e =
        assertThrows(
            SafetensorsException.class,
            () -> Safetensors.save(Map.of("__metadata__", Tensor.zeros(1)), f, null));
    check(e, f, "reserved");
    Map<String, Tensor> nullValue = new LinkedHashMap<>();
    nullValue.put("w", null);
    check(
        assertThrows(SafetensorsException.class, () -> Safetensors.save(nullValue, f, null)),
        f,
        "'w'",
        "null");
    Path sub = Files.createDirectory(dir.resolve("sub"));
    check(
        assertThrows(SafetensorsException.class, () -> Safetensors.save(small(), sub)),
        sub,
        "is a directory");
    Files.delete(sub);
    assertEquals(List.of(), names(), "nothing written");
    // keys with every kind of character that is valid Unicode round-trip
    Map<String, Tensor> odd = new LinkedHashMap<>();
    odd.put("", Tensor.zeros(1));
    odd.put("tab\tquote\"back\\slash\u0001\u00e9\ud83d\ude00", Tensor.ones(1));
    Safetensors.save(odd, f, Map.of("note", "line\nbreak"));
    assertEquals(List.copyOf(odd.keySet()), List.copyOf(Safetensors.load(f).keySet()));
    assertEquals(Map.of("note", "line\nbreak"), Safetensors.metadata(f));
  }
}
