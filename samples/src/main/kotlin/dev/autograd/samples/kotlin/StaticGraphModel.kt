// Seed 003, "static graph": the second weight is w2a or w2b depending on the previous loss. The
// seed compiles `model` with torch.jit.script; here it runs eagerly (the graph is rebuilt each
// step). Tracing a function once and replaying its graph is a planned feature, not yet available.
// The seed as written fails in PyTorch at its first step: w2a is unused while the loss is >= 5, so
// w2a.grad is None and `w2a -= learning_rate * w2a.grad` raises a TypeError; this sample says so
// when it happens and skips weights without a gradient.
package dev.autograd.samples.kotlin

import dev.autograd.core.Tensor
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

fun model(x: Tensor, y: Tensor, w1: Tensor, w2a: Tensor, w2b: Tensor, prevLoss: Double): Tensor {
  val w2 = if (prevLoss < 5.0) w2a else w2b
  val yPred = clamp(x mm w1, min = 0) mm w2
  return ((yPred - y) pow 2).sum()
}

fun main() {
  manualSeed(0)
  val (n, dIn, h, dOut) = listOf(64, 1000, 100, 10)
  val x = randn(n, dIn)
  val y = randn(n, dOut)
  val w1 = randn(dIn, h, requiresGrad = true)
  val w2a = randn(h, dOut, requiresGrad = true)
  val w2b = randn(h, dOut, requiresGrad = true)
  var prevLoss = 5.0
  val learningRate = 1e-6
  var first = 0.0
  var reported = false
  for (t in 0 until 500) {
    val loss = model(x, y, w1, w2a, w2b, prevLoss)
    prevLoss = loss.item()
    if (t == 0) first = prevLoss
    if (t % 100 == 99) println("step ${t + 1} loss %.4f".format(prevLoss))
    loss.backward()
    noGrad {
      for ((name, w) in listOf("w1" to w1, "w2a" to w2a, "w2b" to w2b)) {
        val g = w.grad // null for w2a while the loss stays >= 5: it is never used
        if (g == null) {
          if (!reported) {
            println("step ${t + 1}: $name.grad is null; the seed as written fails here in PyTorch ($name.grad is None, so" +
              " '$name -= learning_rate * $name.grad' raises TypeError); this sample skips it")
            reported = true
          }
          continue
        }
        w -= learningRate * g
        g.zero_()
      }
    }
  }
  println("loss %.1f -> %.1f in 500 steps; w2a used: ${w2a.grad != null}".format(first, prevLoss))
}
