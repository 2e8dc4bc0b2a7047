package dev.autograd.core;

/**
 * A dual tensor taken apart ({@link Autograd#unpackDual}), PyTorch's {@code UnpackedDualTensor}:
 * the primal (a view of the dual with the same history, without the tangent) and the tangent (null
 * when the tensor has none at the open level).
 *
 * @param primal the values, sharing the dual's storage
 * @param tangent the forward-mode derivative, or null
 */
public record UnpackedDual(Tensor primal, Tensor tangent) {}
