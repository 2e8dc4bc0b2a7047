// Seed 002, part 1: linear regression y = 2x + 3 with gradients computed by hand. First the seed's
// program as written (lr 0.001, 1000 steps, stop below loss 0.01), whose loop computes dw and db
// but has no update lines, so w and b never move; then the same 1000 steps with the update added.
package dev.autograd.samples.kotlin

import dev.autograd.core.Tensor
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

/** Runs steps [from] until [to]; returns the step whose loss fell below [threshold], or -1. */
private fun fit(
  x: Tensor,
  y: Tensor,
  w: Tensor,
  b: Tensor,
  lr: Double,
  from: Int,
  to: Int,
  threshold: Double,
  update: Boolean,
): Int {
  val batch = x.size(0)
  for (i in from until to) {
    val yPred = (x mm w) + b.expandAs(y)
    val error = yPred - y
    val loss = ((error pow 2) / batch).sum() // mean squared error
    if (i % 200 == 0) println("step $i loss %.6f".format(loss.item()))
    if (loss.item() < threshold) {
      println("converged after $i steps: w = %.4f, b = %.4f".format(w.item(), b.item()))
      return i
    }
    val dw = (x.T mm error) / batch // the seed's gradients, by hand
    val db = error.sum()
    if (update) {
      w -= lr * dw
      b -= lr * db
    }
  }
  return -1
}

fun main() {
  manualSeed(1)
  val batch = 8
  val x = randn(batch, 1) * 20
  val y = x * 2 + 3
  val w = rand(1, 1)
  val b = zeros(1, 1)
  val w0 = w.clone()
  val lr = 0.001

  println("The seed as written: lr 0.001, 1000 steps, stop below loss 0.01")
  fit(x, y, w, b, lr, 0, 1000, 0.01, update = false)
  println(
    "after 1000 steps: w = %.4f, b = %.4f; the seed never updates w and b (its loop lacks"
      .format(w.item(), b.item()) + " w -= lr * dw and b -= lr * db), so its loss never changes"
  )

  println("With the update added, from the same start:")
  w.copy_(w0)
  if (fit(x, y, w, b, lr, 0, 1000, 0.01, update = true) < 0) {
    println("not below 0.01 after 1000 steps: w = %.4f, b = %.4f".format(w.item(), b.item()))
  }
}
