// Seed 002, part 1: linear regression y = 2x + 3 with gradients computed by hand.
package dev.autograd.samples.kotlin

import dev.autograd.dsl.T
import dev.autograd.dsl.div
import dev.autograd.dsl.manualSeed
import dev.autograd.dsl.minus
import dev.autograd.dsl.minusAssign
import dev.autograd.dsl.mm
import dev.autograd.dsl.plus
import dev.autograd.dsl.pow
import dev.autograd.dsl.rand
import dev.autograd.dsl.randn
import dev.autograd.dsl.times
import dev.autograd.dsl.zeros

fun main() {
  manualSeed(1)
  val batch = 8
  val x = randn(batch, 1) * 20
  val y = x * 2 + 3
  val w = rand(1, 1)
  val b = zeros(1, 1)
  val lr = 0.001
  for (i in 0 until 20000) {
    val yPred = (x mm w) + b.expandAs(y)
    val error = yPred - y
    val loss = ((error pow 2) / batch).sum() // mean squared error
    if (i % 2000 == 0) println("step $i loss %.6f".format(loss.item()))
    if (loss.item() < 0.01) {
      println("converged after $i steps: w = %.4f, b = %.4f".format(w.item(), b.item()))
      break
    }
    val dw = (x.T mm error) / batch // d loss / dw, by hand
    val db = error.sum()
    w -= lr * dw
    b -= lr * db
  }
}
