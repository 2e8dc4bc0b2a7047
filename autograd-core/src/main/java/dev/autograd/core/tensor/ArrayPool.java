package dev.autograd.core.tensor;

/**
 * Large float and double arrays given back by {@link Storage#recycle()}, handed out again by {@link
 * Storage#allocateUninitialized}: a reused array is still warm in cache and is not zeroed again,
 * where a fresh one costs the JVM a zeroing pass over cold memory (PyTorch's caching allocator
 * plays the same part). Most recently returned first; bounded in count and bytes, so it never holds
 * more than a few steps' worth of gradients. Shared by all threads.
 */
final class ArrayPool {
  private ArrayPool() {}

  private static final int SLOTS = 32;
  private static final long MAX_BYTES = 64L << 20;

  private static final Object[] arrays = new Object[SLOTS];
  private static int count;
  private static long bytes;

  static float[] takeFloats(int n) {
    return (float[]) take(float[].class, n);
  }

  static double[] takeDoubles(int n) {
    return (double[]) take(double[].class, n);
  }

  private static synchronized Object take(Class<?> type, int n) {
    for (int i = count - 1; i >= 0; i--) { // newest first: the warmest in cache
      Object a = arrays[i];
      if (a.getClass() == type && length(a) == n) {
        System.arraycopy(arrays, i + 1, arrays, i, count - 1 - i);
        arrays[--count] = null;
        bytes -= size(a);
        return a;
      }
    }
    return null;
  }

  static synchronized void put(Object array) {
    long size = size(array);
    if (size > MAX_BYTES) return;
    while (count == SLOTS || bytes + size > MAX_BYTES) { // drop the oldest
      bytes -= size(arrays[0]);
      System.arraycopy(arrays, 1, arrays, 0, count - 1);
      arrays[--count] = null;
    }
    arrays[count++] = array;
    bytes += size;
  }

  private static int length(Object a) {
    return a instanceof float[] ? ((float[]) a).length : ((double[]) a).length;
  }

  private static long size(Object a) {
    return a instanceof float[] ? 4L * ((float[]) a).length : 8L * ((double[]) a).length;
  }
}
