package dev.autograd.nn.io;

import dev.autograd.core.DType;
import dev.autograd.core.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Reads one tensor of a validated header with positioned reads of at most {@link #CHUNK} bytes,
 * decoding straight into the tensor's array: memory is the tensor itself plus one chunk, and only
 * for tensors that are asked for.
 */
final class SafetensorsReader {
  private SafetensorsReader() {}

  static final int CHUNK = 1 << 20;

  /** The most elements one tensor (one Java array) can hold. */
  static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

  /** The most dimensions a tensor read here may have (PyTorch's limit too). */
  static final int MAX_DIMS = 64;

  /**
   * Throws when {@code e} cannot become a tensor here (dtype we lack, too many dimensions or
   * elements).
   */
  static int[] checkReadable(Path file, SafetensorsHeader.Entry e) throws SafetensorsException {
    if (e.dtype().dtype == null) {
      throw SafetensorsHeader.fail(
          file,
          e.name(),
          "unsupported dtype " + e.dtype() + " (supported: " + StDtype.SUPPORTED + ")");
    }
    if (e.shape().length > MAX_DIMS) {
      throw SafetensorsHeader.fail(
          file,
          e.name(),
          "shape has "
              + e.shape().length
              + " dimensions, more than the "
              + MAX_DIMS
              + " a tensor may have");
    }
    int[] shape = new int[e.shape().length];
    long n = 1;
    for (int k = 0; k < shape.length; k++) {
      long d = e.shape()[k];
      n *= d; // cannot overflow: the header checked dtype bytes x shape in long
      if (d > MAX_ELEMENTS || n > MAX_ELEMENTS) {
        throw SafetensorsHeader.fail(
            file,
            e.name(),
            "shape "
                + e.shapeText()
                + " has too many elements for one tensor (at most "
                + MAX_ELEMENTS
                + ")");
      }
      shape[k] = (int) d;
    }
    long heap = Runtime.getRuntime().maxMemory();
    if (e.bytes() > heap / 2) { // the decoded array, then the tensor's own copy
      throw SafetensorsHeader.fail(
          file,
          e.name(),
          "needs twice its "
              + e.bytes()
              + " bytes while loading but the heap is limited to "
              + heap
              + " bytes (raise -Xmx)");
    }
    return shape;
  }

  static Tensor read(Path file, FileChannel ch, SafetensorsHeader h, SafetensorsHeader.Entry e)
      throws IOException {
    int[] shape = checkReadable(file, e);
    DType dtype = e.dtype().dtype;
    int n = (int) (e.bytes() / dtype.byteSize());
    try {
      return wrap(dtype, fill(file, ch, h, e, allocate(dtype, n)), shape);
    } catch (OutOfMemoryError oom) {
      throw SafetensorsHeader.fail(
          file, e.name(), "not enough heap for twice its " + e.bytes() + " bytes (raise -Xmx)");
    }
  }

  private static Object fill(
      Path file, FileChannel ch, SafetensorsHeader h, SafetensorsHeader.Entry e, Object array)
      throws IOException {
    DType dtype = e.dtype().dtype;
    int n = (int) (e.bytes() / dtype.byteSize());
    ByteBuffer chunk =
        ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(e.bytes(), 8)))
            .order(ByteOrder.LITTLE_ENDIAN);
    long pos = h.dataStart + e.begin();
    int done = 0;
    while (done < n) {
      int count = Math.min(n - done, chunk.capacity() / dtype.byteSize());
      chunk.clear().limit(count * dtype.byteSize());
      SafetensorsHeader.readFully(file, ch, chunk, pos);
      pos += chunk.limit();
      decode(dtype, chunk, array, done, count);
      done += count;
    }
    return array;
  }

  private static Object allocate(DType dtype, int n) {
    switch (dtype) {
      case FLOAT32:
        return new float[n];
      case FLOAT64:
        return new double[n];
      case INT64:
        return new long[n];
      default:
        return new boolean[n];
    }
  }

  private static void decode(DType dtype, ByteBuffer b, Object array, int at, int count) {
    switch (dtype) {
      case FLOAT32:
        b.asFloatBuffer().get((float[]) array, at, count);
        break;
      case FLOAT64:
        b.asDoubleBuffer().get((double[]) array, at, count);
        break;
      case INT64:
        b.asLongBuffer().get((long[]) array, at, count);
        break;
      default:
        boolean[] v = (boolean[]) array;
        for (int k = 0; k < count; k++) v[at + k] = b.get(k) != 0;
    }
  }

  private static Tensor wrap(DType dtype, Object array, int[] shape) {
    Tensor t;
    switch (dtype) {
      case FLOAT32:
        t = Tensor.of((float[]) array, shape);
        break;
      case FLOAT64:
        t = Tensor.of((double[]) array, shape);
        break;
      case INT64:
        t = Tensor.of((long[]) array, shape);
        break;
      default:
        t = Tensor.of((boolean[]) array, shape);
    }
    return shape.length == 0 ? t.reshape() : t; // Tensor.of without a shape is 1-D
  }
}
