package dev.autograd.nn.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The validated header of one safetensors file, read before any tensor data, as the reference
 * implementation reads it: a little-endian u64 length N (at most {@link #MAX_HEADER_BYTES}), N
 * bytes of strict UTF-8 JSON starting with '{', then the data section. Every entry's dtype, shape
 * and byte count must agree (sizes computed in long with overflow checks), and the entries, sorted
 * by offset, must tile the data section exactly: no gap, no overlap, no trailing byte (zero-size
 * tensors may share an offset). So every declared size is bounded by the file's real length.
 */
final class SafetensorsHeader {
  /** The format's cap on the header length, as the reference implementation has it. */
  static final long MAX_HEADER_BYTES = 100_000_000L;

  static final String METADATA = "__metadata__";

  /** One tensor of the header; {@code shape} as declared (dims may exceed what an int holds). */
  record Entry(String name, StDtype dtype, long[] shape, long begin, long end) {
    long bytes() {
      return end - begin;
    }

    String shapeText() {
      return Bounded.clip(Arrays.toString(shape));
    }
  }

  final Path file;

  /** Entries in header order. */
  final Map<String, Entry> entries;

  final Map<String, String> metadata;

  /** Where the data section starts: 8 + N. */
  final long dataStart;

  private SafetensorsHeader(
      Path file, Map<String, Entry> entries, Map<String, String> metadata, long dataStart) {
    this.file = file;
    this.entries = Collections.unmodifiableMap(entries);
    this.metadata = Collections.unmodifiableMap(metadata);
    this.dataStart = dataStart;
  }

  static SafetensorsException fail(Path file, String key, String problem) {
    return new SafetensorsException(
        file + (key == null ? "" : ": tensor " + Bounded.name(key)) + ": " + problem);
  }

  /** Reads and validates the header; allocates at most min(N, file length) bytes for it. */
  static SafetensorsHeader read(Path file, FileChannel ch) throws IOException {
    long size = ch.size();
    if (size < 8)
      throw notSafetensors(
          file, null, "it is " + size + " bytes, too short for the 8-byte header length");
    ByteBuffer first = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    readFully(file, ch, first, 0);
    long n = first.getLong(0);
    if (n < 0 || n > MAX_HEADER_BYTES) {
      throw notSafetensors(
          file,
          first,
          "header length "
              + Long.toUnsignedString(n)
              + " exceeds the limit of "
              + MAX_HEADER_BYTES
              + " bytes");
    }
    if (n > size - 8) {
      throw notSafetensors(
          file,
          first,
          "header length " + n + " is beyond the end of the file (" + size + " bytes)");
    }
    ByteBuffer hb = ByteBuffer.allocate((int) n);
    readFully(file, ch, hb, 8);
    if (n == 0 || hb.get(0) != '{')
      throw notSafetensors(
          file, first, "expected a JSON object, starting with '{', after the 8-byte length");
    Object parsed;
    try {
      parsed = Json.parse(StandardCharsets.UTF_8.newDecoder().decode(hb).toString());
    } catch (CharacterCodingException e) {
      throw fail(file, null, "corrupt header: not valid UTF-8");
    } catch (IllegalArgumentException e) {
      throw fail(file, null, "corrupt header: " + e.getMessage());
    }
    if (!(parsed instanceof Map)) throw fail(file, null, "corrupt header: expected a JSON object");
    long dataStart = 8 + n;
    return validate(file, asObject(parsed), dataStart, size - dataStart);
  }

  private static SafetensorsHeader validate(
      Path file, Map<String, Object> json, long dataStart, long dataLen)
      throws SafetensorsException {
    Map<String, Entry> entries = new LinkedHashMap<>();
    Map<String, String> metadata = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : json.entrySet()) {
      if (e.getKey().equals(METADATA)) {
        readMetadata(file, e.getValue(), metadata);
      } else {
        entries.put(e.getKey(), entry(file, e.getKey(), e.getValue(), dataLen));
      }
    }
    List<Entry> byOffset = new ArrayList<>(entries.values());
    byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
    long next = 0;
    Entry prev = null;
    for (Entry e : byOffset) {
      if (e.begin < next) {
        throw fail(
            file,
            e.name,
            "data_offsets ["
                + e.begin
                + ", "
                + e.end
                + "] overlap those of "
                + Bounded.name(prev.name)
                + " ["
                + prev.begin
                + ", "
                + prev.end
                + "]");
      }
      if (e.begin > next) {
        throw fail(
            file,
            e.name,
            "data_offsets ["
                + e.begin
                + ", "
                + e.end
                + "] leave a gap: bytes ["
                + next
                + ", "
                + e.begin
                + ") of the data section belong to no tensor (the format requires the tensors to tile the data section)");
      }
      next = e.end;
      prev = e;
    }
    if (next != dataLen) {
      throw fail(
          file,
          null,
          "trailing bytes: the tensors end at byte "
              + next
              + " of the data section but it holds "
              + dataLen
              + " bytes (the format forbids bytes that belong to no tensor)");
    }
    return new SafetensorsHeader(file, entries, metadata, dataStart);
  }

  private static void readMetadata(Path file, Object v, Map<String, String> out)
      throws SafetensorsException {
    if (v == null) return; // the reference writes and accepts a missing map as null
    if (!(v instanceof Map)) throw fail(file, null, "__metadata__ must be an object of strings");
    for (Map.Entry<String, Object> m : asObject(v).entrySet()) {
      if (!(m.getValue() instanceof String))
        throw fail(
            file, null, "__metadata__ value of " + Bounded.quote(m.getKey()) + " is not a string");
      out.put(m.getKey(), (String) m.getValue());
    }
  }

  private static Entry entry(Path file, String key, Object v, long dataLen)
      throws SafetensorsException {
    if (!(v instanceof Map)) throw fail(file, key, "header entry is not an object");
    Map<String, Object> m = asObject(v);
    Object dt = m.get("dtype"), shape = m.get("shape"), offs = m.get("data_offsets");
    if (!(dt instanceof String)) throw fail(file, key, "missing dtype");
    StDtype dtype = StDtype.parse((String) dt);
    if (dtype == null)
      throw fail(
          file,
          key,
          "unknown dtype " + Bounded.quote((String) dt) + " (the format has no such dtype)");
    if (!(shape instanceof List)) throw fail(file, key, "missing shape");
    List<?> sl = (List<?>) shape;
    long[] s = new long[sl.size()];
    for (int k = 0; k < s.length; k++) {
      Object d = sl.get(k);
      if (!(d instanceof Long) || (Long) d < 0)
        throw fail(
            file,
            key,
            "invalid shape " + Bounded.clip(sl.toString()) + ": dimensions must be integers >= 0");
      s[k] = (Long) d;
    }
    if (!(offs instanceof List) || ((List<?>) offs).size() != 2)
      throw fail(file, key, "data_offsets must be [begin, end]");
    Object b = ((List<?>) offs).get(0), e = ((List<?>) offs).get(1);
    if (!(b instanceof Long) || !(e instanceof Long))
      throw fail(file, key, "data_offsets must be integers");
    long begin = (Long) b, end = (Long) e;
    if (begin < 0 || end < begin)
      throw fail(
          file,
          key,
          "data_offsets ["
              + begin
              + ", "
              + end
              + "] are out of range (they must satisfy 0 <= begin <= end)");
    if (end > dataLen) throw outOfRange(file, key, begin, end, dataLen);
    Entry entry = new Entry(key, dtype, s, begin, end);
    long bytes = byteCount(file, entry);
    if (end - begin != bytes) {
      throw fail(
          file,
          key,
          "data_offsets span "
              + (end - begin)
              + " bytes but dtype "
              + dtype
              + " x shape "
              + entry.shapeText()
              + " needs "
              + bytes);
    }
    return entry;
  }

  private static SafetensorsException outOfRange(
      Path file, String key, long begin, long end, long dataLen) {
    return fail(
        file,
        key,
        "data_offsets ["
            + begin
            + ", "
            + end
            + "] are out of range of the "
            + dataLen
            + "-byte data section (the file is truncated or the header is wrong)");
  }

  /** dtype bits x product(shape) / 8, in long with overflow checks. */
  private static long byteCount(Path file, Entry e) throws SafetensorsException {
    try {
      long n = 1;
      for (long d : e.shape) n = Math.multiplyExact(n, d);
      long bits = Math.multiplyExact(n, (long) e.dtype.bits);
      if (bits % 8 != 0)
        throw fail(
            file,
            e.name,
            "dtype "
                + e.dtype
                + " x shape "
                + e.shapeText()
                + " is "
                + bits
                + " bits, not a whole number of bytes");
      return bits / 8;
    } catch (ArithmeticException x) {
      throw fail(
          file,
          e.name,
          "shape "
              + e.shapeText()
              + " of dtype "
              + e.dtype
              + " has too many elements: its byte count overflows 64 bits");
    }
  }

  /** A file that is not safetensors at all; says what it looks like when we can tell. */
  private static SafetensorsException notSafetensors(Path file, ByteBuffer first, String detail) {
    String what = "not a safetensors file";
    if (first != null) {
      int b0 = first.get(0) & 0xFF, b1 = first.get(1) & 0xFF;
      if (b0 == 'P' && b1 == 'K') {
        what =
            "this looks like a PyTorch pickle/zip checkpoint (torch.save), not a safetensors file; convert it in Python with"
                + " safetensors.torch.save_file(torch.load(path), 'model.safetensors')";
      } else if (b0 == 0x80 && b1 >= 2 && b1 <= 5) {
        what =
            "this looks like a Python pickle (a legacy torch.save checkpoint), not a safetensors file; convert it in Python with"
                + " safetensors.torch.save_file(torch.load(path), 'model.safetensors')";
      }
    }
    return fail(file, null, what + " (" + detail + ")");
  }

  static void readFully(Path file, FileChannel ch, ByteBuffer buf, long pos) throws IOException {
    while (buf.hasRemaining()) {
      int r = ch.read(buf, pos);
      if (r < 0)
        throw fail(file, null, "file truncated while reading (was it changed during the load?)");
      pos += r;
    }
    buf.flip();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asObject(Object v) {
    return (Map<String, Object>) v;
  }
}
