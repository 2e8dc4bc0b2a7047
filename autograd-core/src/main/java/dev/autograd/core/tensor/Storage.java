package dev.autograd.core.tensor;

import dev.autograd.core.DType;

/**
 * A flat primitive array shared by a tensor and all its views, plus the version counter that
 * in-place writes bump (so saved tensors can detect that they were modified).
 *
 * <p>Exactly one of the arrays is non-null, chosen by {@link #dtype()}: {@code float[]} for
 * FLOAT32, {@code double[]} for FLOAT64, {@code long[]} for INT64 and {@code boolean[]} for BOOL.
 */
public final class Storage {
  private final DType dtype;
  private final float[] floats;
  private final double[] doubles;
  private final long[] longs;
  private final boolean[] bools;
  private volatile int version;

  private Storage(DType dtype, float[] f, double[] d, long[] l, boolean[] b) {
    this.dtype = dtype;
    this.floats = f;
    this.doubles = d;
    this.longs = l;
    this.bools = b;
  }

  public static Storage of(float[] data) {
    return new Storage(DType.FLOAT32, data, null, null, null);
  }

  public static Storage of(double[] data) {
    return new Storage(DType.FLOAT64, null, data, null, null);
  }

  public static Storage of(long[] data) {
    return new Storage(DType.INT64, null, null, data, null);
  }

  public static Storage of(boolean[] data) {
    return new Storage(DType.BOOL, null, null, null, data);
  }

  /** A zero-filled storage of {@code n} elements. */
  public static Storage allocate(DType dtype, int n) {
    switch (dtype) {
      case FLOAT32:
        return of(new float[n]);
      case FLOAT64:
        return of(new double[n]);
      case INT64:
        return of(new long[n]);
      default:
        return of(new boolean[n]);
    }
  }

  public DType dtype() {
    return dtype;
  }

  public int length() {
    switch (dtype) {
      case FLOAT32:
        return floats.length;
      case FLOAT64:
        return doubles.length;
      case INT64:
        return longs.length;
      default:
        return bools.length;
    }
  }

  public float[] floats() {
    return floats;
  }

  public double[] doubles() {
    return doubles;
  }

  public long[] longs() {
    return longs;
  }

  public boolean[] bools() {
    return bools;
  }

  /** Element {@code i} as a double (BOOL reads as 0 or 1). */
  public double get(int i) {
    switch (dtype) {
      case FLOAT32:
        return floats[i];
      case FLOAT64:
        return doubles[i];
      case INT64:
        return longs[i];
      default:
        return bools[i] ? 1 : 0;
    }
  }

  /** Writes element {@code i}, converting from double (BOOL is true for any non-zero value). */
  public void set(int i, double v) {
    switch (dtype) {
      case FLOAT32:
        floats[i] = (float) v;
        break;
      case FLOAT64:
        doubles[i] = v;
        break;
      case INT64:
        longs[i] = (long) v;
        break;
      default:
        bools[i] = v != 0;
    }
  }

  /** Copies {@code n} elements from {@code this[from..]} to {@code dst[to..]}; both of this dtype. */
  public void copyTo(int from, Storage dst, int to, int n) {
    switch (dtype) {
      case FLOAT32:
        System.arraycopy(floats, from, dst.floats, to, n);
        break;
      case FLOAT64:
        System.arraycopy(doubles, from, dst.doubles, to, n);
        break;
      case INT64:
        System.arraycopy(longs, from, dst.longs, to, n);
        break;
      default:
        System.arraycopy(bools, from, dst.bools, to, n);
    }
  }

  /** The number of in-place writes so far; shared by every view of this storage. */
  public int version() {
    return version;
  }

  /** Records one in-place write (PyTorch's version counter). */
  public void bumpVersion() {
    version++;
  }
}
