package dev.autograd.dsl

import dev.autograd.core.Autograd
import dev.autograd.core.CompiledFunction
import dev.autograd.core.Tensor

// Compiled functions in Kotlin form: `val step = compile { x, y -> ... }`, then `step(x, y)`.

/**
 * Compiles a function of one tensor: the first call traces it, later calls replay the trace (see
 * [CompiledFunction] for what the function may contain). A number that changes from call to call is
 * passed as a 0-d tensor, `tensor(prevLoss)`, and branched on with `if (prevLoss < 5.0)`: the
 * comparison is a guard, so each branch gets its own trace.
 */
public fun compile(fn: (Tensor) -> Tensor): CompiledFunction =
  Autograd.compile { a ->
    arity(a, 1)
    fn(a[0])
  }

/** [compile] for a function of two tensors. */
public fun compile(fn: (Tensor, Tensor) -> Tensor): CompiledFunction =
  Autograd.compile { a ->
    arity(a, 2)
    fn(a[0], a[1])
  }

/** [compile] for a function of three tensors. */
public fun compile(fn: (Tensor, Tensor, Tensor) -> Tensor): CompiledFunction =
  Autograd.compile { a ->
    arity(a, 3)
    fn(a[0], a[1], a[2])
  }

/** [compile] for a function of any number of tensors (called as `step(x, y, w1, w2)`). */
public fun compileN(fn: (Array<Tensor>) -> Tensor): CompiledFunction =
  Autograd.compile { a -> fn(a) }

private fun arity(args: Array<Tensor>, n: Int) {
  require(args.size == n) { "the compiled function takes $n tensor argument(s), got ${args.size}" }
}

/** Calls a compiled function: `step(x, y)`. */
public operator fun CompiledFunction.invoke(vararg args: Tensor): Tensor = call(*args)

/**
 * Compares a one-element tensor with a number, so that `if (prevLoss < 5.0)` reads like Python's
 * `prev_loss < 5.0`. Inside a compiled function the outcome is a guard ([Tensor.toBoolean]). NaN
 * compares as equal to everything (`<=` and `>=` are then true).
 */
public operator fun Tensor.compareTo(other: Number): Int {
  val o = other.toDouble()
  return when {
    lt(o).toBoolean() -> -1
    gt(o).toBoolean() -> 1
    else -> 0
  }
}

/** [compareTo] between two one-element tensors. */
public operator fun Tensor.compareTo(other: Tensor): Int =
  when {
    lt(other).toBoolean() -> -1
    gt(other).toBoolean() -> 1
    else -> 0
  }
