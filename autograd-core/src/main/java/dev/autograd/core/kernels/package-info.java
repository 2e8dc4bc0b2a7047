/**
 * Internal: not part of the API. The primitive loops and their plain-Java implementation (not
 * exported by the module).
 */
package dev.autograd.core.kernels;
