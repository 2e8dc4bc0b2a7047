package dev.autograd.nn;

import dev.autograd.core.Tensor;

/** The maximum over each kernel window; stride defaults to the kernel size. */
public class MaxPool2d extends Module {
  private final int kernel, stride, padding;

  /**
   * Max pooling over {@code kernelSize}×{@code kernelSize} windows with stride equal to the kernel
   * ({@code nn.MaxPool2d(k)}).
   */
  public MaxPool2d(int kernelSize) {
    this(kernelSize, kernelSize, 0);
  }

  /** Max pooling with the given window, stride and padding (padding counts as minus infinity). */
  public MaxPool2d(int kernelSize, int stride, int padding) {
    this.kernel = kernelSize;
    this.stride = stride;
    this.padding = padding;
  }

  @Override
  public Tensor forward(Tensor input) {
    return Functional.maxPool2d(input, kernel, stride, padding);
  }

  @Override
  protected String extraRepr() {
    return "kernel_size="
        + kernel
        + ", stride="
        + stride
        + ", padding="
        + padding
        + ", dilation=1, ceil_mode=False";
  }
}
