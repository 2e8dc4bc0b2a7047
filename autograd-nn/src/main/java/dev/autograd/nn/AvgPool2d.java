package dev.autograd.nn;

import dev.autograd.core.Tensor;

/** The mean over each kernel window (zero padding counted); stride defaults to the kernel size. */
public class AvgPool2d extends Module {
  private final int kernel, stride, padding;

  public AvgPool2d(int kernelSize) {
    this(kernelSize, kernelSize, 0);
  }

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
