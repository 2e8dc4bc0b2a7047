package dev.autograd.nn;

import dev.autograd.core.Tensor;

/** The mean over each kernel window (zero padding counted); stride defaults to the kernel size. */
public class AvgPool2d extends Module {
  private final int kernel, stride, padding;

  /**
   * Average pooling over {@code kernelSize}×{@code kernelSize} windows with stride equal to the
   * kernel ({@code nn.AvgPool2d(k)}).
   */
  public AvgPool2d(int kernelSize) {
    this(kernelSize, kernelSize, 0);
  }

  /**
   * Average pooling with the given window, stride and zero padding ({@code nn.AvgPool2d(k, stride,
   * padding)}).
   */
  public AvgPool2d(int kernelSize, int stride, int padding) {
    this.kernel = kernelSize;
    this.stride = stride;
    this.padding = padding;
  }

  @Override
  public Tensor forward(Tensor input) {
    return Functional.avgPool2d(input, kernel, stride, padding);
  }

  @Override
  protected String extraRepr() {
    return "kernel_size=" + kernel + ", stride=" + stride + ", padding=" + padding + "";
  }
}
