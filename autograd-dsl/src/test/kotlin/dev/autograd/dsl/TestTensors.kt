package dev.autograd.dsl

import dev.autograd.core.DType
import dev.autograd.core.Generator
import dev.autograd.core.Tensor
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.shouldBe

/** A FLOAT64 leaf that requires grad, with reproducible values (shifted positive when asked). */
fun leaf(vararg shape: Int, seed: Long = 1, positive: Boolean = false): Tensor {
  val t = Tensor.randn(Generator(seed), DType.FLOAT64, *shape)
  val v = if (positive) t.abs().add(0.5) else t
  return v.detach().requiresGrad_(true)
}

/**
 * The output values of `f` on fresh copies of `inputs` and each input's gradient of `sum(f · r)`.
 */
fun valuesAndGrads(
  inputs: List<Tensor>,
  f: (List<Tensor>) -> Tensor,
): Pair<DoubleArray, List<DoubleArray?>> {
  val xs = inputs.map { it.detach().clone().requiresGrad_(it.requiresGrad()) }
  val y = f(xs)
  if (y.requiresGrad()) {
    // a fixed, non-uniform upstream gradient so that every element's derivative is checked
    y.backward(Tensor.arange(1.0, y.numel() + 1.0, 1.0, y.dtype()).reshape(*y.shape()))
  }
  return y.toDoubleArray() to xs.map { it.grad()?.toDoubleArray() }
}

/**
 * Asserts the DSL expression and the core call it compiles to give identical values and gradients.
 */
fun sameAsCore(
  inputs: List<Tensor>,
  dsl: (List<Tensor>) -> Tensor,
  core: (List<Tensor>) -> Tensor,
) {
  val (dv, dg) = valuesAndGrads(inputs, dsl)
  val (cv, cg) = valuesAndGrads(inputs, core)
  dv shouldBe cv
  dg.size shouldBe cg.size
  for (i in dg.indices) dg[i] shouldBe cg[i]
}

/** Element-wise closeness within `tol` (absolute). */
infix fun DoubleArray.shouldBeCloseTo(expected: DoubleArray) = shouldBeCloseTo(expected, 1e-4)

fun DoubleArray.shouldBeCloseTo(expected: DoubleArray, tol: Double) {
  size shouldBe expected.size
  for (i in indices) this[i] shouldBe (expected[i] plusOrMinus tol)
}

/** Largest |a − b| / max(|b|, 1e-12) over the elements. */
/**
 * ||a - b|| / ||b||: the relative error of a whole gradient, insensitive to single tiny elements.
 */
fun normRelativeError(a: DoubleArray, b: DoubleArray): Double {
  var diff = 0.0
  var norm = 0.0
  for (i in a.indices) {
    diff += (a[i] - b[i]) * (a[i] - b[i])
    norm += b[i] * b[i]
  }
  return Math.sqrt(diff / norm)
}

fun maxRelativeError(a: DoubleArray, b: DoubleArray): Double =
  a.indices.maxOfOrNull { i -> Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), 1e-12) } ?: 0.0
