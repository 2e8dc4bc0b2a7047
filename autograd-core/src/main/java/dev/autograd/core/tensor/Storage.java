package dev.autograd.core.tensor;

import dev.autograd.core.DType;
import dev.autograd.core.internal.SharedSecrets;
import dev.autograd.core.internal.StorageAccess;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A flat primitive array shared by a tensor and all its views, plus the version counter that
 * in-place writes bump (so saved tensors can detect that they were modified).
 *
 * <p>Exactly one of the arrays is non-null, chosen by {@link #dtype()}: {@code float[]} for
 * FLOAT32, {@code double[]} for FLOAT64, {@code long[]} for INT64 and {@code boolean[]} for BOOL.
 */
public final class Storage {
  static {
    SharedSecrets.setStorageAccess(new EngineHooks());
  }

  /**
   * Floating arrays of at least this many elements are numbered and may be reused ({@link
   * ArrayPool}); {@code -Dautograd.pooledMin=1} (a test setting) extends that to every size.
   */
  public static final int POOLED_MIN = Math.max(1, Integer.getInteger("autograd.pooledMin", 4096));

  private static final AtomicLong SERIALS = new AtomicLong();

  private final DType dtype;

  /**
   * The array of the dtype's element type (float[], double[], long[] or boolean[]); null once
   * recycled. One field for all four keeps a storage 8 bytes smaller (a 0-dim tensor's storage is
   * most of its memory).
   */
  private Object data;

  private volatile int version;
  // atomic increments: in-place writes from several threads must not lose a bump (a lost bump would
  // let backward read a saved tensor that was overwritten)
  private static final java.util.concurrent.atomic.AtomicIntegerFieldUpdater<Storage> VERSION =
      java.util.concurrent.atomic.AtomicIntegerFieldUpdater.newUpdater(Storage.class, "version");

  /** Creation number of a large floating array made here (0 for small or wrapped arrays). */
  private final long serial;

  private boolean recycled;

  /** Its array is another storage's too ({@link StorageAccess#share}): never recycled. */
  private boolean shared;

  private Storage(DType dtype, float[] f, double[] d, long[] l, boolean[] b, boolean numbered) {
    this.dtype = dtype;
    this.data = f != null ? f : d != null ? d : l != null ? (Object) l : b;
    this.serial = numbered ? SERIALS.incrementAndGet() : 0;
  }

  private Storage(DType dtype, float[] f, double[] d, long[] l, boolean[] b) {
    this(dtype, f, d, l, b, false);
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
    try {
      switch (dtype) {
        case FLOAT32:
          return new Storage(DType.FLOAT32, new float[n], null, null, null, n >= POOLED_MIN);
        case FLOAT64:
          return new Storage(DType.FLOAT64, null, new double[n], null, null, n >= POOLED_MIN);
        case INT64:
          return of(new long[n]);
        default:
          return of(new boolean[n]);
      }
    } catch (OutOfMemoryError e) {
      throw tooLarge(dtype, n, e);
    }
  }

  // the JVM says only "Java heap space": name the request and the fix
  static OutOfMemoryError tooLarge(DType dtype, int n, OutOfMemoryError cause) {
    long bytes =
        (long) n
            * (dtype == DType.FLOAT64 || dtype == DType.INT64 ? 8 : dtype == DType.FLOAT32 ? 4 : 1);
    Runtime rt = Runtime.getRuntime();
    OutOfMemoryError e =
        new OutOfMemoryError(
            "cannot allocate a "
                + dtype
                + " tensor of "
                + n
                + " elements ("
                + bytes / (1 << 20)
                + " MiB): the JVM heap ("
                + rt.maxMemory() / (1 << 20)
                + " MiB max) is full; free tensors you no longer need or start java with a larger -Xmx");
    e.initCause(cause);
    return e;
  }

  /**
   * A storage of {@code n} elements whose values are unspecified: a large floating array may be one
   * that {@link StorageAccess#recycle} gave back, still warm in cache and not zeroed again. Only
   * for outputs that the caller overwrites completely.
   */
  public static Storage allocateUninitialized(DType dtype, int n) {
    if (n >= POOLED_MIN) {
      if (dtype == DType.FLOAT32) {
        float[] f = ArrayPool.takeFloats(n);
        if (f == null) return allocate(dtype, n);
        return new Storage(dtype, f, null, null, null, true);
      }
      if (dtype == DType.FLOAT64) {
        double[] d = ArrayPool.takeDoubles(n);
        if (d == null) return allocate(dtype, n);
        return new Storage(dtype, null, d, null, null, true);
      }
    }
    return allocate(dtype, n);
  }

  /**
   * The creation number of a large floating array allocated by this class (numbers grow with time),
   * or 0. The engine uses it to tell a gradient that a derivative has just made, and that nothing
   * else can hold, from one that existed before.
   */
  public long serial() {
    return serial;
  }

  /**
   * The number given to the latest large array: storages numbered later were made after this call.
   */
  public static long lastSerial() {
    return SERIALS.get();
  }

  /**
   * Hands a large floating array back for reuse by {@link #allocateUninitialized}. Only for a
   * storage that nothing can read again (a gradient the engine made and consumed); any later access
   * fails loudly instead of reading reused memory. The engine reaches it through {@link
   * SharedSecrets#storages()}: a user calling it could corrupt live tensors.
   */
  private void recycle() {
    if (recycled || serial == 0 || shared) return;
    recycled = true;
    if (data instanceof float[] || data instanceof double[]) ArrayPool.put(data);
    data = null;
  }

  private IllegalStateException recycledError() {
    return new IllegalStateException(
        "internal error: this tensor's storage was recycled by the autograd engine after its last use");
  }

  public DType dtype() {
    return dtype;
  }

  public int length() {
    if (recycled) throw recycledError();
    switch (dtype) {
      case FLOAT32:
        return ((float[]) data).length;
      case FLOAT64:
        return ((double[]) data).length;
      case INT64:
        return ((long[]) data).length;
      default:
        return ((boolean[]) data).length;
    }
  }

  /**
   * The backing primitive array (float[], double[], long[] or boolean[]), for dtype-generic
   * kernels.
   */
  public Object array() {
    if (recycled) throw recycledError();
    return data;
  }

  public float[] floats() {
    if (recycled) throw recycledError();
    return dtype == DType.FLOAT32 ? (float[]) data : null;
  }

  public double[] doubles() {
    if (recycled) throw recycledError();
    return dtype == DType.FLOAT64 ? (double[]) data : null;
  }

  public long[] longs() {
    return dtype == DType.INT64 ? (long[]) data : null;
  }

  public boolean[] bools() {
    return dtype == DType.BOOL ? (boolean[]) data : null;
  }

  /** Element {@code i} as a double (BOOL reads as 0 or 1). */
  public double get(int i) {
    switch (dtype) {
      case FLOAT32:
        return ((float[]) data)[i];
      case FLOAT64:
        return ((double[]) data)[i];
      case INT64:
        return ((long[]) data)[i];
      default:
        return ((boolean[]) data)[i] ? 1 : 0;
    }
  }

  /** Writes element {@code i}, converting from double (BOOL is true for any non-zero value). */
  public void set(int i, double v) {
    switch (dtype) {
      case FLOAT32:
        ((float[]) data)[i] = (float) v;
        break;
      case FLOAT64:
        ((double[]) data)[i] = v;
        break;
      case INT64:
        ((long[]) data)[i] = (long) v;
        break;
      default:
        ((boolean[]) data)[i] = v != 0;
    }
  }

  /**
   * Copies {@code n} elements from {@code this[from..]} to {@code dst[to..]}; both of this dtype.
   * Nothing to copy is a no-op even where a zero-size view's offset lies past the array's end.
   */
  public void copyTo(int from, Storage dst, int to, int n) {
    if (n == 0) return;
    System.arraycopy(data, from, dst.data, to, n); // one array field: the same type for one dtype
  }

  /** The number of in-place writes so far; shared by every view of this storage. */
  public int version() {
    return version;
  }

  /** Records one in-place write (PyTorch's version counter). */
  public void bumpVersion() {
    if (dev.autograd.core.compile.Tracer.active)
      dev.autograd.core.compile.Tracer.write("(an in-place write)");
    VERSION.incrementAndGet(this);
  }

  // The engine's way in (see SharedSecrets).
  private static final class EngineHooks implements StorageAccess {
    @Override
    public void recycle(Storage s) {
      s.recycle();
    }

    @Override
    public void share(Storage target, Storage source) {
      target.shareArrayOf(source);
    }
  }

  private void shareArrayOf(Storage source) {
    if (source == this) return;
    if (recycled || source.recycled) throw recycledError();
    if (dtype != source.dtype || length() != source.length())
      throw new IllegalArgumentException(
          "cannot share a "
              + source.dtype
              + " storage of "
              + source.length()
              + " elements with a "
              + dtype
              + " storage of "
              + length());
    data = source.data;
    shared = true;
    source.shared = true;
  }
}
