/**
 * Internal: not part of the API. The differentiable nn primitives behind {@code
 * dev.autograd.nn.Functional}, exported to {@code dev.autograd.nn} only.
 */
package dev.autograd.core.internal.nn;
