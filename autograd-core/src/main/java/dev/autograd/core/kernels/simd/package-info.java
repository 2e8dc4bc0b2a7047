/**
 * Internal: not part of the API. The Vector API kernels, loaded only when jdk.incubator.vector is
 * present (not exported).
 */
package dev.autograd.core.kernels.simd;
