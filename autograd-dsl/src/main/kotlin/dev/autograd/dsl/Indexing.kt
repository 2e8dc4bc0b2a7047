package dev.autograd.dsl

import dev.autograd.core.DType
import dev.autograd.core.Tensor

// Python-style indexing as views: x[i], x[i, j], x[0 until 2], x[0..1], x[all, 1],
// x[(0 until 4) step 2], negative indices. Every index compiles to select/slice/unsqueeze, so
// the gradient is the core's SelectBackward0 / SliceBackward0.

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

/** `x[i]`: index `i` of dim 0, removing that dim, as a view (`select(0, i)`; negative counts from the end). */
public operator fun Tensor.get(i: Int): Tensor = select(0, i)

/** `x[i, j, ...]`: one index per leading dim, each removing its dim (chained `select`), as a view. */
public operator fun Tensor.get(vararg indices: Int): Tensor = index(indices.toTypedArray())

/**
 * `x[a, b, ...]` where each index is an `Int` (select), an `IntProgression` such as `0 until 2`,
 * `0..1` or `(0 until 4) step 2` (slice, ends inclusive as Kotlin ranges are), [all] (a whole
 * dim) or [newAxis] (a new size-1 dim). The result is a view sharing storage with `x`; negative
 * numbers count from the end, as in Python.
 */
public operator fun Tensor.get(vararg indices: Any): Tensor = index(indices)

/**
 * Indexing by a tensor, a copy (not a view), as PyTorch's advanced indexing:
 * - an INT64 `index` picks rows of dim 0: the result has shape `index.shape + x.shape[1:]`
 *   (`indexSelect(0, ...)`; negative indices count from the end);
 * - a BOOL `mask` covering the leading dims of `x` keeps the rows where it is true: the result is
 *   `[count] + x.shape[mask.ndim:]`, 1-D when the mask has `x`'s shape (`x[x gt 0]`).
 * Both are differentiable through core's IndexSelectBackward0 (the gradient is scattered back).
 */
public operator fun Tensor.get(index: Tensor): Tensor =
  when (index.dtype()) {
    DType.BOOL -> maskedRows(index)
    DType.INT64 -> {
      val rest = shapeRef().drop(1)
      indexSelect(0, fromTheEnd(index.reshape(-1), size(0))).reshape(*(index.shapeRef().toList() + rest).toIntArray())
    }
    else ->
      throw IllegalArgumentException(
        "tensors used as indices must be long or bool tensors (got ${index.dtype().torchName()})")
  }

/** Writes `value` (broadcast) into the view `x[i]`; needs `noGrad { }` on a leaf that requires grad. */
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
 * `x[index] = value`: fills the view `x[index]` (see [get]); a BOOL tensor as index is a mask,
 * so `g[input lt 0] = 0` writes 0 where the mask is true, like PyTorch's `g[input < 0] = 0`.
 */
public operator fun Tensor.set(index: Any, value: Number) {
  if (index is Tensor) {
    copy_(maskedFill(requireMask(index), value.toDouble()))
  } else {
    get(index).fill_(value.toDouble())
  }
}

/** `x[index] = value`: copies `value` (broadcast) into the view `x[index]` (see [get]). */
public operator fun Tensor.set(index: Any, value: Tensor) {
  if (index is Tensor) {
    copy_(Tensor.where(requireMask(index), value, this))
  } else {
    get(index).copy_(value)
  }
}

/** `x[a, b] = value` for any two indices (see [get]). */
public operator fun Tensor.set(a: Any, b: Any, value: Number) {
  get(a, b).fill_(value.toDouble())
}

/** `x[a, b] = value` for any two indices (see [get]). */
public operator fun Tensor.set(a: Any, b: Any, value: Tensor) {
  get(a, b).copy_(value)
}

private fun Tensor.index(indices: Array<out Any>): Tensor {
  var out = this
  var dim = 0
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
      else ->
        throw IllegalArgumentException(
          "only integers, ranges (0 until 2, 0..1, (0 until 4) step 2), all and newAxis are valid" +
            " indices (got ${index::class.simpleName}: $index)")
    }
  }
  return out
}

private fun checkDim(t: Tensor, dim: Int, indices: Array<out Any>) {
  if (dim >= t.dim()) {
    throw IndexOutOfBoundsException(
      "too many indices for tensor of dimension ${t.dim()} (got ${indices.size}: ${indices.joinToString()})")
  }
}

// NOTE: a Kotlin range's last element is inclusive and may be negative (counting from the end):
// -2..-1 is the last two elements; an empty progression (0 until 0) is an empty slice.
private fun Tensor.sliceBy(dim: Int, p: IntProgression): Tensor {
  require(p.step > 0) { "step must be greater than zero (got ${p.step} in $p); flip() is not a view" }
  val size = size(dim)
  if (p.isEmpty()) return slice(dim, 0, 0, 1)
  val first = if (p.first < 0) p.first + size else p.first
  val last = if (p.last < 0) p.last + size else p.last
  if (first < 0 || last >= size || first > last) {
    throw IndexOutOfBoundsException("range $p out of bounds for dimension $dim with size $size")
  }
  return slice(dim, first, last + 1, p.step)
}

// x[mask]: the positions where the mask is true, read once (like nonzero), then one indexSelect
// on x with the mask's dims flattened into one.
private fun Tensor.maskedRows(mask: Tensor): Tensor {
  val k = mask.dim()
  val shape = shapeRef().toList()
  if (k == 0 || k > shape.size || shape.subList(0, k) != mask.shapeRef().toList()) {
    throw IndexOutOfBoundsException(
      "The shape of the mask ${mask.shapeRef().toList()} does not match the leading dims of the indexed tensor $shape")
  }
  val flags = mask.toBooleanArray()
  val positions = LongArray(flags.count { it })
  var n = 0
  for (i in flags.indices) if (flags[i]) positions[n++] = i.toLong()
  val rows = reshape(*(listOf(-1) + shape.drop(k)).toIntArray())
  return rows.indexSelect(0, Tensor.of(positions))
}

// x[index] counts negative indices from the end (indexSelect itself, as PyTorch's, does not)
private fun fromTheEnd(index: Tensor, size: Int): Tensor {
  val v = index.toLongArray()
  if (v.none { it < 0 }) return index
  for (i in v.indices) {
    if (v[i] < -size || v[i] >= size) throw IndexOutOfBoundsException("index ${v[i]} is out of bounds for dimension 0 with size $size")
    if (v[i] < 0) v[i] = v[i] + size.toLong()
  }
  return Tensor.of(v, *index.shape())
}

private fun requireMask(index: Tensor): Tensor {
  require(index.dtype() == DType.BOOL) {
    "tensors used as indices must be BOOL masks here (got ${index.dtype().torchName()}); " +
      "integer index tensors need indexSelect"
  }
  return index
}
