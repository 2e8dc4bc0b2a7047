/**
 * Tensors with PyTorch's autograd semantics. The API is {@code dev.autograd.core} (Tensor,
 * Autograd, Function, Node, ...) and {@code dev.autograd.core.display} (HTML and SVG views for
 * notebooks). The engine, the tensor storage, the kernels and the ops are internal and not
 * exported; {@code autograd-nn} alone reaches the fused optimizer updates and the nn primitives
 * behind its {@code Functional}.
 */
@SuppressWarnings("module") // the qualified export names dev.autograd.nn, built after this module
module dev.autograd.core {
  // Optional: the SIMD kernels load only when the JVM runs with --add-modules jdk.incubator.vector.
  requires static jdk.incubator.vector;
  requires java.logging;

  exports dev.autograd.core;
  exports dev.autograd.core.display;
  exports dev.autograd.core.internal.optim to
      dev.autograd.nn;
  exports dev.autograd.core.internal.nn to
      dev.autograd.nn;
}
