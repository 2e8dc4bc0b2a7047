package dev.autograd.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.core.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
  @TempDir Path dir;

  /** An IDX file: magic 0x000008RR, the dims, then {@code data}. */
  private static byte[] idx(int magic, int[] dims, byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(magic);
    for (int d : dims) out.writeInt(d);
    out.write(data);
    return bytes.toByteArray();
  }

  private Path write(String name, byte[] content, boolean gzip) throws IOException {
    Path p = dir.resolve(name);
    try (OutputStream out =
        gzip ? new GZIPOutputStream(Files.newOutputStream(p)) : Files.newOutputStream(p)) {
      out.write(content);
    }
    return p;
  }

  private static byte[] range(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) b[i] = (byte) (i * 37);
    return b;
  }

  @Test
  void readsPlainAndGzipFilesAlike() throws IOException {
    byte[] content = idx(0x00000803, new int[] {2, 3, 4}, range(24));
    for (boolean gz : new boolean[] {false, true}) {
      Idx.Data d = Idx.read(write(gz ? "a.gz" : "a", content, gz), 3);
      assertArrayEquals(new int[] {2, 3, 4}, d.dims());
      for (int i = 0; i < 24; i++) assertEquals((i * 37) & 0xFF, d.get(i), "element " + i);
      assertEquals(
          255,
          Idx.read(write("b", idx(0x00000801, new int[] {1}, new byte[] {(byte) 0xFF}), gz), 1)
              .get(0));
    }
  }

  @Test
  void rejectsBadMagicRankAndLengthsWithTheFileName() throws IOException {
    Path notIdx =
        write(
            "not-idx",
            "hello world, this is text".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
            false);
    IOException e = assertThrows(IOException.class, () -> Idx.read(notIdx, 3));
    assertTrue(
        e.getMessage().contains("not-idx") && e.getMessage().contains("magic"), e.getMessage());

    Path labels = write("labels", idx(0x00000801, new int[] {3}, range(3)), false);
    e = assertThrows(IOException.class, () -> Idx.read(labels, 3));
    assertTrue(
        e.getMessage().contains("expected an IDX file of rank 3")
            && e.getMessage().contains("got rank 1"),
        e.getMessage());

    Path ints = write("ints", idx(0x00000C01, new int[] {1}, new byte[4]), false);
    e = assertThrows(IOException.class, () -> Idx.read(ints, 1));
    assertTrue(e.getMessage().contains("unsupported IDX data type 0xc"), e.getMessage());

    Path truncated = write("short.gz", idx(0x00000803, new int[] {2, 2, 2}, range(7)), true);
    e = assertThrows(IOException.class, () -> Idx.read(truncated, 3));
    assertTrue(
        e.getMessage().contains("truncated IDX data") && e.getMessage().contains("8 bytes"),
        e.getMessage());

    Path header = write("header", new byte[] {0, 0, 8, 3, 0, 0}, false);
    e = assertThrows(IOException.class, () -> Idx.read(header, 3));
    assertTrue(e.getMessage().contains("truncated IDX header"), e.getMessage());

    Path trailing = write("long", idx(0x00000801, new int[] {2}, range(3)), false);
    e = assertThrows(IOException.class, () -> Idx.read(trailing, 1));
    assertTrue(e.getMessage().contains("trailing bytes"), e.getMessage());

    assertThrows(
        java.nio.file.NoSuchFileException.class, () -> Idx.read(dir.resolve("missing"), 1));
  }

  @Test
  void fashionMnistLoadsScaledImagesAndLabelsFromADirectory() throws IOException {
    byte[] pixels = new byte[3 * 2 * 2];
    pixels[0] = (byte) 255;
    pixels[5] = (byte) 51;
    for (String part : new String[] {"train", "t10k"}) {
      write(part + "-images-idx3-ubyte.gz", idx(0x00000803, new int[] {3, 2, 2}, pixels), true);
      write(
          part + "-labels-idx1-ubyte", idx(0x00000801, new int[] {3}, new byte[] {9, 0, 4}), false);
    }
    assertTrue(FashionMnist.isInstalled(dir));
    TensorDataset train = FashionMnist.load(dir, true, 2);
    Tensor[] t = train.tensors();
    assertArrayEquals(new int[] {2, 1, 2, 2}, t[0].shape());
    assertArrayEquals(new float[] {1f, 0, 0, 0, 0, 0.2f, 0, 0}, t[0].toFloatArray(), 1e-6f);
    assertArrayEquals(new long[] {9, 0}, t[1].toLongArray());
    assertEquals(3, FashionMnist.load(dir, false, Integer.MAX_VALUE).size());
  }

  @Test
  void fashionMnistSaysHowToInstallItWhenMissingAndRejectsMismatchedFiles() throws IOException {
    assertFalse(FashionMnist.isInstalled(dir));
    FashionMnist.NotInstalledException e =
        assertThrows(
            FashionMnist.NotInstalledException.class, () -> FashionMnist.load(dir, true, 10));
    assertTrue(
        e.getMessage().contains("sudo apt-get install dataset-fashion-mnist"), e.getMessage());
    assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());

    write("train-images-idx3-ubyte", idx(0x00000803, new int[] {2, 1, 1}, range(2)), false);
    write("train-labels-idx1-ubyte", idx(0x00000801, new int[] {3}, new byte[] {1, 2, 3}), false);
    UncheckedIOException m =
        assertThrows(UncheckedIOException.class, () -> FashionMnist.load(dir, true, 10));
    assertTrue(
        m.getMessage().contains("holds 2 images but") && m.getMessage().contains("3 labels"),
        m.getMessage());
  }
}
