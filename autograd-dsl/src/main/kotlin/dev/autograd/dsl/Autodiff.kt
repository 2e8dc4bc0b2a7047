package dev.autograd.dsl

import dev.autograd.core.Autograd
import dev.autograd.core.Tensor

// torch.autograd.grad in Kotlin form: gradients returned, .grad left untouched.

/**
 * d(output)/d(input) for a one-element `output` (`torch.autograd.grad(y, x)[0]`), without touching
 * any `.grad`. With `createGraph` the result has its own graph, so it can be differentiated again
 * (second derivatives).
 */
public fun grad(output: Tensor, input: Tensor, createGraph: Boolean = false): Tensor =
  Autograd.grad(arrayOf(output), arrayOf(input), createGraph)[0]

/**
 * d(output)/d(inputs), one gradient per input (`torch.autograd.grad(y, inputs, ...)`). `gradOutput`
 * is the vector of the vector-Jacobian product for a non-scalar output; an input the output does
 * not use gets null with `allowUnused`, an error otherwise.
 */
public fun grad(
  output: Tensor,
  inputs: List<Tensor>,
  gradOutput: Tensor? = null,
  retainGraph: Boolean = false,
  createGraph: Boolean = false,
  allowUnused: Boolean = false,
): List<Tensor?> =
  Autograd.grad(
      arrayOf(output),
      inputs.toTypedArray(),
      gradOutput?.let { arrayOf(it) },
      retainGraph,
      createGraph,
      allowUnused,
    )
    .asList()
