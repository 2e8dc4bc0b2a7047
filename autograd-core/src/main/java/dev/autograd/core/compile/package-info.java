/**
 * Internal: not part of the API. Tracing and replaying compiled functions ({@code
 * Autograd.compile}, {@code dev.autograd.core.CompiledFunction}).
 */
package dev.autograd.core.compile;
