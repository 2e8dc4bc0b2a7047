package dev.autograd.dsl

import dev.autograd.core.AutogradFunctional
import dev.autograd.core.Tensor

/*
 * torch.autograd.functional in Kotlin: the function comes last, as a lambda.
 *   val j = jacobian(x) { it.pow(2) }             // out.shape + in.shape
 *   val h = hessian(x) { (it pow 3).sum() }
 *   val (y, jv) = jvp(x, v) { it.sin() }
 */

/** The Jacobian of [f] at [input]: shape `f(input).shape + input.shape`. */
public fun jacobian(
  input: Tensor,
  createGraph: Boolean = false,
  strict: Boolean = false,
  f: (Tensor) -> Tensor,
): Tensor =
  AutogradFunctional.jacobian(
      { xs: Array<Tensor> -> arrayOf(f(xs[0])) },
      arrayOf(input),
      createGraph,
      strict,
    )[0][0]

/** The Jacobian blocks `J[i][j]` = d output i / d input j of a function of several tensors. */
public fun jacobian(
  inputs: List<Tensor>,
  createGraph: Boolean = false,
  strict: Boolean = false,
  f: (List<Tensor>) -> List<Tensor>,
): List<List<Tensor>> =
  AutogradFunctional.jacobian(
      { xs: Array<Tensor> -> f(xs.toList()).toTypedArray() },
      inputs.toTypedArray(),
      createGraph,
      strict,
    )
    .map { it.toList() }

/** The Hessian of a function with a one-element output: shape `input.shape + input.shape`. */
public fun hessian(
  input: Tensor,
  createGraph: Boolean = false,
  strict: Boolean = false,
  f: (Tensor) -> Tensor,
): Tensor =
  AutogradFunctional.hessian(
      { xs: Array<Tensor> -> f(xs[0]) },
      arrayOf(input),
      createGraph,
      strict,
    )[0][0]

/**
 * `vᵀ·J` and the function's value (`torch.autograd.functional.vjp`); [v] may be null for a
 * one-element output.
 */
public fun vjp(
  input: Tensor,
  v: Tensor? = null,
  createGraph: Boolean = false,
  strict: Boolean = false,
  f: (Tensor) -> Tensor,
): Pair<Tensor, Tensor> =
  AutogradFunctional.vjp(
      { xs: Array<Tensor> -> arrayOf(f(xs[0])) },
      arrayOf(input),
      v?.let { arrayOf(it) },
      createGraph,
      strict,
    )
    .pair()

/**
 * `J·v` and the function's value (`torch.autograd.functional.jvp`); [v] may be null for a
 * one-element input.
 */
public fun jvp(
  input: Tensor,
  v: Tensor? = null,
  createGraph: Boolean = false,
  strict: Boolean = false,
  f: (Tensor) -> Tensor,
): Pair<Tensor, Tensor> =
  AutogradFunctional.jvp(
      { xs: Array<Tensor> -> arrayOf(f(xs[0])) },
      arrayOf(input),
      v?.let { arrayOf(it) },
      createGraph,
      strict,
    )
    .pair()

/**
 * `H·v` and the function's value for a function with a one-element output
 * (`torch.autograd.functional.hvp`).
 */
public fun hvp(
  input: Tensor,
  v: Tensor,
  createGraph: Boolean = false,
  strict: Boolean = false,
  f: (Tensor) -> Tensor,
): Pair<Tensor, Tensor> =
  AutogradFunctional.hvp(
      { xs: Array<Tensor> -> f(xs[0]) },
      arrayOf(input),
      arrayOf(v),
      createGraph,
      strict,
    )
    .pair()

/**
 * `vᵀ·H` and the function's value for a function with a one-element output
 * (`torch.autograd.functional.vhp`).
 */
public fun vhp(
  input: Tensor,
  v: Tensor,
  createGraph: Boolean = false,
  strict: Boolean = false,
  f: (Tensor) -> Tensor,
): Pair<Tensor, Tensor> =
  AutogradFunctional.vhp(
      { xs: Array<Tensor> -> f(xs[0]) },
      arrayOf(input),
      arrayOf(v),
      createGraph,
      strict,
    )
    .pair()

private fun AutogradFunctional.Product.pair(): Pair<Tensor, Tensor> = output() to value()
