package dev.autograd.nn.init;

import dev.autograd.core.Autograd;
import dev.autograd.core.Generator;
import dev.autograd.core.GradMode;
import dev.autograd.core.Tensor;
import java.util.Locale;

/**
 * Weight initialisers, PyTorch's {@code torch.nn.init}: each fills a tensor in place without
 * recording, from the given {@link Generator} (null means the default one), and returns it.
 */
public final class Init {
  private Init() {}

  private static Generator gen(Generator g) {
    return g != null ? g : Generator.defaultGenerator();
  }

  /** Fills with U(a, b). */
  public static Tensor uniform_(Tensor t, double a, double b, Generator g) {
    return t.uniform_(a, b, gen(g));
  }

  /** Fills with N(mean, std²). */
  public static Tensor normal_(Tensor t, double mean, double std, Generator g) {
    return t.normal_(mean, std, gen(g));
  }

  /** Fills with {@code value}. */
  public static Tensor constant_(Tensor t, double value) {
    try (GradMode.Scope s = Autograd.noGrad()) {
      return t.fill_(value);
    }
  }

  /** Fills {@code t} with zeros without recording; returns {@code t} ({@code nn.init.zeros_}). */
  public static Tensor zeros_(Tensor t) {
    return constant_(t, 0);
  }

  /** Fills {@code t} with ones without recording; returns {@code t} ({@code nn.init.ones_}). */
  public static Tensor ones_(Tensor t) {
    return constant_(t, 1);
  }

  /** fan_in = size(1) · receptive field, fan_out = size(0) · receptive field (needs ≥ 2 dims). */
  public static int[] fans(Tensor t) {
    if (t.dim() < 2) {
      throw new IllegalArgumentException(
          "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions (got "
              + t.dim()
              + ")");
    }
    int receptive = 1;
    for (int d = 2; d < t.dim(); d++) receptive *= t.size(d);
    return new int[] {t.size(1) * receptive, t.size(0) * receptive};
  }

  /**
   * The recommended gain of a nonlinearity ({@code linear}, {@code conv2d}, {@code sigmoid}, {@code
   * tanh}, {@code relu}, {@code leaky_relu}, {@code selu}).
   */
  public static double calculateGain(String nonlinearity, double param) {
    switch (nonlinearity.toLowerCase(Locale.ROOT)) {
      case "linear":
      case "conv1d":
      case "conv2d":
      case "conv3d":
      case "sigmoid":
        return 1;
      case "tanh":
        return 5.0 / 3;
      case "relu":
        return Math.sqrt(2);
      case "leaky_relu":
        return Math.sqrt(2 / (1 + param * param));
      case "selu":
        return 3.0 / 4;
      default:
        throw new IllegalArgumentException("Unsupported nonlinearity " + nonlinearity);
    }
  }

  /** U(-b, b) with b = gain · sqrt(6 / (fan_in + fan_out)). */
  public static Tensor xavierUniform_(Tensor t, double gain, Generator g) {
    int[] f = fans(t);
    double a = Math.sqrt(3) * gain * Math.sqrt(2.0 / (f[0] + f[1]));
    return uniform_(t, -a, a, g);
  }

  /** N(0, std²) with std = gain · sqrt(2 / (fan_in + fan_out)). */
  public static Tensor xavierNormal_(Tensor t, double gain, Generator g) {
    int[] f = fans(t);
    return normal_(t, 0, gain * Math.sqrt(2.0 / (f[0] + f[1])), g);
  }

  private static int fan(Tensor t, String mode) {
    int[] f = fans(t);
    switch (mode) {
      case "fan_in":
        return f[0];
      case "fan_out":
        return f[1];
      default:
        throw new IllegalArgumentException(
            "Mode " + mode + " not supported, please use one of fan_in, fan_out");
    }
  }

  /**
   * U(-b, b) with b = sqrt(3) · gain(nonlinearity, a) / sqrt(fan); PyTorch's Linear/Conv default
   * uses a = sqrt(5).
   */
  public static Tensor kaimingUniform_(
      Tensor t, double a, String mode, String nonlinearity, Generator g) {
    double bound = Math.sqrt(3) * calculateGain(nonlinearity, a) / Math.sqrt(fan(t, mode));
    return uniform_(t, -bound, bound, g);
  }

  /** N(0, std²) with std = gain(nonlinearity, a) / sqrt(fan). */
  public static Tensor kaimingNormal_(
      Tensor t, double a, String mode, String nonlinearity, Generator g) {
    return normal_(t, 0, calculateGain(nonlinearity, a) / Math.sqrt(fan(t, mode)), g);
  }

  /**
   * PyTorch's default for Linear and Conv layers: weight kaiming-uniform with a = sqrt(5) (bound
   * 1/sqrt(fan_in)), bias U(±1/sqrt(fan_in)) when present.
   */
  public static void defaultLayerInit(Tensor weight, Tensor bias, Generator g) {
    kaimingUniform_(weight, Math.sqrt(5), "fan_in", "leaky_relu", g);
    if (bias != null) {
      int fanIn = fans(weight)[0];
      double bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      uniform_(bias, -bound, bound, g);
    }
  }
}
