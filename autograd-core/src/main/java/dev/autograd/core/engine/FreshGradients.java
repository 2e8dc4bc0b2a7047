package dev.autograd.core.engine;

/**
 * Marks a node whose backward returns gradients it has just allocated and keeps no reference to
 * afterwards (a compiled function's backward): the engine may own them as it owns those of built-in
 * derivatives (see Note [owned gradients] in {@link Engine}), summing into them in place and
 * recycling their arrays.
 */
public interface FreshGradients {}
