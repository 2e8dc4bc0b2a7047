package dev.autograd.nn;

import dev.autograd.core.Generator;
import dev.autograd.core.Tensor;
import dev.autograd.nn.init.Init;

/**
 * 2-D convolution (cross-correlation) of [N, C_in, H, W] with weight [C_out, C_in/groups, kh, kw]
 * and optional bias; stride, padding (zeros), dilation and groups as in PyTorch.
 */
public class Conv2d extends Module {
  private final int inChannels, outChannels, groups;
  private final int[] kernel, stride, padding, dilation;

  /**
   * A 2-D convolution with square kernels, stride 1, no padding and a bias ({@code nn.Conv2d(in,
   * out, k)}).
   */
  public Conv2d(int inChannels, int outChannels, int kernelSize) {
    this(
        inChannels,
        outChannels,
        new int[] {kernelSize, kernelSize},
        new int[] {1, 1},
        new int[] {0, 0},
        new int[] {1, 1},
        1,
        true,
        null);
  }

  /** A 2-D convolution with square kernels, the given stride and zero padding, and a bias. */
  public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
    this(
        inChannels,
        outChannels,
        new int[] {kernelSize, kernelSize},
        new int[] {stride, stride},
        new int[] {padding, padding},
        new int[] {1, 1},
        1,
        true,
        null);
  }

  /** The full form; {@code gen} (nullable) drives PyTorch's default initialisation. */
  public Conv2d(
      int inChannels,
      int outChannels,
      int[] kernel,
      int[] stride,
      int[] padding,
      int[] dilation,
      int groups,
      boolean bias,
      Generator gen) {
    if (groups <= 0 || inChannels % groups != 0 || outChannels % groups != 0) {
      throw new IllegalArgumentException(
          "Conv2d: in_channels ("
              + inChannels
              + ") and out_channels ("
              + outChannels
              + ") must be divisible by groups ("
              + groups
              + ")");
    }
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernel = kernel.clone();
    this.stride = stride.clone();
    this.padding = padding.clone();
    this.dilation = dilation.clone();
    this.groups = groups;
    Tensor w =
        registerParameter(
            "weight", Tensor.zeros(outChannels, inChannels / groups, kernel[0], kernel[1]));
    Tensor b = registerParameter("bias", bias ? Tensor.zeros(outChannels) : null);
    Init.defaultLayerInit(w, b, gen);
  }

  /**
   * Conv2d with its options by name, PyTorch's keywords in Java: {@code Conv2d.with(1, 8,
   * 3).stride(2).padding(1).bias(false).build()}. Unset options take PyTorch's defaults: stride 1,
   * padding 0, dilation 1, groups 1, with bias.
   */
  public static Builder with(int inChannels, int outChannels, int kernelSize) {
    return new Builder(inChannels, outChannels, kernelSize);
  }

  /** The named options of {@link Conv2d}; each setter checks its value. */
  public static final class Builder {
    private final int inChannels, outChannels;
    private int[] kernel, stride = {1, 1}, padding = {0, 0}, dilation = {1, 1};
    private int groups = 1;
    private boolean bias = true;
    private Generator gen;

    private Builder(int inChannels, int outChannels, int kernelSize) {
      this.inChannels = positive("in_channels", inChannels);
      this.outChannels = positive("out_channels", outChannels);
      this.kernel = pairOf("kernel_size", kernelSize, kernelSize, 1);
    }

    /** A (height, width) pair whose entries are at least {@code min}. */
    private static int[] pairOf(String option, int h, int w, int min) {
      if (h < min || w < min)
        throw new IllegalArgumentException(
            "Conv2d: " + option + " must be >= " + min + ", got (" + h + ", " + w + ")");
      return new int[] {h, w};
    }

    private static int positive(String option, int v) {
      if (v < 1)
        throw new IllegalArgumentException("Conv2d: " + option + " must be >= 1, got " + v);
      return v;
    }

    /** A rectangular kernel of {@code height}×{@code width}. */
    public Builder kernelSize(int height, int width) {
      kernel = pairOf("kernel_size", height, width, 1);
      return this;
    }

    /** The step between windows in both directions ({@code stride}, default 1). */
    public Builder stride(int stride) {
      return stride(stride, stride);
    }

    /** The step between windows, per direction. */
    public Builder stride(int height, int width) {
      this.stride = pairOf("stride", height, width, 1);
      return this;
    }

    /** Zero padding on every side ({@code padding}, default 0). */
    public Builder padding(int padding) {
      return padding(padding, padding);
    }

    /** Zero padding of {@code height} rows and {@code width} columns. */
    public Builder padding(int height, int width) {
      this.padding = pairOf("padding", height, width, 0);
      return this;
    }

    /** The spacing between kernel elements ({@code dilation}, default 1). */
    public Builder dilation(int dilation) {
      this.dilation = pairOf("dilation", dilation, dilation, 1);
      return this;
    }

    /**
     * The number of blocked connections from input to output channels ({@code groups}, default 1);
     * both channel counts must divide by it.
     */
    public Builder groups(int groups) {
      this.groups = positive("groups", groups);
      return this;
    }

    /** Whether to learn a bias ({@code bias}, default true). */
    public Builder bias(boolean bias) {
      this.bias = bias;
      return this;
    }

    /**
     * The generator of the initial weights (default: the global one, {@code Autograd.manualSeed}).
     */
    public Builder generator(Generator gen) {
      this.gen = gen;
      return this;
    }

    /**
     * The layer with the options set so far; throws IllegalArgumentException naming the first
     * invalid one.
     */
    public Conv2d build() {
      return new Conv2d(
          inChannels, outChannels, kernel, stride, padding, dilation, groups, bias, gen);
    }
  }

  /** The kernel weights [outChannels, inChannels / groups, kernelHeight, kernelWidth]. */
  public Tensor weight() {
    return parameter("weight");
  }

  /** The bias [outChannels], or null when built without one. */
  public Tensor bias() {
    return parameter("bias");
  }

  @Override
  public Tensor forward(Tensor input) {
    return Functional.conv2d(input, weight(), bias(), stride, padding, dilation, groups);
  }

  private static String pair(int[] p) {
    return "(" + p[0] + ", " + p[1] + ")";
  }

  @Override
  protected String extraRepr() {
    StringBuilder b =
        new StringBuilder()
            .append(inChannels)
            .append(", ")
            .append(outChannels)
            .append(", kernel_size=")
            .append(pair(kernel))
            .append(", stride=")
            .append(pair(stride));
    if (padding[0] != 0 || padding[1] != 0) b.append(", padding=").append(pair(padding));
    if (dilation[0] != 1 || dilation[1] != 1) b.append(", dilation=").append(pair(dilation));
    if (groups != 1) b.append(", groups=").append(groups);
    if (bias() == null) b.append(", bias=False");
    return b.toString();
  }
}
