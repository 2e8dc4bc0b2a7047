package dev.autograd.core.ops;

import dev.autograd.core.DType;
import dev.autograd.core.Generator;
import dev.autograd.core.Tensor;
import dev.autograd.core.compile.Tracer;
import dev.autograd.core.internal.Tensors;
import dev.autograd.core.tensor.Shapes;
import dev.autograd.core.tensor.Storage;
import dev.autograd.core.tensor.StridedLoop;

/** Factories (zeros, rand, arange, ...) and reading a tensor's values out in row-major order. */
public final class Creation {
  private Creation() {}

  /** A tensor over {@code storage} of {@code n} elements; no shape means 1-D. */
  public static Tensor of(Storage storage, int n, int[] shape) {
    int[] s = shape.length == 0 ? new int[] {n} : shape;
    if (Shapes.numel(s) != n) {
      throw new IllegalArgumentException(
          "shape " + Shapes.str(s) + " is invalid for input of size " + n);
    }
    return Tensors.fromStorage(storage, s);
  }

  public static Tensor of(float[][] rows) {
    int cols = rows.length == 0 ? 0 : rows[0].length;
    float[] data = new float[rows.length * cols];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != cols) throw ragged(i, rows[i].length, cols);
      System.arraycopy(rows[i], 0, data, i * cols, cols);
    }
    return Tensors.fromStorage(Storage.of(data), rows.length, cols);
  }

  public static Tensor of(double[][] rows) {
    int cols = rows.length == 0 ? 0 : rows[0].length;
    double[] data = new double[rows.length * cols];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != cols) throw ragged(i, rows[i].length, cols);
      System.arraycopy(rows[i], 0, data, i * cols, cols);
    }
    return Tensors.fromStorage(Storage.of(data), rows.length, cols);
  }

  private static IllegalArgumentException ragged(int row, int len, int cols) {
    return new IllegalArgumentException(
        "expected sequence of length "
            + cols
            + " at row "
            + row
            + " (got "
            + len
            + "): rows must have equal lengths");
  }

  public static Tensor full(int[] shape, double value, DType dtype) {
    Tensor t = zeros(dtype, shape);
    if (value != 0) fill(Tensors.storage(t), value);
    return t;
  }

  /** Sets every element of a contiguous {@code t} to {@code value}. */
  static void fill(Tensor t, double value) {
    Storage s = Tensors.storage(t);
    int from = t.storageOffset(), to = from + t.numel();
    switch (s.dtype()) {
      case FLOAT32:
        java.util.Arrays.fill(s.floats(), from, to, (float) value);
        break;
      case FLOAT64:
        java.util.Arrays.fill(s.doubles(), from, to, value);
        break;
      case INT64:
        java.util.Arrays.fill(s.longs(), from, to, (long) value);
        break;
      default:
        java.util.Arrays.fill(s.bools(), from, to, value != 0);
    }
  }

  private static void fill(Storage s, double value) {
    switch (s.dtype()) {
      case FLOAT32:
        java.util.Arrays.fill(s.floats(), (float) value);
        break;
      case FLOAT64:
        java.util.Arrays.fill(s.doubles(), value);
        break;
      case INT64:
        java.util.Arrays.fill(s.longs(), (long) value);
        break;
      default:
        java.util.Arrays.fill(s.bools(), value != 0);
    }
  }

  private static Tensor fromDoubles(double[] values, int[] shape, DType dtype) {
    requireFloating(dtype, "random sampling");
    if (dtype == DType.FLOAT64) return Tensors.fromStorage(Storage.of(values), shape);
    float[] f = new float[values.length];
    for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
    return Tensors.fromStorage(Storage.of(f), shape);
  }

  public static Tensor rand(int[] shape, DType dtype, Generator gen) {
    return uniform(shape, dtype, 0, 1, gen);
  }

  public static Tensor uniform(int[] shape, DType dtype, double from, double to, Generator gen) {
    double[] v = new double[Shapes.numel(shape)];
    gen.fillUniform(v);
    for (int i = 0; i < v.length; i++) v[i] = from + (to - from) * v[i];
    return fromDoubles(v, shape.clone(), dtype);
  }

  public static Tensor randn(int[] shape, DType dtype, Generator gen) {
    double[] v = new double[Shapes.numel(shape)];
    gen.fillGaussian(v);
    return fromDoubles(v, shape.clone(), dtype);
  }

  public static Tensor randint(long low, long high, int[] shape, Generator gen) {
    if (high <= low)
      throw new IllegalArgumentException(
          "randint: expected low < high, got low=" + low + ", high=" + high);
    long[] v = new long[Shapes.numel(shape)];
    for (int i = 0; i < v.length; i++) v[i] = low + gen.nextLong(high - low);
    return Tensors.fromStorage(Storage.of(v), shape.clone());
  }

  public static Tensor arange(double start, double end, double step, DType dtype) {
    if (step == 0) throw new IllegalArgumentException("arange: step must be nonzero");
    if (!Double.isFinite(start) || !Double.isFinite(end) || !Double.isFinite(step)) {
      throw new IllegalArgumentException(
          "arange: unsupported range: "
              + start
              + " -> "
              + end
              + " with step "
              + step
              + " (bounds and step must be finite)");
    }
    if ((end - start) / step < 0) {
      throw new IllegalArgumentException(
          "arange: upper bound and larger bound inconsistent with step sign");
    }
    double count = Math.ceil((end - start) / step);
    if (count > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "arange: "
              + start
              + " to "
              + end
              + " with step "
              + step
              + " has "
              + String.format("%.0f", count)
              + " elements, more than a tensor can hold (2^31 - 9, a JVM array)");
    }
    int n = (int) count;
    Tensor t = zeros(dtype, n);
    for (int i = 0; i < n; i++) Tensors.storage(t).set(i, start + i * step);
    return t;
  }

  public static Tensor linspace(double start, double end, int steps, DType dtype) {
    if (steps < 0)
      throw new IllegalArgumentException(
          "linspace: number of steps must be non-negative, got " + steps);
    Tensor t = zeros(dtype, steps);
    if (steps == 1) { // PyTorch: [start]
      Tensors.storage(t).set(0, start);
      return t;
    }
    double step = steps > 1 ? (end - start) / (steps - 1) : 0;
    // like PyTorch, the second half counts back from the end so that the last value is exact
    int half = steps / 2;
    for (int i = 0; i < steps; i++)
      Tensors.storage(t).set(i, i < half ? start + i * step : end - (steps - 1 - i) * step);
    return t;
  }

  public static Tensor eye(int n, int m, DType dtype) {
    Tensor t = zeros(dtype, n, m);
    for (int i = 0; i < Math.min(n, m); i++) Tensors.storage(t).set(i * m + i, 1);
    return t;
  }

  static void requireFloating(DType dtype, String what) {
    if (!dtype.isFloatingPoint()) {
      throw new IllegalArgumentException(
          what + " needs a floating-point dtype, got " + dtype.torchName());
    }
  }

  /** Storage index of the element at {@code index}, with bounds checks. */
  public static int flatOffset(Tensor t, int[] index) {
    int[] shape = t.shapeRef();
    if (index.length != shape.length) {
      throw new IllegalArgumentException(
          "expected "
              + shape.length
              + " indices for a tensor of shape "
              + Shapes.str(shape)
              + ", got "
              + index.length);
    }
    int off = t.storageOffset();
    for (int d = 0; d < shape.length; d++) {
      int i = index[d] < 0 ? index[d] + shape[d] : index[d];
      if (i < 0 || i >= shape[d]) {
        throw new IndexOutOfBoundsException(
            "index "
                + index[d]
                + " is out of bounds for dimension "
                + d
                + " with size "
                + shape[d]);
      }
      off += i * t.strideRef()[d];
    }
    return off;
  }

  /** Walks {@code t} in row-major order, calling {@code visit} with each storage index. */
  static void forEachIndex(Tensor t, java.util.function.IntConsumer visit) {
    StridedLoop.forEachRow(
        t.shapeRef(),
        new int[][] {t.strideRef()},
        new int[] {t.storageOffset()},
        (off, inner, n) -> {
          for (int i = 0, o = off[0]; i < n; i++, o += inner[0]) visit.accept(o);
        });
  }

  public static float[] toFloatArray(Tensor t) {
    if (Tracer.active) Tracer.read(t, "toFloatArray()");
    float[] out = new float[t.numel()];
    Storage s = Tensors.storage(t);
    int[] k = {0};
    if (s.dtype() == DType.FLOAT32) {
      float[] src = s.floats();
      forEachIndex(t, o -> out[k[0]++] = src[o]);
    } else {
      forEachIndex(t, o -> out[k[0]++] = (float) s.get(o));
    }
    return out;
  }

  public static double[] toDoubleArray(Tensor t) {
    if (Tracer.active) Tracer.read(t, "toDoubleArray()");
    double[] out = new double[t.numel()];
    Storage s = Tensors.storage(t);
    int[] k = {0};
    forEachIndex(t, o -> out[k[0]++] = s.get(o));
    return out;
  }

  public static long[] toLongArray(Tensor t) {
    if (Tracer.active) Tracer.read(t, "toLongArray()");
    return longs(t);
  }

  /**
   * Index values read for an argument check whose kernel checks them again: a compiled replay,
   * which skips this read, stays checked (so the read is not reported to a trace).
   */
  static long[] indexValuesForCheck(Tensor t) {
    return longs(t);
  }

  private static long[] longs(Tensor t) {
    long[] out = new long[t.numel()];
    Storage s = Tensors.storage(t);
    int[] k = {0};
    if (s.dtype() == DType.INT64) {
      long[] src = s.longs();
      forEachIndex(t, o -> out[k[0]++] = src[o]);
    } else {
      forEachIndex(t, o -> out[k[0]++] = (long) s.get(o));
    }
    return out;
  }

  public static boolean[] toBooleanArray(Tensor t) {
    if (Tracer.active) Tracer.read(t, "toBooleanArray()");
    boolean[] out = new boolean[t.numel()];
    Storage s = Tensors.storage(t);
    int[] k = {0};
    forEachIndex(t, o -> out[k[0]++] = s.get(o) != 0);
    return out;
  }

  /** Copies {@code src}'s values into {@code dst} (same shape; any strides; converting dtype). */
  public static void copyValues(Tensor src, Tensor dst) {
    Storage s = Tensors.storage(src);
    Storage d = Tensors.storage(dst);
    if (s.dtype() == d.dtype()
        && src.isContiguous()
        && dst.isContiguous()
        && java.util.Arrays.equals(src.shapeRef(), dst.shapeRef())) { // one flat copy
      s.copyTo(src.storageOffset(), d, dst.storageOffset(), dst.numel());
      return;
    }
    int[][] strides = {src.strideRef(), dst.strideRef()};
    int[] offs = {src.storageOffset(), dst.storageOffset()};
    if (s.dtype() == DType.FLOAT32 && d.dtype() == DType.FLOAT32) {
      float[] a = s.floats(), b = d.floats();
      StridedLoop.forEachRow(
          dst.shapeRef(),
          strides,
          offs,
          (o, in, n) -> {
            if (in[0] == 1 && in[1] == 1) System.arraycopy(a, o[0], b, o[1], n);
            else for (int i = 0; i < n; i++) b[o[1] + i * in[1]] = a[o[0] + i * in[0]];
          });
    } else if (s.dtype() == DType.FLOAT64 && d.dtype() == DType.FLOAT64) {
      double[] a = s.doubles(), b = d.doubles();
      StridedLoop.forEachRow(
          dst.shapeRef(),
          strides,
          offs,
          (o, in, n) -> {
            if (in[0] == 1 && in[1] == 1) System.arraycopy(a, o[0], b, o[1], n);
            else for (int i = 0; i < n; i++) b[o[1] + i * in[1]] = a[o[0] + i * in[0]];
          });
    } else {
      StridedLoop.forEachRow(
          dst.shapeRef(),
          strides,
          offs,
          (o, in, n) -> {
            for (int i = 0; i < n; i++) d.set(o[1] + i * in[1], s.get(o[0] + i * in[0]));
          });
    }
  }

  /**
   * A new contiguous tensor whose values are unspecified (a large one may reuse a recycled array):
   * only for outputs that the caller overwrites completely.
   */
  public static Tensor uninitialized(DType dtype, int[] shape) {
    if (shape.length == 0) return zeros(dtype, shape);
    return Tensors.fromStorage(Storage.allocateUninitialized(dtype, Shapes.numel(shape)), shape);
  }

  /** A new zero-filled contiguous tensor (fresh JVM arrays are zeroed). */
  public static Tensor zeros(DType dtype, int... shape) {
    return Tensors.fromStorage(Storage.allocate(dtype, Shapes.numel(shape)), shape);
  }

  /** A new contiguous tensor with {@code src}'s values in {@code dtype}; no history. */
  public static Tensor copyOf(Tensor src, DType dtype) {
    Tensor out = uninitialized(dtype, src.shapeRef());
    copyValues(src, out);
    return out;
  }
}
