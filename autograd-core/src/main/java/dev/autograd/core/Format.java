package dev.autograd.core;

import java.util.Locale;

/**
 * PyTorch's tensor printout: {@code tensor([0., 1., 0.])}, {@code tensor(59.1124,
 * grad_fn=<MulBackward0>)}; integer-valued floats print as {@code 4.}, others with four decimals or
 * in scientific notation when magnitudes span more than 1000x, and tensors of more than 1000
 * elements are summarised with {@code ...}.
 */
public final class Format {
  private Format() {}

  private static final int THRESHOLD = 1000;
  private static final int EDGE_ITEMS = 3;
  private static final int LINE_WIDTH = 80;

  /**
   * Each value as PyTorch would print it inside {@code t}'s printout (one format for all, padded to
   * one width), in row-major order; the renderers use this for their tables.
   */
  public static String[] elements(Tensor t) {
    double[] values = t.toDoubleArray();
    Formatter f = new Formatter(t.dtype(), values);
    String[] out = new String[values.length];
    for (int i = 0; i < values.length; i++) out[i] = f.format(values[i]);
    return out;
  }

  /** The whole printout, as {@link Tensor#toString()}. */
  public static String tensor(Tensor t) {
    String prefix = "tensor(";
    StringBuilder sb = new StringBuilder(prefix);
    boolean summarize = t.numel() > THRESHOLD;
    double[] values = t.toDoubleArray();
    // like PyTorch, a summarised tensor is formatted from the elements that are shown
    Formatter f = new Formatter(t.dtype(), summarize ? shown(values, t.shapeRef(), 0, 0) : values);
    if (t.numel() == 0) {
      sb.append("[]");
    } else {
      body(sb, t.dtype(), values, 0, t.shapeRef(), 0, f, prefix.length(), summarize);
    }
    java.util.List<String> suffix = new java.util.ArrayList<>();
    if (t.numel() == 0 && t.dim() > 1) suffix.add("size=" + shapeTuple(t.shapeRef()));
    if (t.dtype() == DType.FLOAT64) suffix.add("dtype=" + t.dtype().torchName());
    if (t.gradFn() != null) suffix.add("grad_fn=<" + t.gradFn().name() + ">");
    else if (t.requiresGrad()) suffix.add("requires_grad=True");
    for (String s : suffix) sb.append(", ").append(s);
    return sb.append(')').toString();
  }

  // the elements a summarised printout shows: EDGE_ITEMS at each end of every long dim
  private static double[] shown(double[] v, int[] shape, int dim, int start) {
    if (dim == shape.length) return new double[] {v[start]};
    int stride = 1;
    for (int d = dim + 1; d < shape.length; d++) stride *= shape[d];
    java.util.List<double[]> parts = new java.util.ArrayList<>();
    int n = 0;
    for (int i = 0; i < shape[dim]; i++) {
      if (shape[dim] > 2 * EDGE_ITEMS && i == EDGE_ITEMS) i = shape[dim] - EDGE_ITEMS;
      double[] p = shown(v, shape, dim + 1, start + i * stride);
      parts.add(p);
      n += p.length;
    }
    double[] out = new double[n];
    int k = 0;
    for (double[] p : parts) {
      System.arraycopy(p, 0, out, k, p.length);
      k += p.length;
    }
    return out;
  }

  private static String shapeTuple(int[] shape) {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) sb.append(i > 0 ? ", " : "").append(shape[i]);
    return sb.append(')').toString();
  }

  // values of the sub-tensor starting at flat index `start`, with dims shape[dim..]
  private static void body(
      StringBuilder sb,
      DType dtype,
      double[] v,
      int start,
      int[] shape,
      int dim,
      Formatter f,
      int indent,
      boolean summarize) {
    if (dim == shape.length) {
      sb.append(f.format(v[start]));
      return;
    }
    int size = shape[dim];
    int stride = 1;
    for (int d = dim + 1; d < shape.length; d++) stride *= shape[d];
    boolean cut = summarize && size > 2 * EDGE_ITEMS;
    sb.append('[');
    if (dim == shape.length - 1) {
      int perLine = Math.max(1, (LINE_WIDTH - indent) / (f.width + 2));
      int count = 0;
      for (int i = 0; i < size; i++) {
        if (cut && i == EDGE_ITEMS) {
          sb.append(count % perLine == 0 && count > 0 ? "\n" + " ".repeat(indent + 1) : "")
              .append(" ..."); // PyTorch's ' ...'
          i = size - EDGE_ITEMS;
          sb.append(", ");
          count++;
        }
        if (count > 0 && count % perLine == 0) sb.append('\n').append(" ".repeat(indent + 1));
        sb.append(f.format(v[start + i]));
        if (i < size - 1) sb.append(", ");
        count++;
      }
    } else {
      String sep = "," + "\n".repeat(shape.length - dim - 1) + " ".repeat(indent + 1);
      for (int i = 0; i < size; i++) {
        if (cut && i == EDGE_ITEMS) {
          sb.append("...").append(sep);
          i = size - EDGE_ITEMS;
        }
        body(sb, dtype, v, start + i * stride, shape, dim + 1, f, indent + 1, summarize);
        if (i < size - 1) sb.append(sep);
      }
    }
    sb.append(']');
  }

  /** Chooses one format for all elements, as PyTorch's _Formatter does, and pads to one width. */
  private static final class Formatter {
    final DType dtype;
    boolean intMode;
    boolean sciMode;
    int width;

    Formatter(DType dtype, double[] values) {
      this.dtype = dtype;
      if (!dtype.isFloatingPoint()) {
        for (double x : values) width = Math.max(width, raw(x).length());
        return;
      }
      double maxAbs = 0, minAbs = Double.MAX_VALUE;
      boolean anyFinite = false;
      intMode = true;
      for (double x : values) {
        if (!Double.isFinite(x)) continue;
        if (x != Math.ceil(x)) intMode = false;
        double a = Math.abs(x);
        if (a != 0) {
          anyFinite = true;
          maxAbs = Math.max(maxAbs, a);
          minAbs = Math.min(minAbs, a);
        }
      }
      if (anyFinite) {
        sciMode =
            intMode ? maxAbs > 1e8 : (maxAbs / minAbs > 1000 || maxAbs > 1e8 || minAbs < 1e-4);
      }
      for (double x : values) width = Math.max(width, raw(x).length());
    }

    String raw(double x) {
      if (dtype == DType.BOOL) return x != 0 ? "True" : "False";
      if (!dtype.isFloatingPoint()) return Long.toString((long) x);
      if (Double.isNaN(x)) return "nan";
      if (Double.isInfinite(x)) return x > 0 ? "inf" : "-inf";
      if (sciMode) return String.format(Locale.ROOT, "%.4e", x);
      if (intMode) return String.format(Locale.ROOT, "%.0f", x) + ".";
      return String.format(Locale.ROOT, "%.4f", x);
    }

    String format(double x) {
      String s = raw(x);
      return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }
  }
}
