package dev.autograd.core.tensor;

import java.util.Arrays;

/** Shape and stride arithmetic: element counts, contiguous strides, broadcasting, dims. */
public final class Shapes {
  private Shapes() {}

  public static final int[] SCALAR = new int[0];

  /** Product of the sizes; 1 for a 0-dim shape. Rejects negative sizes and int overflow. */
  public static int numel(int[] shape) {
    for (int s : shape) {
      if (s < 0) throw new IllegalArgumentException("negative size in shape " + str(shape));
      if (s == 0) return 0; // no elements, however large the other sizes
    }
    long n = 1;
    for (int s : shape) {
      n *= s;
      if (n > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException(
            "shape " + str(shape) + " has more than 2^31 elements, beyond a JVM array");
      }
    }
    return (int) n;
  }

  /** Row-major strides for a contiguous tensor of this shape. */
  public static int[] contiguousStrides(int[] shape) {
    if (shape.length == 0) return SCALAR; // an empty array cannot be modified, so it is shared
    int[] strides = new int[shape.length];
    int s = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      strides[d] = s;
      s *= Math.max(shape[d], 1);
    }
    return strides;
  }

  /** True when {@code strides} walk {@code shape} in row-major order without gaps. */
  public static boolean isContiguous(int[] shape, int[] strides) {
    for (int s : shape) if (s == 0) return true; // no elements: any strides will do, as in PyTorch
    int expected = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      if (shape[d] == 1) continue;
      if (strides[d] != expected) return false;
      expected *= shape[d];
    }
    return true;
  }

  /** PyTorch's broadcast of two shapes, with PyTorch's error message on a mismatch. */
  public static int[] broadcast(int[] a, int[] b) {
    int n = Math.max(a.length, b.length);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      int da = i < n - a.length ? 1 : a[i - (n - a.length)];
      int db = i < n - b.length ? 1 : b[i - (n - b.length)];
      if (da != db && da != 1 && db != 1) {
        throw new IllegalArgumentException(
            "The size of tensor a ("
                + da
                + ") must match the size of tensor b ("
                + db
                + ") at non-singleton dimension "
                + i);
      }
      out[i] = da == 1 ? db : da;
    }
    return out;
  }

  /**
   * Strides that read a tensor of {@code shape}/{@code strides} as if expanded to {@code target}:
   * broadcast dimensions get stride 0. The caller has checked that the shapes broadcast.
   */
  public static int[] broadcastStrides(int[] shape, int[] strides, int[] target) {
    int[] out = new int[target.length];
    int lead = target.length - shape.length;
    for (int d = 0; d < target.length; d++) {
      int src = d - lead;
      out[d] = src < 0 || shape[src] == 1 ? 0 : strides[src];
    }
    return out;
  }

  private static final int[][] ZERO_STRIDES = new int[9][];

  static {
    for (int r = 0; r < ZERO_STRIDES.length; r++) ZERO_STRIDES[r] = new int[r];
  }

  /**
   * {@link #broadcastStrides} for a walker that only reads the result ({@link StridedLoop}): an
   * operand already of the target shape gets its own stride array, a single element a shared array
   * of zeros; only other operands get a new array. Lets a replayed step run without allocating.
   */
  public static int[] broadcastStridesForReading(int[] shape, int[] strides, int[] target) {
    if (java.util.Arrays.equals(shape, target)) return strides;
    boolean single = true;
    for (int s : shape) single &= s == 1;
    if (single && target.length < ZERO_STRIDES.length) return ZERO_STRIDES[target.length];
    return broadcastStrides(shape, strides, target);
  }

  /** A dim in {@code [-rank, rank)} made non-negative; PyTorch's error message otherwise. */
  public static int normalizeDim(int dim, int rank) {
    int r = Math.max(rank, 1);
    if (dim < -r || dim >= r) {
      throw new IndexOutOfBoundsException(
          "Dimension out of range (expected to be in range of ["
              + -r
              + ", "
              + (r - 1)
              + "], but got "
              + dim
              + ")");
    }
    return dim < 0 ? dim + r : dim;
  }

  /** Resolves one {@code -1} in a requested shape against {@code numel} elements. */
  public static int[] inferSize(int[] requested, int numel) {
    int[] out = requested.clone();
    int infer = -1;
    long known = 1;
    for (int d = 0; d < out.length; d++) {
      if (out[d] == -1) {
        if (infer >= 0) throw new IllegalArgumentException("only one dimension can be inferred");
        infer = d;
      } else if (out[d] < 0) {
        throw new IllegalArgumentException("invalid shape dimension " + out[d]);
      } else {
        known *= out[d];
      }
    }
    if (infer >= 0) {
      if (known == 0 || numel % known != 0) {
        throw new IllegalArgumentException(
            "shape '" + str(requested) + "' is invalid for input of size " + numel);
      }
      out[infer] = (int) (numel / known);
    } else if (known != numel) {
      throw new IllegalArgumentException(
          "shape '" + str(requested) + "' is invalid for input of size " + numel);
    }
    return out;
  }

  /** {@code [2, 3]}, the way PyTorch prints a shape in messages. */
  public static String str(int[] shape) {
    return Arrays.toString(shape);
  }
}
