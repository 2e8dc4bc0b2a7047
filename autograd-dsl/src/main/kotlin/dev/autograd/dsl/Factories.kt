package dev.autograd.dsl

import dev.autograd.core.Autograd
import dev.autograd.core.DType
import dev.autograd.core.Generator
import dev.autograd.core.Tensor

// Tensor factories: `torch.tensor(...)`, zeros, ones, randn, ... with PyTorch's dtype rules
// (integers give INT64, floats FLOAT32, booleans BOOL) unless `dtype` says otherwise.

/**
 * A 0-dim tensor, like `torch.tensor(2.0, requires_grad=True)`: `tensor(2.0, requiresGrad = true)`.
 * The dtype is FLOAT32 for Float/Double, INT64 for Int/Long, unless [dtype] is given.
 */
public fun tensor(value: Number, requiresGrad: Boolean = false, dtype: DType? = null): Tensor =
  Tensor.scalar(value.toDouble(), dtype ?: inferDType(value)).withGrad(requiresGrad)

/** A 1-D tensor of the numbers, like `torch.tensor([1.0, 2.0])`: `tensor(1.0, 2.0)`. */
public fun tensor(
  vararg values: Number,
  requiresGrad: Boolean = false,
  dtype: DType? = null,
): Tensor = tensor(values.asList(), requiresGrad, dtype)

/**
 * A tensor from nested lists of numbers or booleans, like `torch.tensor([[1., 2.], [3., 4.]])`:
 * `tensor(listOf(listOf(1.0, 2.0), listOf(3.0, 4.0)))`. Rows must have equal lengths.
 */
public fun tensor(values: List<*>, requiresGrad: Boolean = false, dtype: DType? = null): Tensor {
  val shape = mutableListOf<Int>()
  shapeOf(values, shape)
  val flat = ArrayList<Any>(shape.fold(1, Int::times))
  flatten(values, shape, 0, flat)
  val dt = dtype ?: inferDType(flat)
  return fromFlat(flat, dt, shape.toIntArray()).withGrad(requiresGrad)
}

/** A FLOAT32 tensor of `data` (copied) with the given shape; 1-D when no shape is given. */
public fun tensor(data: FloatArray, vararg shape: Int, requiresGrad: Boolean = false): Tensor =
  Tensor.of(data, *shape).withGrad(requiresGrad)

/** A FLOAT64 tensor of `data` (copied) with the given shape; 1-D when no shape is given. */
public fun tensor(data: DoubleArray, vararg shape: Int, requiresGrad: Boolean = false): Tensor =
  Tensor.of(data, *shape).withGrad(requiresGrad)

/** An INT64 tensor of `data` (copied): indices and class targets. */
public fun tensor(data: LongArray, vararg shape: Int): Tensor = Tensor.of(data, *shape)

/** A BOOL tensor of `data` (copied): masks. */
public fun tensor(data: BooleanArray, vararg shape: Int): Tensor = Tensor.of(data, *shape)

/** Zeros of the given shape (`torch.zeros(2, 3)`). */
public fun zeros(
  vararg shape: Int,
  dtype: DType = DType.FLOAT32,
  requiresGrad: Boolean = false,
): Tensor = Tensor.zeros(dtype, *shape).withGrad(requiresGrad)

/** Ones of the given shape (`torch.ones(2, 3)`). */
public fun ones(
  vararg shape: Int,
  dtype: DType = DType.FLOAT32,
  requiresGrad: Boolean = false,
): Tensor = Tensor.ones(dtype, *shape).withGrad(requiresGrad)

/** `value` everywhere in `shape` (`torch.full((2, 3), 7.0)`: `full(listOf(2, 3), 7.0)`). */
public fun full(
  shape: List<Int>,
  value: Number,
  dtype: DType = DType.FLOAT32,
  requiresGrad: Boolean = false,
): Tensor = Tensor.full(shape.toIntArray(), value.toDouble(), dtype).withGrad(requiresGrad)

/**
 * Standard normal samples (`torch.randn(5, 3)`), from the default generator unless one is given.
 */
public fun randn(
  vararg shape: Int,
  dtype: DType = DType.FLOAT32,
  requiresGrad: Boolean = false,
  generator: Generator = Generator.defaultGenerator(),
): Tensor = Tensor.randn(generator, dtype, *shape).withGrad(requiresGrad)

/**
 * Uniform samples in [0, 1) (`torch.rand(5, 3)`), from the default generator unless one is given.
 */
public fun rand(
  vararg shape: Int,
  dtype: DType = DType.FLOAT32,
  requiresGrad: Boolean = false,
  generator: Generator = Generator.defaultGenerator(),
): Tensor = Tensor.rand(generator, dtype, *shape).withGrad(requiresGrad)

/** `0, 1, ..., end-1` (`torch.arange(end)`): INT64 for integer arguments, FLOAT32 otherwise. */
public fun arange(end: Number, dtype: DType? = null): Tensor = arange(0, end, 1, dtype)

/** `start, start+step, ...` below `end` (`torch.arange`): INT64 when all arguments are integers. */
public fun arange(start: Number, end: Number, step: Number = 1, dtype: DType? = null): Tensor =
  Tensor.arange(
    start.toDouble(),
    end.toDouble(),
    step.toDouble(),
    dtype ?: inferDType(listOf(start, end, step)),
  )

/** `steps` evenly spaced values from `start` to `end` inclusive (`torch.linspace`). */
public fun linspace(start: Number, end: Number, steps: Int, dtype: DType = DType.FLOAT32): Tensor =
  Tensor.linspace(start.toDouble(), end.toDouble(), steps, dtype)

/** The n×m identity (`torch.eye`); square by default. */
public fun eye(n: Int, m: Int = n, dtype: DType = DType.FLOAT32): Tensor = Tensor.eye(n, m, dtype)

/** Zeros with the shape and dtype of `x`. */
public fun zerosLike(x: Tensor): Tensor = Tensor.zerosLike(x)

/** Ones with the shape and dtype of `x` (`torch.ones_like`, e.g. for `y.backward(onesLike(x))`). */
public fun onesLike(x: Tensor): Tensor = Tensor.onesLike(x)

/** `value` with the shape and dtype of `x`. */
public fun fullLike(x: Tensor, value: Number): Tensor = Tensor.fullLike(x, value.toDouble())

/** Standard normal samples with the shape and dtype of `x`. */
public fun randnLike(x: Tensor): Tensor = Tensor.randnLike(x)

/** Reseeds the default generator (`torch.manual_seed`), so rand/randn repeat. */
public fun manualSeed(seed: Long) {
  Autograd.manualSeed(seed)
}

private fun Tensor.withGrad(on: Boolean): Tensor = if (on) requiresGrad_(true) else this

private fun inferDType(value: Any): DType =
  when (value) {
    is Boolean -> DType.BOOL
    is Int,
    is Long,
    is Short,
    is Byte -> DType.INT64
    is Number -> DType.FLOAT32
    else ->
      throw IllegalArgumentException(
        "tensor(): cannot make a tensor element from ${value::class.simpleName} ($value)"
      )
  }

private fun inferDType(values: List<Any>): DType {
  if (values.isEmpty()) return DType.FLOAT32
  val kinds = values.map(::inferDType).toSet()
  return when {
    DType.FLOAT32 in kinds -> DType.FLOAT32
    DType.INT64 in kinds -> DType.INT64
    else -> DType.BOOL
  }
}

private fun shapeOf(values: Any?, shape: MutableList<Int>) {
  if (values !is List<*>) return
  shape += values.size
  if (values.isNotEmpty()) shapeOf(values[0], shape)
}

private fun flatten(values: Any?, shape: List<Int>, depth: Int, out: MutableList<Any>) {
  if (depth == shape.size) {
    if (values is List<*>)
      throw IllegalArgumentException(
        "tensor(): too many nesting levels at dim $depth (expected a number)"
      )
    out += values ?: throw IllegalArgumentException("tensor(): null element at dim $depth")
    return
  }
  if (values !is List<*> || values.size != shape[depth]) {
    val got = if (values is List<*>) "length ${values.size}" else "a number ($values)"
    throw IllegalArgumentException(
      "tensor(): expected sequence of length ${shape[depth]} at dim $depth (got $got)"
    )
  }
  for (v in values) flatten(v, shape, depth + 1, out)
}

private fun fromFlat(flat: List<Any>, dtype: DType, shape: IntArray): Tensor {
  fun number(v: Any): Double = if (v is Boolean) (if (v) 1.0 else 0.0) else (v as Number).toDouble()
  if (shape.isEmpty()) return Tensor.scalar(number(flat[0]), dtype)
  return when (dtype) {
    DType.FLOAT32 -> Tensor.of(FloatArray(flat.size) { number(flat[it]).toFloat() }, *shape)
    DType.FLOAT64 -> Tensor.of(DoubleArray(flat.size) { number(flat[it]) }, *shape)
    DType.INT64 -> Tensor.of(LongArray(flat.size) { number(flat[it]).toLong() }, *shape)
    DType.BOOL -> Tensor.of(BooleanArray(flat.size) { number(flat[it]) != 0.0 }, *shape)
  }
}
