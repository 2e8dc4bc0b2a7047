package dev.autograd.core.kernels;

/**
 * Every parity test again on kernels as a program starts: a cold vector loop takes the first 512
 * elements of a call and plain Java the rest, which must give the same bits as either path alone.
 */
class ColdKernelParityTest extends KernelParityTest {
  @Override
  Kernels kernelsUnderTest() {
    return new dev.autograd.core.kernels.simd.VectorKernels();
  }
}
