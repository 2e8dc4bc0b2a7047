// Seed 003: the two-layer network (N=64, D_in=1000, H=100, D_out=10) trained with manual SGD for
// 500 steps, the update inside noGrad { }. Writes the loss curve (log scale) to
// target/plots/kt.TwoLayerNet.png or --plot FILE.
package dev.autograd.samples.kotlin

import dev.autograd.core.Autograd
import dev.autograd.dsl.clamp
import dev.autograd.dsl.grad
import dev.autograd.dsl.manualSeed
import dev.autograd.dsl.minus
import dev.autograd.dsl.minusAssign
import dev.autograd.dsl.mm
import dev.autograd.dsl.noGrad
import dev.autograd.dsl.pow
import dev.autograd.dsl.randn
import dev.autograd.dsl.times
import dev.autograd.samples.Args
import dev.autograd.samples.LossPlot

/** The seed's training loop; returns the loss of every step. */
fun trainTwoLayerNet(): List<Double> {
  manualSeed(0)
  val (n, dIn, h, dOut) = listOf(64, 1000, 100, 10)
  val x = randn(n, dIn)
  val y = randn(n, dOut)
  val w1 = randn(dIn, h, requiresGrad = true)
  val w2 = randn(h, dOut, requiresGrad = true)
  val learningRate = 1e-6
  val losses = ArrayList<Double>()
  for (t in 0 until 500) {
    val yPred = clamp(x mm w1, min = 0) mm w2
    val loss = ((yPred - y) pow 2).sum()
    losses += loss.item()
    if (t % 100 == 99) println("step ${t + 1} loss %.4f".format(losses.last()))
    loss.backward()
    noGrad {
      w1 -= learningRate * w1.grad!!
      w2 -= learningRate * w2.grad!!
      w1.grad!!.zero_()
      w2.grad!!.zero_()
    }
  }
  return losses
}

fun main(args: Array<String>) {
  val plot = Args(args).path("plot", LossPlot.defaultPath("kt.TwoLayerNet"))
  val start = System.nanoTime()
  val losses = trainTwoLayerNet()
  val ms = (System.nanoTime() - start) / 1e6
  println(
    "loss %.1f -> %.4f in 500 steps (%.0f ms, %.0f µs/step, %s kernels)"
      .format(losses.first(), losses.last(), ms, ms * 1000 / 500, Autograd.kernels())
  )
  LossPlot.save(
    plot,
    "Two-layer net, manual SGD",
    "step",
    1.0,
    true,
    listOf("sum of squared errors"),
    listOf(losses),
  )
}
