/**
 * Internal: not part of the API. Fused optimizer updates, exported to {@code dev.autograd.nn} only
 * (its Adam and AdamW use them).
 */
package dev.autograd.core.internal.optim;
