package dev.autograd.nn.io;

import dev.autograd.core.Tensor;
import dev.autograd.nn.Module;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header
 * {@code {name: {dtype, shape, data_offsets: [begin, end]}}} (plus optional string-to-string {@code
 * __metadata__}), then the raw little-endian data. Dtypes F32, F64, I64 and BOOL.
 *
 * <p>Files are untrusted and read as the reference implementation reads them: the whole header is
 * validated first (strict JSON, sizes in long with overflow checks, tensors tiling the data section
 * exactly; see {@code SafetensorsHeader}), then tensors are read one by one with positioned reads,
 * only those asked for. A declared size can therefore never exceed the file's real length, and an
 * unused entry is never loaded. Every failure is a {@link SafetensorsException} naming the file,
 * the key and the problem, a few kilobytes at most.
 *
 * <p>Writes go to a temporary file that is fsynced and then renamed over the target (see {@code
 * AtomicFile}), so a crash never leaves a half-written file.
 */
public final class Safetensors {
  private Safetensors() {}

  /**
   * Headers above this size are rejected, as the reference implementation does (100,000,000 bytes).
   */
  public static final long MAX_HEADER_BYTES = SafetensorsHeader.MAX_HEADER_BYTES;

  /** Problems listed in one error message; the rest are counted. */
  private static final int MAX_PROBLEMS = 10;

  /** Saves {@code module.stateDict()} (parameters and buffers, PyTorch names). */
  public static void save(Module module, Path file) throws IOException {
    Objects.requireNonNull(module, "module");
    save(module.stateDict(), file, null);
  }

  /** Writes {@code tensors} (in map order) and optional string metadata atomically. */
  public static void save(Map<String, Tensor> tensors, Path file, Map<String, String> metadata)
      throws IOException {
    Objects.requireNonNull(tensors, "tensors");
    Objects.requireNonNull(file, "file");
    SafetensorsWriter w = new SafetensorsWriter(file, tensors, metadata);
    AtomicFile.replace(file, w::write);
  }

  /**
   * Loads a file into {@code module} (like {@link Module#loadStateDict(Map, boolean)}). The header
   * is checked against the module first — unexpected and missing keys (when {@code strict}), shapes
   * and dtypes — so a mismatch is reported without reading any tensor; then only the module's
   * tensors are read. Any failure (corrupt file, mismatch, I/O error) leaves the module unchanged.
   */
  public static void load(Module module, Path file, boolean strict) throws IOException {
    Objects.requireNonNull(module, "module");
    Objects.requireNonNull(file, "file");
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      SafetensorsHeader h = SafetensorsHeader.read(file, ch);
      Map<String, Tensor> own = module.stateDict();
      checkAgainst(module, own, h, strict);
      Map<String, Tensor> state = new LinkedHashMap<>();
      for (String k : own.keySet()) {
        SafetensorsHeader.Entry e = h.entries.get(k);
        if (e != null) state.put(k, SafetensorsReader.read(file, ch, h, e));
      }
      try {
        module.loadStateDict(state, strict);
      } catch (IllegalArgumentException e) {
        throw new SafetensorsException(file + ": " + e.getMessage(), e);
      }
    }
  }

  /** Every key, shape and dtype problem between the header and the module, in PyTorch's words. */
  private static void checkAgainst(
      Module module, Map<String, Tensor> own, SafetensorsHeader h, boolean strict)
      throws SafetensorsException {
    List<String> missing = new ArrayList<>(),
        unexpected = new ArrayList<>(),
        problems = new ArrayList<>();
    for (String k : own.keySet()) if (!h.entries.containsKey(k)) missing.add(k);
    for (String k : h.entries.keySet()) if (!own.containsKey(k)) unexpected.add(k);
    int problemCount = 0;
    for (Map.Entry<String, Tensor> o : own.entrySet()) {
      SafetensorsHeader.Entry e = h.entries.get(o.getKey());
      if (e == null) continue;
      String p = mismatch(e, o.getValue());
      if (p != null && problemCount++ < MAX_PROBLEMS) problems.add(p);
    }
    StringBuilder msg = new StringBuilder();
    if (strict && !unexpected.isEmpty())
      msg.append("\n\tUnexpected key(s) in state_dict: ")
          .append(Bounded.list(unexpected))
          .append('.');
    if (strict && !missing.isEmpty())
      msg.append("\n\tMissing key(s) in state_dict: ").append(Bounded.list(missing)).append('.');
    for (String p : problems) msg.append("\n\t").append(p);
    if (problemCount > MAX_PROBLEMS)
      msg.append("\n\t")
          .append(
              String.format(
                  "... and %,d more size or dtype problems.", problemCount - MAX_PROBLEMS));
    if (msg.length() > 0) {
      throw new SafetensorsException(
          h.file
              + ": Error(s) in loading state_dict for "
              + module.getClass().getSimpleName()
              + ":"
              + msg);
    }
  }

  private static String mismatch(SafetensorsHeader.Entry e, Tensor target) {
    int[] want = target.shapeRef();
    boolean same = want.length == e.shape().length;
    for (int k = 0; same && k < want.length; k++) same = want[k] == e.shape()[k];
    String key = Bounded.clip(e.name());
    if (!same) {
      return "size mismatch for "
          + key
          + ": copying a param with shape "
          + e.shapeText()
          + " from checkpoint, the shape in current model is "
          + Arrays.toString(want)
          + ".";
    }
    if (e.dtype().dtype == null) {
      return "unsupported dtype "
          + e.dtype()
          + " for "
          + key
          + " (supported: "
          + StDtype.SUPPORTED
          + ").";
    }
    if (e.dtype().dtype.isFloatingPoint() != target.dtype().isFloatingPoint()) {
      return "dtype mismatch for "
          + key
          + ": copying a "
          + e.dtype().dtype.torchName()
          + " tensor into a "
          + target.dtype().torchName()
          + " one.";
    }
    return null;
  }

  /**
   * Reads every tensor of a safetensors file, in header order. Checks that every tensor can be held
   * (dtype, element count) before reading any.
   */
  public static Map<String, Tensor> load(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      SafetensorsHeader h = SafetensorsHeader.read(file, ch);
      for (SafetensorsHeader.Entry e : h.entries.values()) SafetensorsReader.checkReadable(file, e);
      Map<String, Tensor> out = new LinkedHashMap<>();
      for (SafetensorsHeader.Entry e : h.entries.values())
        out.put(e.name(), SafetensorsReader.read(file, ch, h, e));
      return out;
    }
  }

  /** The header's {@code __metadata__} (empty when absent); reads no tensor data. */
  public static Map<String, String> metadata(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return SafetensorsHeader.read(file, ch).metadata;
    }
  }
}
