/**
 * Internal: not part of the API. The accessors through which the engine reaches members that {@code
 * Tensor}, {@code Node} and {@code Storage} keep private (not exported by the module).
 */
package dev.autograd.core.internal;
