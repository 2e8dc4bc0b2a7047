package dev.autograd.dsl

import dev.autograd.core.DType
import dev.autograd.core.Node
import dev.autograd.core.Tensor

// PyTorch's tensor attributes as Kotlin properties. `x.isLeaf`, `x.isContiguous` and `x.isView`
// need nothing here: Kotlin already reads Java's boolean `isXxx()` methods as properties.

/**
 * The accumulated gradient (`x.grad` in PyTorch): filled by `backward()` for leaves that require
 * grad (and non-leaves after `retainGrad()`), else null. Assigning replaces it; `x.grad = null`
 * clears it.
 */
public var Tensor.grad: Tensor?
  get() = grad()
  set(value) = setGrad(value)

/** The node that made this tensor (`x.grad_fn`): e.g. `MulBackward0`; null for leaves. */
public val Tensor.gradFn: Node?
  get() = gradFn()

/**
 * Whether gradients flow to this tensor (`x.requires_grad`). Setting it calls `requiresGrad_`: only
 * floating-point leaves can be switched, as in PyTorch.
 */
public var Tensor.requiresGrad: Boolean
  get() = requiresGrad()
  set(value) {
    requiresGrad_(value)
  }

/** The sizes of the dims (`x.shape`, PyTorch's `torch.Size`), e.g. `listOf(2, 3)`. */
public val Tensor.shape: List<Int>
  get() = shapeRef().toList()

/** The number of dims (`x.ndim`). */
public val Tensor.ndim: Int
  get() = dim()

/** The element type (`x.dtype`): FLOAT32 by default. */
public val Tensor.dtype: DType
  get() = dtype()

/**
 * The tensor with its dims reversed (`x.T`): the transpose of a matrix, the tensor itself for fewer
 * than 2 dims. A view; the gradient is transposed back.
 */
public val Tensor.T: Tensor
  get() = if (dim() < 2) this else permute(*IntArray(dim()) { dim() - 1 - it })

/** The transpose of the last two dims (`x.mT`), a view for batched matrices. */
public val Tensor.mT: Tensor
  get() = mT()

/**
 * The same values cut off from the graph (`x.data` in PyTorch): shares storage, no history, so
 * in-place writes to it are not recorded (`w.grad!!.data.zero_()`).
 */
public val Tensor.data: Tensor
  get() = detach()

/** The value of a one-element tensor as a Float (`x.item()` returns a Double). */
public fun Tensor.itemFloat(): Float = item().toFloat()

/** The value of a one-element tensor as a Long (floats truncate toward zero). */
public fun Tensor.itemLong(): Long = item().toLong()

/** All elements in row-major order, as a list (`x.tolist()` flattened). */
public fun Tensor.toList(): List<Double> = toDoubleArray().asList()
