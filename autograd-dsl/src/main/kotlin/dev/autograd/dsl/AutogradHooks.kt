package dev.autograd.dsl

import dev.autograd.core.Autograd
import dev.autograd.core.Tensor

// Saved-tensor hooks, anomaly mode and backward(inputs = ...), the Kotlin way. Like noGrad { },
// the scopes are per thread: use them around blocking code, not across suspension points.

/**
 * Runs `block` with saved-tensor hooks (PyTorch's `with saved_tensors_hooks(pack, unpack):`): every
 * tensor an op saves for backward is passed to [pack], and what pack returned to [unpack] when
 * backward reads it. Returns the block's value.
 */
public fun <P, R> savedTensorsHooks(pack: (Tensor) -> P, unpack: (P) -> Tensor, block: () -> R): R =
  Autograd.savedTensorsHooks<P>({ pack(it) }, { unpack(it) }).use { block() }

/**
 * Runs `block` in anomaly mode (`with torch.autograd.detect_anomaly(check_nan=...)`): nodes record
 * where they were created, and a failing or NaN-producing backward prints "Traceback of forward
 * call that caused the error" with the Kotlin file and line.
 */
public fun <R> detectAnomaly(checkNan: Boolean = true, block: () -> R): R =
  Autograd.detectAnomaly(checkNan).use { block() }

/**
 * `backward(inputs = ...)`: accumulates only into the `.grad` of [inputs] (leaves or not);
 * [gradient] may be null for a one-element tensor.
 */
public fun Tensor.backward(
  inputs: List<Tensor>,
  gradient: Tensor? = null,
  retainGraph: Boolean = false,
  createGraph: Boolean = false,
): Unit = backward(gradient, retainGraph, createGraph, *inputs.toTypedArray())
