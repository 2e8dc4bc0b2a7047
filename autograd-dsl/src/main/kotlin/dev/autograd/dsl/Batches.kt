package dev.autograd.dsl

import dev.autograd.core.Tensor
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope

// Coroutine-parallel evaluation. Each call of the user's block builds its own graph (graphs never
// share mutable state; see Engine), so evaluations are independent; parameters shared between
// them are only read in forward, and their .grad accumulation is synchronized per leaf in core
// (AccumulateGrad in the engine).
//
// Structured concurrency: everything runs in a coroutineScope, so a failing evaluation cancels
// the others and its exception is rethrown to the caller, and cancelling the caller cancels the
// evaluations (those not started never run; a running one stops at its next suspension point,
// e.g. ensureActive()).

/** The default bound on concurrent evaluations: one per available processor. */
public val defaultParallelism: Int
  get() = Runtime.getRuntime().availableProcessors()

/**
 * Evaluates `block` for every input concurrently on [Dispatchers.Default], at most `parallelism`
 * running at a time (suspended evaluations do not count), and returns the results in input order.
 * Each evaluation runs in the caller's grad mode (see [withNoGrad]) and builds its own graph.
 */
@OptIn(
  ExperimentalCoroutinesApi::class
) // limitedParallelism: experimental in coroutines 1.6, stable since 1.9
public suspend fun <T, R> batchEval(
  inputs: List<T>,
  parallelism: Int = defaultParallelism,
  block: suspend (T) -> R,
): List<R> {
  require(parallelism > 0) { "parallelism must be positive, got $parallelism" }
  val context =
    Dispatchers.Default.limitedParallelism(parallelism) + GradModeElement(currentGradMode())
  return coroutineScope { inputs.map { input -> async(context) { block(input) } }.awaitAll() }
}

/**
 * Per-sample gradients (JAX's `vmap(grad(loss))`): for every sample, the gradient of `loss(sample)`
 * (a one-element tensor) with respect to each of `params`, computed concurrently with
 * `Autograd.grad` on the sample's own graph. `.grad` of the parameters is not touched; a parameter
 * the loss does not use gets a zero gradient. Result: `grads[sample][param]`.
 */
public suspend fun <T> perSampleGrads(
  samples: List<T>,
  params: List<Tensor>,
  parallelism: Int = defaultParallelism,
  loss: suspend (T) -> Tensor,
): List<List<Tensor>> = withEnableGrad {
  batchEval(samples, parallelism) { sample ->
    grad(loss(sample), params, allowUnused = true).mapIndexed { i, g -> g ?: zerosLike(params[i]) }
  }
}

/**
 * Data-parallel backward of a minibatch: evaluates `loss(shard)` for every shard concurrently and
 * calls `backward()` on each, so the gradients of all shards accumulate into the parameters'
 * `.grad` — the same gradient as one backward of the sum of the shard losses (so use a loss that
 * adds up over shards: a sum, or a mean divided by the number of shards). Returns that sum. Split a
 * batch with `chunk`, e.g. `x.chunk(4).zip(y.chunk(4))`.
 */
public suspend fun <T> dataParallelBackward(
  shards: List<T>,
  parallelism: Int = defaultParallelism,
  loss: suspend (T) -> Tensor,
): Double = withEnableGrad {
  batchEval(shards, parallelism) { shard ->
      val l = loss(shard)
      l.backward()
      l.item()
    }
    .sum()
}
