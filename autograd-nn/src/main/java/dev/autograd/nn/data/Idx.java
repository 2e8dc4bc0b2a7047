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
import java.util.Objects;
import java.util.zip.GZIPInputStream;

/**
 * Reader for the IDX files of MNIST and Fashion-MNIST ({@code *-idx1-ubyte}, {@code *-idx3-ubyte},
 * plain or gzip-compressed). Only unsigned-byte data (type code 0x08) is supported, which is what
 * those data sets use. Files are untrusted: the dimensions are multiplied in long and checked
 * against the file's length before anything is allocated, and malformed files fail with an {@link
 * IdxException} naming the file and the problem (bad magic number, unexpected rank, sizes that
 * overflow, truncated data, trailing bytes, corrupt gzip).
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
      return values[Objects.checkIndex(i, values.length)] & 0xFF;
    }
  }

  /** The most bytes one IDX file's data may hold (one Java array). */
  public static final long MAX_BYTES = Integer.MAX_VALUE - 8;

  /**
   * Reads {@code file} (gzip when it starts with the gzip magic bytes); its rank must be {@code
   * expectedRank}. For a plain file the header's size is checked against the file's length before
   * anything is allocated; for gzip, memory grows with the bytes actually decompressed.
   *
   * @throws NoSuchFileException when the file does not exist
   * @throws IdxException when the file is malformed (the message names it)
   */
  public static Data read(Path file, int expectedRank) throws IOException {
    Objects.requireNonNull(file, "file");
    checkRank(expectedRank);
    if (!Files.isRegularFile(file))
      throw new NoSuchFileException(file.toString(), null, "IDX file not found");
    String name = file.toString();
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      raw.mark(2);
      int b0 = raw.read(), b1 = raw.read();
      raw.reset();
      boolean gzip = b0 == 0x1f && b1 == 0x8b;
      InputStream in =
          gzip ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
      return read(in, name, expectedRank, gzip ? -1 : Files.size(file));
    } catch (IdxException e) {
      throw e;
    } catch (IOException e) {
      throw new IdxException(
          name + ": cannot read the IDX file: " + e, e); // e.g. corrupt gzip data
    }
  }

  /**
   * Reads an IDX stream; {@code name} appears in error messages. The stream must end after the
   * data.
   */
  public static Data read(InputStream stream, String name, int expectedRank) throws IOException {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(name, "name");
    checkRank(expectedRank);
    try {
      return read(stream, name, expectedRank, -1);
    } catch (IdxException e) {
      throw e;
    } catch (IOException e) {
      throw new IdxException(name + ": cannot read the IDX data: " + e, e);
    }
  }

  private static void checkRank(int rank) {
    if (rank < 1 || rank > 255)
      throw new IllegalArgumentException(
          "expectedRank must be 1..255 (one byte of the magic number), got " + rank);
  }

  /** {@code length} is the whole file's length when known, else -1. */
  private static Data read(InputStream stream, String name, int expectedRank, long length)
      throws IOException {
    DataInputStream in = new DataInputStream(stream);
    int magic;
    try {
      magic = in.readInt();
    } catch (EOFException e) {
      throw new IdxException(name + ": not an IDX file (shorter than its 4-byte magic number)");
    }
    if ((magic >>> 16) != 0) {
      throw new IdxException(
          name
              + ": not an IDX file (magic number 0x"
              + Integer.toHexString(magic)
              + " does not start with two zero bytes; a gzip file must end in .gz or start with 1f 8b)");
    }
    int type = (magic >>> 8) & 0xFF, rank = magic & 0xFF;
    if (type != 0x08) {
      throw new IdxException(
          name
              + ": unsupported IDX data type 0x"
              + Integer.toHexString(type)
              + " (only unsigned bytes, 0x08, are supported)");
    }
    if (rank != expectedRank) {
      throw new IdxException(
          name
              + ": expected an IDX file of rank "
              + expectedRank
              + " (magic 0x0000080"
              + expectedRank
              + "), got rank "
              + rank
              + " (magic 0x"
              + String.format("%08x", magic)
              + ")");
    }
    int[] dims = new int[rank];
    try {
      for (int i = 0; i < rank; i++) dims[i] = in.readInt();
    } catch (EOFException e) {
      throw new IdxException(
          name
              + ": truncated IDX header (expected "
              + rank
              + " dimensions of 4 bytes after the magic number)");
    }
    long total = dataBytes(name, dims);
    long headerBytes = 4 + 4L * rank;
    if (length >= 0 && length - headerBytes != total) {
      throw new IdxException(
          name
              + ": the header "
              + Arrays.toString(dims)
              + " announces "
              + total
              + " bytes of data but the file holds "
              + (length - headerBytes)
              + (length - headerBytes < total
                  ? " (truncated IDX data)"
                  : " (trailing bytes after the data)"));
    }
    byte[] values;
    try {
      values =
          length >= 0
              ? readKnown(in, name, dims, (int) total)
              : readGrowing(in, name, dims, (int) total);
    } catch (OutOfMemoryError e) {
      throw new IdxException(
          name
              + ": not enough heap for the "
              + total
              + " bytes of data of the header "
              + Arrays.toString(dims)
              + " (raise -Xmx)");
    }
    if (in.read() != -1) {
      throw new IdxException(
          name
              + ": trailing bytes after the "
              + total
              + " bytes announced by the header "
              + Arrays.toString(dims));
    }
    return new Data(dims, values);
  }

  /** The product of the dimensions, in long with overflow checks, at most {@link #MAX_BYTES}. */
  private static long dataBytes(String name, int[] dims) throws IdxException {
    long total = 1;
    for (int d : dims) {
      if (d < 0)
        throw new IdxException(
            name + ": negative dimension " + d + " in the IDX header " + Arrays.toString(dims));
      try {
        total = Math.multiplyExact(total, d);
      } catch (ArithmeticException e) {
        throw new IdxException(
            name
                + ": the IDX header's dimensions "
                + Arrays.toString(dims)
                + " multiply to more than 2^63 bytes");
      }
    }
    if (total > MAX_BYTES) {
      throw new IdxException(
          name
              + ": the IDX header "
              + Arrays.toString(dims)
              + " announces "
              + total
              + " bytes, more than one array holds ("
              + MAX_BYTES
              + ")");
    }
    return total;
  }

  private static byte[] readKnown(DataInputStream in, String name, int[] dims, int total)
      throws IOException {
    byte[] values = new byte[total];
    try {
      in.readFully(values);
    } catch (EOFException e) {
      throw truncated(name, dims, total, -1);
    }
    return values;
  }

  /**
   * For streams of unknown length: the buffer doubles as data arrives, so memory follows the real
   * data.
   */
  private static byte[] readGrowing(DataInputStream in, String name, int[] dims, int total)
      throws IOException {
    byte[] buf = new byte[Math.min(total, 1 << 16)];
    int have = 0;
    while (have < total) {
      if (have == buf.length) buf = Arrays.copyOf(buf, (int) Math.min(total, 2L * buf.length));
      int r = in.read(buf, have, buf.length - have);
      if (r < 0) throw truncated(name, dims, total, have);
      have += r;
    }
    return buf;
  }

  private static IdxException truncated(String name, int[] dims, long total, long have) {
    return new IdxException(
        name
            + ": truncated IDX data: the header "
            + Arrays.toString(dims)
            + " announces "
            + total
            + " bytes"
            + (have >= 0 ? " but the data ends after " + have : ""));
  }
}
