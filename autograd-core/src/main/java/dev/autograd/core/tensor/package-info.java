/**
 * Internal: not part of the API. Storage, shapes and strided loops under Tensor (not exported by
 * the module).
 */
package dev.autograd.core.tensor;
