package dev.autograd.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile IDX headers of issue 15: sizes in long, checked against the file before allocating,
 * the file named.
 */
class IdxHostileTest {
  @TempDir Path dir;

  /** Magic 0x000008RR, the dims (big-endian), then {@code data}. */
  private static byte[] idx(int rank, int[] dims, int dataBytes) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + dataBytes);
    b.putInt(0x800 | rank);
    for (int d : dims) b.putInt(d);
    return b.array();
  }

  private Path write(String name, byte[] content) throws IOException {
    return Files.write(dir.resolve(name), content);
  }

  private static byte[] gzip(byte[] content) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(content);
    }
    return out.toByteArray();
  }

  /**
   * Reads {@code f}, expects an IdxException naming the file and saying each fragment, allocating
   * under 1 MB.
   */
  private static void rejected(Path f, int rank, String... fragments) throws IOException {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId(), before = mx.getThreadAllocatedBytes(id);
    IdxException e = assertThrows(IdxException.class, () -> Idx.read(f, rank));
    long allocated = mx.getThreadAllocatedBytes(id) - before;
    assertTrue(e.getMessage().startsWith(f.toString()), "names the file first: " + e.getMessage());
    for (String s : fragments)
      assertTrue(e.getMessage().contains(s), "expected '" + s + "' in: " + e.getMessage());
    assertTrue(
        allocated < 1 << 20,
        "allocated " + allocated + " bytes for " + Files.size(f) + " bytes of file");
  }

  @Test
  void dimensionProductsAreLongAndCheckedForOverflow() throws IOException {
    // 7fffffff x 7fffffff x 3 with 3 bytes of data: the product overflows even a long
    rejected(
        write("overflow", idx(3, new int[] {0x7fffffff, 0x7fffffff, 3}, 3)),
        3,
        "multiply to more than 2^63",
        "[2147483647, 2147483647, 3]");
    // 7fffffff x 7fffffff fits a long but no array
    rejected(
        write("too-big", idx(2, new int[] {0x7fffffff, 0x7fffffff}, 3)),
        2,
        "4611686014132420609 bytes",
        "more than one array holds");
    rejected(write("negative", idx(1, new int[] {-1}, 0)), 1, "negative dimension -1");
  }

  @Test
  void aTwelveByteFileAllocatesNothingLarge() throws IOException {
    // rank 1, 2,147,483,632 labels announced, 4 present: was a 2 GB allocation
    Path f = write("twelve", idx(1, new int[] {0x7ffffff0}, 4));
    assertEquals(12, Files.size(f));
    rejected(f, 1, "announces 2147483632 bytes of data but the file holds 4", "truncated");
    rejected(write("header-only", idx(3, new int[] {10, 28, 28}, 0)), 3, "holds 0", "truncated");
    rejected(write("long", idx(1, new int[] {2}, 3)), 1, "trailing bytes");
    rejected(
        write("short-header", Arrays.copyOf(idx(3, new int[] {1, 1, 1}, 0), 10)),
        3,
        "truncated IDX header");
    rejected(write("empty", new byte[0]), 1, "shorter than its 4-byte magic number");
  }

  @Test
  void gzipFilesGrowWithTheRealDataAndNameTheFileOnCorruption() throws IOException {
    rejected(
        write("big.gz", gzip(idx(1, new int[] {0x7ffffff0}, 4))),
        1,
        "truncated IDX data",
        "announces 2147483632 bytes",
        "ends after 4");
    byte[] good = gzip(idx(3, new int[] {2, 2, 2}, 8));
    Idx.Data d = Idx.read(write("good.gz", good), 3);
    assertArrayEquals(new int[] {2, 2, 2}, d.dims());
    rejected(write("cut.gz", Arrays.copyOf(good, good.length - 12)), 3, "truncated");
    byte[] flipped = good.clone();
    flipped[12] ^= 0x55;
    flipped[13] ^= 0x55;
    assertThrows(IOException.class, () -> Idx.read(write("flipped.gz", flipped), 3));
    rejected(write("flipped.gz", flipped), 3);
    rejected(
        write("not-gzip.gz", new byte[] {0x1f, (byte) 0x8b, 1, 2, 3}),
        1,
        "cannot read the IDX file");
  }

  @Test
  void streamsNameTheirSourceAndArgumentsAreChecked() {
    IdxException e =
        assertThrows(
            IdxException.class,
            () ->
                Idx.read(
                    new ByteArrayInputStream(idx(1, new int[] {0x7ffffff0}, 4)),
                    "labels-stream",
                    1));
    assertTrue(e.getMessage().startsWith("labels-stream: truncated IDX data"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Idx.read(dir.resolve("x"), 0));
    assertThrows(NullPointerException.class, () -> Idx.read((Path) null, 1));
    IllegalArgumentException limit =
        assertThrows(IllegalArgumentException.class, () -> FashionMnist.load(dir, true, -1));
    assertTrue(limit.getMessage().contains("limit must be >= 0"), limit.getMessage());
  }

  @Test
  void zeroSizedDimensionsAreValid() throws IOException {
    Idx.Data d = Idx.read(write("none", idx(3, new int[] {0x7fffffff, 0x7fffffff, 0}, 0)), 3);
    assertEquals(0, d.values().length);
    assertThrows(IndexOutOfBoundsException.class, () -> d.get(0));
  }
}
