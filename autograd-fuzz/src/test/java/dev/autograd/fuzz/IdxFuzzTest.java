package dev.autograd.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.autograd.nn.data.Idx;
import dev.autograd.nn.data.IdxException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

/**
 * Any bytes as an IDX file. The first input byte picks the expected rank (1..4) and whether the
 * rest is written gzip-compressed (so the mutations reach the IDX parser through both the plain and
 * the gzip path). Only {@link IdxException} may come out, its message starting with the file's
 * name; a successful read holds exactly the product of its dimensions, no more bytes than the file;
 * nothing allocates in proportion to a declared size the file does not have. Seeds: {@code
 * src/test/resources/dev/autograd/fuzz/IdxFuzzTestInputs/read/}.
 */
class IdxFuzzTest {
  private static final Path PLAIN = Fuzz.scratch("input-idx-ubyte");
  private static final Path GZIP = Fuzz.scratch("input-idx-ubyte.gz");

  @FuzzTest(maxDuration = Fuzz.DURATION)
  void read(byte[] data) {
    if (data.length == 0) return;
    int rank = 1 + (data[0] & 3);
    boolean gzip = (data[0] & 4) != 0;
    byte[] idx = Arrays.copyOfRange(data, 1, data.length);
    Path f = gzip ? GZIP : PLAIN;
    Fuzz.write(f, gzip ? gzip(idx) : idx);
    Fuzz.withinAllocationBudget(
        data.length,
        () -> {
          Throwable t =
              Fuzz.expect(
                  () -> {
                    Idx.Data d = Idx.read(f, rank);
                    long n = 1;
                    for (int k : d.dims()) n *= k;
                    if (d.dims().length != rank || n != d.values().length || n > idx.length) {
                      throw new AssertionError(
                          "dims "
                              + Arrays.toString(d.dims())
                              + " but "
                              + d.values().length
                              + " values from "
                              + idx.length
                              + " bytes");
                    }
                  },
                  IdxException.class);
          if (t != null && !t.getMessage().startsWith(f.toString()))
            throw new AssertionError("message does not start with the file: " + t.getMessage(), t);
        });
  }

  private static byte[] gzip(byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
