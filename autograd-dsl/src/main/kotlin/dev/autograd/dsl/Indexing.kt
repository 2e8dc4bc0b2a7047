package dev.autograd.dsl

import dev.autograd.core.DType
import dev.autograd.core.Tensor

// Python-style indexing: x[i], x[i, j], x[0 until 2], x[0..1], x[all, 1], x[(0 until 4) step 2],
// negative indices are views (select/slice/unsqueeze: SelectBackward0 / SliceBackward0); tensors
// as indices (x[idx], x[mask], x[all, rows, cols]) are core's advanced indexing (IndexBackward0).

/** Python's `:` in an index: `x[all, 1]` is `x[:, 1]`. */
public object All {
  /** `:`, as Python writes it. */
  override fun toString(): String = ":"
}

/** Python's `:` in an index: `x[all, 1]` is `x[:, 1]` (column 1 of a matrix, a view). */
public val all: All
  get() = All

/** Python's `None` in an index: `x[all, newAxis]` inserts a size-1 dim (`unsqueeze`). */
public object NewAxis {
  /** `None`, as Python writes it. */
  override fun toString(): String = "None"
}

/** Python's `None` in an index: `x[all, newAxis]` is `x[:, None]` (an `unsqueeze` view). */
public val newAxis: NewAxis
  get() = NewAxis

/**
 * `x[i]`: index `i` of dim 0, removing that dim, as a view (`select(0, i)`; negative counts from
 * the end).
 */
public operator fun Tensor.get(i: Int): Tensor = select(0, i)

/**
 * `x[i, j, ...]`: one index per leading dim, each removing its dim (chained `select`), as a view.
 */
public operator fun Tensor.get(vararg indices: Int): Tensor =
  basicIndex(indices.toTypedArray()).first

/**
 * `x[a, b, ...]` where each index is an `Int` (select), an `IntProgression` such as `0 until 2`,
 * `0..1` or `(0 until 4) step 2` (slice, ends inclusive as Kotlin ranges are), [all] (a whole dim),
 * [newAxis] (a new size-1 dim), or a tensor: INT64 indices or a BOOL mask, PyTorch's advanced
 * indexing (`x[all, idx]`, `x[rows, cols]`, `x[mask, 0]`). Without tensors the result is a view
 * sharing storage with `x`; with tensors it is a copy ([Tensor.index]: the index tensors broadcast
 * together and their shape replaces the indexed dims, in place when they are adjacent, first
 * otherwise). Ints are applied first, as PyTorch does (`x[0, idx]` selects row 0, then indexes it).
 * A mask covers as many dims as it has. Negative numbers count from the end.
 */
public operator fun Tensor.get(vararg indices: Any): Tensor {
  val (view, advanced) = basicIndex(indices)
  return if (advanced == null) view else view.index(*advanced)
}

/**
 * Indexing by a tensor, a copy (not a view), as PyTorch's advanced indexing ([Tensor.index]):
 * - an INT64 `index` picks rows of dim 0: the result has shape `index.shape + x.shape[1:]`
 *   (negative indices count from the end);
 * - a BOOL `mask` covering the leading dims of `x` keeps the elements (or rows) where it is true:
 *   the result is `[count] + x.shape[mask.ndim:]`, 1-D when the mask has `x`'s shape (`x[x gt 0]`).
 *   The gradient is core's IndexBackward0 (an accumulating index_put into zeros), as in PyTorch.
 */
public operator fun Tensor.get(index: Tensor): Tensor = index(index)

/**
 * Writes `value` (broadcast) into the view `x[i]`; needs `noGrad { }` on a leaf that requires grad.
 */
public operator fun Tensor.set(i: Int, value: Tensor) {
  get(i).copy_(value)
}

/** Fills the view `x[i]` with `value`. */
public operator fun Tensor.set(i: Int, value: Number) {
  get(i).fill_(value.toDouble())
}

/** Writes `value` (broadcast) into the view `x[i, j]`. */
public operator fun Tensor.set(i: Int, j: Int, value: Tensor) {
  get(i, j).copy_(value)
}

/** Fills the view `x[i, j]` with `value`. */
public operator fun Tensor.set(i: Int, j: Int, value: Number) {
  get(i, j).fill_(value.toDouble())
}

/**
 * `x[index] = value` (see [get]): a view is filled; a tensor index writes with [Tensor.indexPut_],
 * so `g[input lt 0] = 0` writes 0 where the mask is true, like PyTorch's `g[input < 0] = 0`.
 */
public operator fun Tensor.set(index: Any, value: Number) {
  assign(arrayOf(index), value)
}

/**
 * `x[index] = value`: copies `value` into `x[index]` (see [get]). With a tensor index `value`
 * broadcasts to the shape of `x[index]` (`x[mask] = values` takes one value per true element), as
 * PyTorch's `index_put_`; repeated indices leave which write wins undefined in PyTorch (the last
 * one here).
 */
public operator fun Tensor.set(index: Any, value: Tensor) {
  assign(arrayOf(index), value)
}

/** `x[a, b] = value` for any two indices (see [get] and the one-index [set]). */
public operator fun Tensor.set(a: Any, b: Any, value: Number) {
  assign(arrayOf(a, b), value)
}

/** `x[a, b] = value` for any two indices (see [get] and the one-index [set]). */
public operator fun Tensor.set(a: Any, b: Any, value: Tensor) {
  assign(arrayOf(a, b), value)
}

private fun Tensor.assign(indices: Array<out Any>, value: Number) {
  val (view, advanced) = basicIndex(indices)
  if (advanced == null) view.fill_(value.toDouble())
  else view.indexPut_(advanced, Tensor.scalar(value.toDouble(), dtype()), false)
}

private fun Tensor.assign(indices: Array<out Any>, value: Tensor) {
  val (view, advanced) = basicIndex(indices)
  val v =
    if (value.dtype() == dtype()) value else value.to(dtype()) // setitem casts, as PyTorch's does
  if (advanced == null) view.copy_(v) else view.indexPut_(advanced, v, false)
}

// Ints, ranges, all and newAxis become a view (select/slice/unsqueeze); tensors are collected,
// with null for the dims between them, for one advanced index of that view (null: none).
private fun Tensor.basicIndex(indices: Array<out Any>): Pair<Tensor, Array<Tensor?>?> {
  var out = this
  var dim = 0
  val advanced = ArrayList<Tensor?>()
  for (index in indices) {
    when (index) {
      is Int -> {
        checkDim(out, dim, indices)
        out = out.select(dim, index)
      }
      is IntProgression -> {
        checkDim(out, dim, indices)
        out = out.sliceBy(dim, index)
        dim++
      }
      is All -> {
        checkDim(out, dim, indices)
        dim++
      }
      is NewAxis -> out = out.unsqueeze(dim++)
      is Tensor -> {
        while (advanced.size < dim) advanced.add(null)
        advanced.add(index)
        dim += if (index.dtype() == DType.BOOL) maxOf(index.dim(), 1) else 1
        while (advanced.size < dim) advanced.add(null) // the mask's other dims
      }
      else ->
        throw IllegalArgumentException(
          "only integers, ranges (0 until 2, 0..1, (0 until 4) step 2), all, newAxis and INT64 or BOOL tensors" +
            " are valid indices (got ${index::class.simpleName}: $index)"
        )
    }
  }
  return out to (if (advanced.any { it != null }) compact(advanced) else null)
}

// a k-dim mask stands for k dims: the nulls padded after it are not entries of the index list
private fun compact(advanced: List<Tensor?>): Array<Tensor?> {
  val out = ArrayList<Tensor?>()
  var skip = 0
  for (t in advanced) {
    if (skip > 0) {
      skip--
      continue
    }
    out.add(t)
    if (t != null && t.dtype() == DType.BOOL) skip = maxOf(t.dim(), 1) - 1
  }
  return out.toTypedArray()
}

private fun checkDim(t: Tensor, dim: Int, indices: Array<out Any>) {
  if (dim >= t.dim()) {
    throw IndexOutOfBoundsException(
      "too many indices for tensor of dimension ${t.dim()} (got ${indices.size}: ${indices.joinToString()})"
    )
  }
}

// NOTE: a Kotlin range's last element is inclusive and may be negative (counting from the end):
// -2..-1 is the last two elements; an empty progression (0 until 0) is an empty slice.
private fun Tensor.sliceBy(dim: Int, p: IntProgression): Tensor {
  require(p.step > 0) {
    "step must be greater than zero (got ${p.step} in $p); flip() is not a view"
  }
  val size = size(dim)
  if (p.isEmpty()) return slice(dim, 0, 0, 1)
  val first = if (p.first < 0) p.first + size else p.first
  val last = if (p.last < 0) p.last + size else p.last
  if (first < 0 || last >= size || first > last) {
    throw IndexOutOfBoundsException("range $p out of bounds for dimension $dim with size $size")
  }
  return slice(dim, first, last + 1, p.step)
}
