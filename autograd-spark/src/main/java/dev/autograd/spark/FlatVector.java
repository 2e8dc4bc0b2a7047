package dev.autograd.spark;

import dev.autograd.core.Autograd;
import dev.autograd.core.DType;
import dev.autograd.core.GradMode;
import dev.autograd.core.Tensor;
import dev.autograd.core.internal.optim.Grads;
import java.io.Serializable;
import java.util.List;

/**
 * The values of a list of tensors laid end to end, in the list's order (a module's {@code
 * parameters()} order), as FLOAT32 or FLOAT64: what moves between the driver and the tasks.
 */
final class FlatVector implements Serializable {
  private static final long serialVersionUID = 1L;

  private final float[] f32;
  private final double[] f64;

  private FlatVector(float[] f32, double[] f64) {
    this.f32 = f32;
    this.f64 = f64;
  }

  static FlatVector zeros(DType dtype, int length) {
    return dtype == DType.FLOAT64
        ? new FlatVector(null, new double[length])
        : new FlatVector(new float[length], null);
  }

  /**
   * The common dtype of {@code tensors} (all FLOAT32 or all FLOAT64, else an error naming the odd
   * one).
   */
  static DType dtypeOf(List<Tensor> tensors, String what) {
    if (tensors.isEmpty()) throw new IllegalArgumentException(what + " has no parameters to train");
    DType d = tensors.get(0).dtype();
    for (int i = 0; i < tensors.size(); i++) {
      DType di = tensors.get(i).dtype();
      if (di != DType.FLOAT32 && di != DType.FLOAT64 || di != d) {
        throw new IllegalArgumentException(
            what
                + ": parameter "
                + i
                + " is "
                + di.torchName()
                + " but parameter 0 is "
                + d.torchName()
                + "; data-parallel training needs all parameters FLOAT32 or all FLOAT64 (convert the module with to(DType))");
      }
    }
    return d;
  }

  static int totalLength(List<Tensor> tensors) {
    long n = 0;
    for (Tensor t : tensors) n += t.numel();
    if (n > Integer.MAX_VALUE - 8)
      throw new IllegalArgumentException(
          "the module has " + n + " parameters; at most 2^31 - 9 fit one flat vector");
    return (int) n;
  }

  /** The values of {@code tensors}, concatenated. */
  static FlatVector of(List<Tensor> tensors, DType dtype) {
    FlatVector out = zeros(dtype, totalLength(tensors));
    int at = 0;
    for (Tensor t : tensors) {
      if (dtype == DType.FLOAT64) {
        double[] v = t.toDoubleArray();
        System.arraycopy(v, 0, out.f64, at, v.length);
        at += v.length;
      } else {
        float[] v = t.toFloatArray();
        System.arraycopy(v, 0, out.f32, at, v.length);
        at += v.length;
      }
    }
    return out;
  }

  /** The gradients of {@code params} (zeros where a parameter got none), concatenated. */
  static FlatVector ofGrads(List<Tensor> params, DType dtype) {
    FlatVector out = zeros(dtype, totalLength(params));
    int at = 0;
    for (Tensor p : params) {
      // not counted as a read: the caller's setGrad(null) then recycles the engine's array
      Tensor g = Grads.forUpdate(p);
      int n = p.numel();
      if (g != null) {
        if (dtype == DType.FLOAT64) System.arraycopy(g.toDoubleArray(), 0, out.f64, at, n);
        else System.arraycopy(g.toFloatArray(), 0, out.f32, at, n);
      }
      at += n;
    }
    return out;
  }

  /** Copies the values into {@code tensors} in place (without recording), in order. */
  void copyInto(List<Tensor> tensors) {
    if (totalLength(tensors) != length()) {
      throw new IllegalStateException(
          "flat vector of "
              + length()
              + " values does not fit tensors holding "
              + totalLength(tensors));
    }
    int at = 0;
    try (GradMode.Scope s = Autograd.noGrad()) {
      for (Tensor t : tensors) {
        int n = t.numel();
        t.copy_(slice(at, n).reshape(t.shapeRef()));
        at += n;
      }
    }
  }

  /** Sets each tensor's gradient to its slice of this vector. */
  void setGradsOf(List<Tensor> params) {
    int at = 0;
    for (Tensor p : params) {
      int n = p.numel();
      p.setGrad(slice(at, n).reshape(p.shapeRef()));
      at += n;
    }
  }

  private Tensor slice(int from, int n) {
    if (f64 != null) {
      double[] v = new double[n];
      System.arraycopy(f64, from, v, 0, n);
      return Tensor.of(v, n);
    }
    float[] v = new float[n];
    System.arraycopy(f32, from, v, 0, n);
    return Tensor.of(v, n);
  }

  DType dtype() {
    return f64 != null ? DType.FLOAT64 : DType.FLOAT32;
  }

  int length() {
    return f64 != null ? f64.length : f32.length;
  }

  /** Bytes of the values (what a transfer of this vector moves, before framing). */
  long bytes() {
    return (long) length() * (f64 != null ? 8 : 4);
  }

  /** this += other, element by element. */
  void add(FlatVector other) {
    if (other.length() != length() || other.dtype() != dtype())
      throw new IllegalArgumentException("adding flat vectors of different length or dtype");
    if (f64 != null) for (int i = 0; i < f64.length; i++) f64[i] += other.f64[i];
    else for (int i = 0; i < f32.length; i++) f32[i] += other.f32[i];
  }

  /** this *= factor (in the vector's own precision). */
  void scale(double factor) {
    if (f64 != null) for (int i = 0; i < f64.length; i++) f64[i] *= factor;
    else {
      float f = (float) factor;
      for (int i = 0; i < f32.length; i++) f32[i] *= f;
    }
  }

  /** Values [from, from + n) as a new vector. */
  FlatVector range(int from, int n) {
    if (f64 != null) {
      double[] v = new double[n];
      System.arraycopy(f64, from, v, 0, n);
      return new FlatVector(null, v);
    }
    float[] v = new float[n];
    System.arraycopy(f32, from, v, 0, n);
    return new FlatVector(v, null);
  }

  /** Writes {@code part} at {@code from}. */
  void put(int from, FlatVector part) {
    if (f64 != null) System.arraycopy(part.f64, 0, f64, from, part.length());
    else System.arraycopy(part.f32, 0, f32, from, part.length());
  }

  /** Bytes one value takes on the wire. */
  static int elementBytes(DType dtype) {
    return dtype == DType.FLOAT64 ? 8 : 4;
  }

  /** Appends the values to {@code out} (which must have {@link #bytes()} bytes left). */
  void writeTo(java.nio.ByteBuffer out) {
    if (f64 != null) out.asDoubleBuffer().put(f64);
    else out.asFloatBuffer().put(f32);
    out.position(out.position() + (int) bytes());
  }

  /** Reads {@code length} values of {@code dtype} written by {@link #writeTo}. */
  static FlatVector readFrom(java.nio.ByteBuffer in, DType dtype, int length) {
    FlatVector v = zeros(dtype, length);
    if (v.f64 != null) in.asDoubleBuffer().get(v.f64);
    else in.asFloatBuffer().get(v.f32);
    in.position(in.position() + (int) v.bytes());
    return v;
  }

  /**
   * A 64-bit hash of the values' bits, continuing from {@code h}: equal vectors hash equal, any
   * flipped bit almost surely not.
   */
  long hashBits(long h) {
    if (f64 != null) for (double v : f64) h = mix(h, Double.doubleToRawLongBits(v));
    else for (float v : f32) h = mix(h, Float.floatToRawIntBits(v));
    return h;
  }

  static long mix(long h, long v) {
    h ^= v;
    h *= 0x9E3779B97F4A7C15L;
    return h ^ (h >>> 29);
  }

  /** A copy. */
  FlatVector copy() {
    return f64 != null ? new FlatVector(null, f64.clone()) : new FlatVector(f32.clone(), null);
  }
}
