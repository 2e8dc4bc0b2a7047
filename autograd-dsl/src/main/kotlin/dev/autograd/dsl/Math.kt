package dev.autograd.dsl

import dev.autograd.core.Tensor

// Top-level math functions, so formulas read like the paper: `(x pow 2) * exp(x)`,
// `sigmoid(x mm w)`. Each is one core call; its derivative is the core op's.

/** e^x element-wise; d/dx = e^x. */
public fun exp(x: Tensor): Tensor = x.exp()

/** Natural log element-wise; d/dx = 1/x. */
public fun log(x: Tensor): Tensor = x.log()

/** log(1 + x), accurate near 0; d/dx = 1/(1 + x). */
public fun log1p(x: Tensor): Tensor = x.log1p()

/** e^x − 1, accurate near 0; d/dx = e^x. */
public fun expm1(x: Tensor): Tensor = x.expm1()

/** Square root element-wise; d/dx = 1/(2√x). */
public fun sqrt(x: Tensor): Tensor = x.sqrt()

/** 1/√x element-wise; d/dx = −1/(2 x^1.5). */
public fun rsqrt(x: Tensor): Tensor = x.rsqrt()

/** |x| element-wise; d/dx = sign(x) (0 at 0, as in PyTorch). */
public fun abs(x: Tensor): Tensor = x.abs()

/** sin(x) element-wise; d/dx = cos(x). */
public fun sin(x: Tensor): Tensor = x.sin()

/** cos(x) element-wise; d/dx = −sin(x). */
public fun cos(x: Tensor): Tensor = x.cos()

/** tan(x) element-wise; d/dx = 1 + tan²(x). */
public fun tan(x: Tensor): Tensor = x.tan()

/** tanh(x) element-wise; d/dx = 1 − y². */
public fun tanh(x: Tensor): Tensor = x.tanh()

/** 1/(1 + e^−x) element-wise; d/dx = y(1 − y). */
public fun sigmoid(x: Tensor): Tensor = x.sigmoid()

/** max(x, 0) element-wise; the gradient is 1 where x > 0 and 0 elsewhere (also at 0). */
public fun relu(x: Tensor): Tensor = x.relu()

/** x where x > 0, else `negativeSlope`·x (`torch.nn.functional.leaky_relu`). */
public fun leakyRelu(x: Tensor, negativeSlope: Double = 0.01): Tensor = x.leakyRelu(negativeSlope)

/** log(1 + e^x) element-wise; d/dx = sigmoid(x). */
public fun softplus(x: Tensor): Tensor = x.softplus()

/** The exact (erf-based) GELU, PyTorch's default. */
public fun gelu(x: Tensor): Tensor = x.gelu()

/** x·sigmoid(x) (SiLU, a.k.a. swish). */
public fun silu(x: Tensor): Tensor = x.silu()

/** The error function element-wise; d/dx = 2/√π·e^(−x²). */
public fun erf(x: Tensor): Tensor = x.erf()

/** x² element-wise; d/dx = 2x. */
public fun square(x: Tensor): Tensor = x.square()

/** 1/x element-wise; d/dx = −1/x². */
public fun reciprocal(x: Tensor): Tensor = x.reciprocal()

/** −1, 0 or 1 by sign; zero gradient. */
public fun sign(x: Tensor): Tensor = x.sign()

/** Limits values to [min, max]; a null bound is open. Gradient 1 inside, 0 where clamped. */
public fun clamp(x: Tensor, min: Number? = null, max: Number? = null): Tensor =
  x.clamp(min?.toDouble(), max?.toDouble())

/** Element-wise maximum with broadcasting (the gradient is split evenly on ties). */
public fun maximum(a: Tensor, b: Tensor): Tensor = a.maximum(b)

/** Element-wise minimum with broadcasting (the gradient is split evenly on ties). */
public fun minimum(a: Tensor, b: Tensor): Tensor = a.minimum(b)

/** The angle of the point (b, a) element-wise with broadcasting (`torch.atan2(a, b)`). */
public fun atan2(a: Tensor, b: Tensor): Tensor = a.atan2(b)

/** `cond ? a : b` element-wise with broadcasting; gradients flow to the chosen side. */
public fun where(cond: Tensor, a: Tensor, b: Tensor): Tensor = Tensor.where(cond, a, b)

/** Sum of all elements (0-dim), or over `dim` when given. */
public fun sum(x: Tensor, dim: Int? = null, keepDim: Boolean = false): Tensor =
  if (dim == null) x.sum() else x.sum(dim, keepDim)

/** Mean of all elements (0-dim), or over `dim` when given. */
public fun mean(x: Tensor, dim: Int? = null, keepDim: Boolean = false): Tensor =
  if (dim == null) x.mean() else x.mean(dim, keepDim)

/** PyTorch's `torch.matmul` / `@`: 1-D, 2-D and batched products. */
public fun matmul(a: Tensor, b: Tensor): Tensor = a.matmul(b)

/** Concatenates along `dim` (`torch.cat`); all other sizes must match. */
public fun cat(tensors: List<Tensor>, dim: Int = 0): Tensor =
  Tensor.cat(dim, *tensors.toTypedArray())

/** Concatenates along `dim` (e.g. the views of [Tensor.chunk]). */
public fun cat(tensors: Array<Tensor>, dim: Int = 0): Tensor = Tensor.cat(dim, *tensors)

/** Stacks equal-shaped tensors along a new dim (`torch.stack`). */
public fun stack(tensors: List<Tensor>, dim: Int = 0): Tensor =
  Tensor.stack(dim, *tensors.toTypedArray())

// --- softmax, extremes and gathers (core's Softmax, Statistics and Indexing ops) ---

/** Softmax along `dim` (`torch.softmax`), max-subtracted; gradient y·(g − Σ g·y). */
public fun softmax(x: Tensor, dim: Int): Tensor = x.softmax(dim)

/** log(softmax(x)) along `dim` (`torch.log_softmax`), computed stably; gradient g − softmax·Σ g. */
public fun logSoftmax(x: Tensor, dim: Int): Tensor = x.logSoftmax(dim)

/** log Σ e^x along `dim` (`torch.logsumexp`), computed stably; gradient g·e^(x − y). */
public fun logsumexp(x: Tensor, dim: Int, keepDim: Boolean = false): Tensor =
  x.logsumexp(dim, keepDim)

/** Running log Σ e^x along `dim` (`torch.logcumsumexp`), computed stably. */
public fun logcumsumexp(x: Tensor, dim: Int): Tensor = x.logcumsumexp(dim)

/** The largest element, 0-dim (`torch.max(x)`); the gradient is split evenly among ties. */
public fun max(x: Tensor): Tensor = x.max()

/**
 * The largest values along `dim` and their INT64 indices (`torch.max(x, dim)`): `val (values,
 * indices) = max(x, dim = 1)`. The values' gradient goes to those indices.
 */
public fun max(x: Tensor, dim: Int, keepDim: Boolean = false): Tensor.ValuesIndices =
  x.max(dim, keepDim)

/** The element-wise maximum (`torch.max(a, b)`), the same as [maximum]. */
public fun max(a: Tensor, b: Tensor): Tensor = a.maximum(b)

/** The smallest element, 0-dim (`torch.min(x)`); the gradient is split evenly among ties. */
public fun min(x: Tensor): Tensor = x.min()

/** The smallest values along `dim` and their INT64 indices (`torch.min(x, dim)`). */
public fun min(x: Tensor, dim: Int, keepDim: Boolean = false): Tensor.ValuesIndices =
  x.min(dim, keepDim)

/** The element-wise minimum (`torch.min(a, b)`), the same as [minimum]. */
public fun min(a: Tensor, b: Tensor): Tensor = a.minimum(b)

/**
 * INT64 index of the largest element: into the flattened tensor, or along `dim` when given. No
 * gradient.
 */
public fun argmax(x: Tensor, dim: Int? = null, keepDim: Boolean = false): Tensor =
  if (dim == null) x.argmax() else x.argmax(dim, keepDim)

/**
 * INT64 index of the smallest element: into the flattened tensor, or along `dim` when given. No
 * gradient.
 */
public fun argmin(x: Tensor, dim: Int? = null, keepDim: Boolean = false): Tensor =
  if (dim == null) x.argmin() else x.argmin(dim, keepDim)

/**
 * The slices of `x` at the INT64 vector `index` along `dim` (`torch.index_select`); gradient:
 * index_add.
 */
public fun indexSelect(x: Tensor, dim: Int, index: Tensor): Tensor = x.indexSelect(dim, index)

/**
 * `out[i][j] = x[i][index[i][j]]` for `dim` 1 (`torch.gather`); the output has `index`'s shape;
 * gradient: scatter_add.
 */
public fun gather(x: Tensor, dim: Int, index: Tensor): Tensor = x.gather(dim, index)

/** The values of `max(x, dim)`, `sort`, `topk`: `val (values, indices) = ...`. */
public operator fun Tensor.ValuesIndices.component1(): Tensor = values()

/** The INT64 indices of `max(x, dim)`, `sort`, `topk`: `val (values, indices) = ...`. */
public operator fun Tensor.ValuesIndices.component2(): Tensor = indices()
