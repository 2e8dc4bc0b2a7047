package dev.autograd.nn.io;

import dev.autograd.core.DType;
import dev.autograd.core.Tensor;
import dev.autograd.nn.Module;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header
 * {@code {name: {dtype, shape, data_offsets: [begin, end]}}} (plus optional string-to-string
 * {@code __metadata__}), then the raw little-endian data. Dtypes F32, F64, I64 and BOOL.
 *
 * <p>Files are untrusted: the header length, every dtype, shape and offset range are validated
 * (in range, no overlap, size = dtype × shape) before any tensor memory is allocated, and every
 * error names the file, the key and the problem. Writes go to a temporary file that is then
 * renamed over the target, so a crash never leaves a half-written file.
 */
public final class Safetensors {
  private Safetensors() {}

  /** Headers above this size are rejected (as the reference implementation does). */
  public static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

  private static final String METADATA = "__metadata__";

  /** Saves {@code module.stateDict()} (parameters and buffers, PyTorch names). */
  public static void save(Module module, Path file) throws IOException {
    save(module.stateDict(), file, null);
  }

  /**
   * Loads a file into {@code module} via {@link Module#loadStateDict(Map, boolean)}: any problem
   * (corrupt file, missing/unexpected key, shape mismatch) leaves the module unchanged.
   */
  public static void load(Module module, Path file, boolean strict) throws IOException {
    Map<String, Tensor> state = load(file);
    try {
      module.loadStateDict(state, strict);
    } catch (IllegalArgumentException e) {
      throw new SafetensorsException(file + ": " + e.getMessage());
    }
  }

  /** Writes {@code tensors} (in map order) and optional string metadata atomically. */
  public static void save(Map<String, Tensor> tensors, Path file, Map<String, String> metadata) throws IOException {
    Map<String, Object> header = new LinkedHashMap<>();
    if (metadata != null && !metadata.isEmpty()) header.put(METADATA, new LinkedHashMap<>(metadata));
    long offset = 0;
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      if (e.getKey().equals(METADATA)) throw new IllegalArgumentException(file + ": the key " + METADATA + " is reserved");
      Tensor t = e.getValue();
      long bytes = (long) t.numel() * width(t.dtype());
      Map<String, Object> info = new LinkedHashMap<>();
      info.put("dtype", code(t.dtype()));
      List<Object> shape = new ArrayList<>();
      for (int d : t.shapeRef()) shape.add((long) d);
      info.put("shape", shape);
      info.put("data_offsets", List.of(offset, offset + bytes));
      header.put(e.getKey(), info);
      offset += bytes;
    }
    byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) / 8 * 8;
    ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    head.putLong(padded).put(json);
    while (head.hasRemaining()) head.put((byte) ' ');
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        out.write(head.array());
        for (Tensor t : tensors.values()) out.write(bytes(t));
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Reads every tensor of a safetensors file, in header order. */
  public static Map<String, Tensor> load(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      Header h = readHeader(file, ch);
      Map<String, Tensor> out = new LinkedHashMap<>();
      for (Entry e : h.entries) {
        ByteBuffer buf = ByteBuffer.allocate((int) (e.end - e.begin)).order(ByteOrder.LITTLE_ENDIAN);
        long pos = h.dataStart + e.begin;
        while (buf.hasRemaining()) {
          int n = ch.read(buf, pos);
          if (n < 0) throw fail(file, e.name, "data ends early (file truncated)");
          pos += n;
        }
        buf.flip();
        out.put(e.name, tensor(e, buf));
      }
      return out;
    }
  }

  /** The header's {@code __metadata__} (empty when absent). */
  public static Map<String, String> metadata(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return readHeader(file, ch).metadata;
    }
  }

  private static final class Entry {
    final String name;
    final DType dtype;
    final int[] shape;
    final long begin, end;

    Entry(String name, DType dtype, int[] shape, long begin, long end) {
      this.name = name;
      this.dtype = dtype;
      this.shape = shape;
      this.begin = begin;
      this.end = end;
    }
  }

  private static final class Header {
    final List<Entry> entries = new ArrayList<>();
    final Map<String, String> metadata = new LinkedHashMap<>();
    long dataStart;
  }

  private static SafetensorsException fail(Path file, String key, String problem) {
    return new SafetensorsException(file + (key == null ? "" : ": tensor '" + key + "'") + ": " + problem);
  }

  @SuppressWarnings("unchecked")
  private static Header readHeader(Path file, FileChannel ch) throws IOException {
    long size = ch.size();
    if (size < 8) throw fail(file, null, "file is " + size + " bytes, too short for the 8-byte header length");
    ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    readFully(file, ch, lenBuf, 0);
    long n = lenBuf.flip().getLong();
    if (n < 0 || n > MAX_HEADER_BYTES) throw fail(file, null, "header length " + Long.toUnsignedString(n) + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
    if (n > size - 8) throw fail(file, null, "header length " + n + " is beyond the end of the file (" + size + " bytes)");
    ByteBuffer hb = ByteBuffer.allocate((int) n);
    readFully(file, ch, hb, 8);
    Object parsed;
    try {
      parsed = Json.parse(StandardCharsets.UTF_8.newDecoder().decode(hb.flip()).toString());
    } catch (IllegalArgumentException | java.nio.charset.CharacterCodingException e) {
      throw fail(file, null, "corrupt header: " + e.getMessage());
    }
    if (!(parsed instanceof Map)) throw fail(file, null, "corrupt header: expected a JSON object");
    Header h = new Header();
    h.dataStart = 8 + n;
    long dataLen = size - h.dataStart;
    for (Map.Entry<String, Object> e : ((Map<String, Object>) parsed).entrySet()) {
      String key = e.getKey();
      if (key.equals(METADATA)) {
        if (!(e.getValue() instanceof Map)) throw fail(file, null, "__metadata__ must be an object of strings");
        for (Map.Entry<String, Object> m : ((Map<String, Object>) e.getValue()).entrySet()) {
          if (!(m.getValue() instanceof String)) throw fail(file, null, "__metadata__ value of '" + m.getKey() + "' is not a string");
          h.metadata.put(m.getKey(), (String) m.getValue());
        }
        continue;
      }
      h.entries.add(entry(file, key, e.getValue(), dataLen));
    }
    List<Entry> sorted = new ArrayList<>(h.entries);
    sorted.sort((a, b) -> Long.compare(a.begin, b.begin));
    for (int k = 1; k < sorted.size(); k++) {
      Entry prev = sorted.get(k - 1), cur = sorted.get(k);
      if (cur.begin < prev.end) {
        throw fail(file, cur.name, "data_offsets [" + cur.begin + ", " + cur.end + "] overlap those of '" + prev.name + "' [" + prev.begin + ", " + prev.end + "]");
      }
    }
    return h;
  }

  @SuppressWarnings("unchecked")
  private static Entry entry(Path file, String key, Object v, long dataLen) throws SafetensorsException {
    if (!(v instanceof Map)) throw fail(file, key, "header entry is not an object");
    Map<String, Object> m = (Map<String, Object>) v;
    Object dt = m.get("dtype"), shape = m.get("shape"), offs = m.get("data_offsets");
    if (!(dt instanceof String)) throw fail(file, key, "missing dtype");
    DType dtype = dtype((String) dt);
    if (dtype == null) throw fail(file, key, "unsupported dtype " + dt + " (supported: F32, F64, I64, BOOL)");
    if (!(shape instanceof List)) throw fail(file, key, "missing shape");
    List<Object> sl = (List<Object>) shape;
    int[] s = new int[sl.size()];
    long numel = 1;
    for (int k = 0; k < s.length; k++) {
      Object d = sl.get(k);
      if (!(d instanceof Long) || (Long) d < 0 || (Long) d > Integer.MAX_VALUE) throw fail(file, key, "invalid shape " + sl);
      s[k] = (int) (long) (Long) d;
      numel *= s[k];
      if (numel > Integer.MAX_VALUE) throw fail(file, key, "shape " + sl + " has too many elements");
    }
    if (!(offs instanceof List) || ((List<Object>) offs).size() != 2) throw fail(file, key, "data_offsets must be [begin, end]");
    Object b = ((List<Object>) offs).get(0), e = ((List<Object>) offs).get(1);
    if (!(b instanceof Long) || !(e instanceof Long)) throw fail(file, key, "data_offsets must be integers");
    long begin = (Long) b, end = (Long) e;
    if (begin < 0 || end < begin || end > dataLen) {
      throw fail(file, key, "data_offsets [" + begin + ", " + end + "] are out of range of the " + dataLen + "-byte data section");
    }
    if (end - begin != numel * width(dtype)) {
      throw fail(file, key, "data_offsets span " + (end - begin) + " bytes but dtype " + dt + " x shape " + sl + " needs " + numel * width(dtype));
    }
    return new Entry(key, dtype, s, begin, end);
  }

  private static void readFully(Path file, FileChannel ch, ByteBuffer buf, long pos) throws IOException {
    while (buf.hasRemaining()) {
      int r = ch.read(buf, pos);
      if (r < 0) throw fail(file, null, "file truncated");
      pos += r;
    }
  }

  private static DType dtype(String code) {
    switch (code) {
      case "F32":
        return DType.FLOAT32;
      case "F64":
        return DType.FLOAT64;
      case "I64":
        return DType.INT64;
      case "BOOL":
        return DType.BOOL;
      default:
        return null;
    }
  }

  private static String code(DType d) {
    switch (d) {
      case FLOAT32:
        return "F32";
      case FLOAT64:
        return "F64";
      case INT64:
        return "I64";
      default:
        return "BOOL";
    }
  }

  private static int width(DType d) {
    switch (d) {
      case FLOAT32:
        return 4;
      case FLOAT64:
      case INT64:
        return 8;
      default:
        return 1;
    }
  }

  private static byte[] bytes(Tensor t) {
    int n = t.numel();
    ByteBuffer b = ByteBuffer.allocate(n * width(t.dtype())).order(ByteOrder.LITTLE_ENDIAN);
    switch (t.dtype()) {
      case FLOAT32:
        for (float v : t.toFloatArray()) b.putFloat(v);
        break;
      case FLOAT64:
        for (double v : t.toDoubleArray()) b.putDouble(v);
        break;
      case INT64:
        for (long v : t.toLongArray()) b.putLong(v);
        break;
      default:
        for (boolean v : t.toBooleanArray()) b.put((byte) (v ? 1 : 0));
    }
    return b.array();
  }

  private static Tensor tensor(Entry e, ByteBuffer b) {
    int n = (int) ((e.end - e.begin) / width(e.dtype));
    Tensor t;
    switch (e.dtype) {
      case FLOAT32: {
        float[] v = new float[n];
        b.asFloatBuffer().get(v);
        t = Tensor.of(v, e.shape);
        break;
      }
      case FLOAT64: {
        double[] v = new double[n];
        b.asDoubleBuffer().get(v);
        t = Tensor.of(v, e.shape);
        break;
      }
      case INT64: {
        long[] v = new long[n];
        b.asLongBuffer().get(v);
        t = Tensor.of(v, e.shape);
        break;
      }
      default: {
        boolean[] v = new boolean[n];
        for (int k = 0; k < n; k++) v[k] = b.get(k) != 0;
        t = Tensor.of(v, e.shape);
      }
    }
    return e.shape.length == 0 ? t.reshape() : t; // Tensor.of without a shape is 1-D
  }
}
