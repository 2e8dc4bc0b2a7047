package dev.autograd.nn.io;

import dev.autograd.core.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lays out one safetensors file: checks the arguments, builds the header (offsets in long with
 * overflow checks, padded with spaces to 8 bytes, as the reference writes it), then streams each
 * tensor through a {@link SafetensorsReader#CHUNK}-byte buffer.
 */
final class SafetensorsWriter {
  private final Path file;
  private final Map<String, Tensor> tensors;
  private final byte[] header;

  SafetensorsWriter(Path file, Map<String, Tensor> tensors, Map<String, String> metadata)
      throws SafetensorsException {
    this.file = file;
    this.tensors = new LinkedHashMap<>(tensors);
    Map<String, Object> h = new LinkedHashMap<>();
    if (metadata != null && !metadata.isEmpty()) {
      for (Map.Entry<String, String> m : metadata.entrySet()) {
        if (m.getKey() == null || m.getValue() == null)
          throw fail(null, "metadata keys and values must not be null");
        checkText(m.getKey(), "metadata key");
        checkText(m.getValue(), "metadata value");
      }
      h.put(SafetensorsHeader.METADATA, new LinkedHashMap<>(metadata));
    }
    long offset = 0;
    for (Map.Entry<String, Tensor> e : this.tensors.entrySet()) {
      String key = e.getKey();
      if (key == null) throw fail(null, "tensor names must not be null");
      if (key.equals(SafetensorsHeader.METADATA))
        throw fail(key, "the name " + SafetensorsHeader.METADATA + " is reserved");
      checkText(key, "tensor name");
      Tensor t = e.getValue();
      if (t == null) throw fail(key, "the tensor is null");
      long bytes = (long) t.numel() * t.dtype().byteSize();
      Map<String, Object> info = new LinkedHashMap<>();
      info.put("dtype", StDtype.of(t.dtype()).name());
      List<Object> shape = new ArrayList<>();
      for (int d : t.shapeRef()) shape.add((long) d);
      info.put("shape", shape);
      long end = Math.addExact(offset, bytes);
      info.put("data_offsets", List.of(offset, end));
      h.put(key, info);
      offset = end;
    }
    byte[] json = Json.write(h).getBytes(StandardCharsets.UTF_8);
    if (json.length > SafetensorsHeader.MAX_HEADER_BYTES) {
      throw fail(
          null,
          "the header would be "
              + json.length
              + " bytes, above the format's limit of "
              + SafetensorsHeader.MAX_HEADER_BYTES);
    }
    int padded = (json.length + 7) / 8 * 8;
    ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    head.putLong(padded).put(json);
    while (head.hasRemaining()) head.put((byte) ' ');
    this.header = head.array();
  }

  private SafetensorsException fail(String key, String problem) {
    return SafetensorsHeader.fail(file, key, "cannot save: " + problem);
  }

  /** Names become UTF-8; a lone surrogate has no UTF-8 form and would turn into '?'. */
  private void checkText(String s, String what) throws SafetensorsException {
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      boolean paired =
          Character.isHighSurrogate(c)
              ? k + 1 < s.length() && Character.isLowSurrogate(s.charAt(++k))
              : !Character.isLowSurrogate(c);
      if (!paired)
        throw fail(
            null,
            "the "
                + what
                + " "
                + Bounded.quote(s)
                + " holds an unpaired surrogate (not valid Unicode)");
    }
  }

  void write(FileChannel out) throws IOException {
    writeAll(out, ByteBuffer.wrap(header));
    ByteBuffer chunk = ByteBuffer.allocate(SafetensorsReader.CHUNK).order(ByteOrder.LITTLE_ENDIAN);
    for (Tensor t : tensors.values()) {
      switch (t.dtype()) {
        case FLOAT32:
          {
            float[] v = t.toFloatArray();
            for (int k = 0; k < v.length; k++) {
              if (chunk.remaining() < 4) flush(out, chunk);
              chunk.putFloat(v[k]);
            }
            break;
          }
        case FLOAT64:
          {
            double[] v = t.toDoubleArray();
            for (int k = 0; k < v.length; k++) {
              if (chunk.remaining() < 8) flush(out, chunk);
              chunk.putDouble(v[k]);
            }
            break;
          }
        case INT64:
          {
            long[] v = t.toLongArray();
            for (int k = 0; k < v.length; k++) {
              if (chunk.remaining() < 8) flush(out, chunk);
              chunk.putLong(v[k]);
            }
            break;
          }
        default:
          {
            boolean[] v = t.toBooleanArray();
            for (int k = 0; k < v.length; k++) {
              if (!chunk.hasRemaining()) flush(out, chunk);
              chunk.put((byte) (v[k] ? 1 : 0));
            }
          }
      }
    }
    flush(out, chunk);
  }

  private static void flush(FileChannel out, ByteBuffer chunk) throws IOException {
    chunk.flip();
    writeAll(out, chunk);
    chunk.clear();
  }

  private static void writeAll(FileChannel out, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) out.write(b);
  }
}
