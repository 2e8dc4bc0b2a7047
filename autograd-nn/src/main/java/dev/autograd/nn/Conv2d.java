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

  public Conv2d(int inChannels, int outChannels, int kernelSize) {
    this(inChannels, outChannels, new int[] {kernelSize, kernelSize}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 1, true, null);
  }

  public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
    this(inChannels, outChannels, new int[] {kernelSize, kernelSize}, new int[] {stride, stride}, new int[] {padding, padding}, new int[] {1, 1}, 1, true, null);
  }

  /** The full form; {@code gen} (nullable) drives PyTorch's default initialisation. */
  public Conv2d(int inChannels, int outChannels, int[] kernel, int[] stride, int[] padding, int[] dilation, int groups, boolean bias, Generator gen) {
    if (groups <= 0 || inChannels % groups != 0 || outChannels % groups != 0) {
      throw new IllegalArgumentException("Conv2d: in_channels (" + inChannels + ") and out_channels (" + outChannels + ") must be divisible by groups (" + groups + ")");
    }
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernel = kernel.clone();
    this.stride = stride.clone();
    this.padding = padding.clone();
    this.dilation = dilation.clone();
    this.groups = groups;
    Tensor w = registerParameter("weight", Tensor.zeros(outChannels, inChannels / groups, kernel[0], kernel[1]));
    Tensor b = registerParameter("bias", bias ? Tensor.zeros(outChannels) : null);
    Init.defaultLayerInit(w, b, gen);
  }

  public Tensor weight() {
    return parameter("weight");
  }

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
    StringBuilder b = new StringBuilder().append(inChannels).append(", ").append(outChannels).append(", kernel_size=").append(pair(kernel))
        .append(", stride=").append(pair(stride));
    if (padding[0] != 0 || padding[1] != 0) b.append(", padding=").append(pair(padding));
    if (dilation[0] != 1 || dilation[1] != 1) b.append(", dilation=").append(pair(dilation));
    if (groups != 1) b.append(", groups=").append(groups);
    if (bias() == null) b.append(", bias=False");
    return b.toString();
  }
}
