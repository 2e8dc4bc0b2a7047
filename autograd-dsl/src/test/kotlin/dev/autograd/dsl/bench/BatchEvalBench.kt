package dev.autograd.dsl.bench

import dev.autograd.core.Autograd
import dev.autograd.core.Generator
import dev.autograd.core.Tensor
import dev.autograd.dsl.batchEval
import dev.autograd.dsl.defaultParallelism
import dev.autograd.dsl.grad
import dev.autograd.dsl.minus
import dev.autograd.dsl.mm
import dev.autograd.dsl.pow
import dev.autograd.dsl.randn
import dev.autograd.dsl.tanh
import kotlinx.coroutines.runBlocking

/**
 * Timed benchmark (not a unit test): 64 independent forward + backward passes of a small MLP (a
 * [32, 64] batch through 64→128→10 with tanh, squared error, `grad` w.r.t. both weights), evaluated
 * sequentially and with `batchEval` on all cores. Prints the median of several runs.
 *
 * Run from the repository root after `mvn -B -o -pl autograd-dsl -am test-compile`: see
 * autograd-dsl/README-dsl.md ("Benchmark") for the java command line.
 */
fun main(args: Array<String>) {
  val runs = args.getOrNull(0)?.toInt() ?: 9
  val samples = 64
  val gen = Generator(7)
  val w1 = randn(64, 128, generator = gen).mul(0.1).requiresGrad_(true)
  val w2 = randn(128, 10, generator = gen).mul(0.1).requiresGrad_(true)
  val xs = List(samples) { Tensor.randn(gen, dev.autograd.core.DType.FLOAT32, 32, 64) }
  val ys = List(samples) { Tensor.randn(gen, dev.autograd.core.DType.FLOAT32, 32, 10) }

  fun one(i: Int): Double {
    val loss = (((tanh(xs[i] mm w1)) mm w2) - ys[i]).pow(2).sum()
    val (g1, g2) = grad(loss, listOf(w1, w2))
    return g1!!.sum().item() + g2!!.sum().item()
  }
  fun sequential(): List<Double> = List(samples) { one(it) }
  fun parallel(): List<Double> = runBlocking { batchEval((0 until samples).toList()) { one(it) } }

  check(sequential() == parallel()) { "parallel results differ from sequential ones" }
  repeat(5) {
    sequential()
    parallel()
  } // warm-up (JIT)
  println("load average before: ${loadAverage()}")
  val seqMs = mutableListOf<Double>()
  val parMs = mutableListOf<Double>()
  repeat(runs) {
    seqMs += timeMs { sequential() }
    parMs += timeMs { parallel() }
  }
  val seq = seqMs.sorted()[runs / 2]
  val par = parMs.sorted()[runs / 2]
  println(
    "kernels: ${Autograd.kernels()}, processors: ${Runtime.getRuntime().availableProcessors()}, parallelism: $defaultParallelism"
  )
  println(
    "sequential: median %.2f ms  (runs: %s)".format(seq, seqMs.joinToString { "%.1f".format(it) })
  )
  println(
    "batchEval:  median %.2f ms  (runs: %s)".format(par, parMs.joinToString { "%.1f".format(it) })
  )
  println("speed-up (median sequential / median batchEval): %.2fx".format(seq / par))
  println(
    "speed-up of the fastest runs (min / min, least disturbed by other load): %.2fx"
      .format(seqMs.min() / parMs.min())
  )
  println("load average after: ${loadAverage()}")
}

private inline fun timeMs(block: () -> Unit): Double {
  val t0 = System.nanoTime()
  block()
  return (System.nanoTime() - t0) / 1e6
}

private fun loadAverage(): String =
  java.lang.management.ManagementFactory.getOperatingSystemMXBean().systemLoadAverage.let {
    "%.2f".format(it)
  }
