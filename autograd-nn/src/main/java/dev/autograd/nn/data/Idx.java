package dev.autograd.nn.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reader for the IDX files of MNIST and Fashion-MNIST ({@code *-idx1-ubyte}, {@code *-idx3-ubyte},
 * plain or gzip-compressed). Only unsigned-byte data (type code 0x08) is supported, which is what
 * those data sets use. Malformed files fail with an {@link IOException} naming the file and the
 * problem (bad magic number, unexpected rank, truncated data, trailing bytes).
 */
public final class Idx {
  private Idx() {}

  /** The contents of one IDX file: its dimensions and its bytes as unsigned values 0..255. */
  public static final class Data {
    private final int[] dims;
    private final byte[] values;

    Data(int[] dims, byte[] values) {
      this.dims = dims;
      this.values = values;
    }

    /** The dimensions from the header, e.g. [60000, 28, 28]. */
    public int[] dims() {
      return dims.clone();
    }

    /** The raw bytes, row-major; read element i as {@code values()[i] & 0xFF}. */
    public byte[] values() {
      return values;
    }

    /** Element {@code i} as an unsigned value. */
    public int get(int i) {
      return values[i] & 0xFF;
    }
  }

  /** Reads {@code file} (gzip when it starts with the gzip magic bytes); its rank must be {@code expectedRank}. */
  public static Data read(Path file, int expectedRank) throws IOException {
    if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString(), null, "IDX file not found");
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      raw.mark(2);
      int b0 = raw.read(), b1 = raw.read();
      raw.reset();
      boolean gzip = b0 == 0x1f && b1 == 0x8b;
      InputStream in = gzip ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
      return read(in, file.toString(), expectedRank);
    }
  }

  /** Reads an IDX stream; {@code name} appears in error messages. The stream must end after the data. */
  public static Data read(InputStream stream, String name, int expectedRank) throws IOException {
    DataInputStream in = new DataInputStream(stream);
    int magic;
    try {
      magic = in.readInt();
    } catch (EOFException e) {
      throw new IOException(name + ": not an IDX file (shorter than its 4-byte magic number)");
    }
    if ((magic >>> 16) != 0) {
      throw new IOException(name + ": not an IDX file (magic number 0x" + Integer.toHexString(magic)
          + " does not start with two zero bytes; a gzip file must end in .gz or start with 1f 8b)");
    }
    int type = (magic >>> 8) & 0xFF, rank = magic & 0xFF;
    if (type != 0x08) {
      throw new IOException(name + ": unsupported IDX data type 0x" + Integer.toHexString(type) + " (only unsigned bytes, 0x08, are supported)");
    }
    if (rank != expectedRank) {
      throw new IOException(name + ": expected an IDX file of rank " + expectedRank + " (magic 0x0000080" + expectedRank
          + "), got rank " + rank + " (magic 0x" + String.format("%08x", magic) + ")");
    }
    int[] dims = new int[rank];
    long total = 1;
    try {
      for (int i = 0; i < rank; i++) {
        dims[i] = in.readInt();
        if (dims[i] < 0) throw new IOException(name + ": negative dimension " + dims[i] + " in the IDX header");
        total *= dims[i];
      }
    } catch (EOFException e) {
      throw new IOException(name + ": truncated IDX header (expected " + rank + " dimensions)");
    }
    if (total > Integer.MAX_VALUE - 8) throw new IOException(name + ": IDX data of " + total + " bytes is too large");
    byte[] values = new byte[(int) total];
    try {
      in.readFully(values);
    } catch (EOFException e) {
      throw new IOException(name + ": truncated IDX data: the header " + Arrays.toString(dims) + " announces " + total + " bytes");
    }
    if (in.read() != -1) {
      throw new IOException(name + ": trailing bytes after the " + total + " bytes announced by the header " + Arrays.toString(dims));
    }
    return new Data(dims, values);
  }
}
