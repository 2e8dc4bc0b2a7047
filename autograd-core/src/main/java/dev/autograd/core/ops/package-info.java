/**
 * Internal: not part of the API. The differentiable ops behind Tensor's methods, with their
 * derivatives (not exported by the module).
 */
package dev.autograd.core.ops;
