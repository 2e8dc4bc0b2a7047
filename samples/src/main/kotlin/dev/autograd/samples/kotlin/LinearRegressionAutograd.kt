// Seed 002, part 2: the same regression with autograd computing dw and db, updated by hand. First
// the seed's program as written (lr 0.001, at most 3000 steps, stop below loss 0.05), then
// training goes on to a tighter 0.01 (at most 20,000 steps in all).
package dev.autograd.samples.kotlin

import dev.autograd.core.Tensor
import dev.autograd.dsl.div
import dev.autograd.dsl.grad
import dev.autograd.dsl.manualSeed
import dev.autograd.dsl.minus
import dev.autograd.dsl.minusAssign
import dev.autograd.dsl.mm
import dev.autograd.dsl.noGrad
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
): Int {
  val batch = x.size(0)
  for (i in from until to) {
    val yPred = (x mm w) + b.expandAs(y)
    val loss = (((yPred - y) pow 2) / batch).sum()
    if (i % 500 == 0) println("step $i loss %.6f".format(loss.item()))
    if (loss.item() < threshold) {
      println("converged after $i steps: w = %.4f, b = %.4f".format(w.item(), b.item()))
      return i
    }
    loss.backward()
    noGrad {
      w -= lr * w.grad!!
      b -= lr * b.grad!!
    }
    w.grad!!.zero_() // gradients accumulate: clear them before the next step
    b.grad!!.zero_()
  }
  println("not below $threshold after $to steps: w = %.4f, b = %.4f".format(w.item(), b.item()))
  return -1
}

fun main() {
  manualSeed(1)
  val batch = 8
  val x = randn(batch, 1) * 20
  val y = x * 2 + 3
  val w = rand(1, 1, requiresGrad = true)
  val b = zeros(1, 1, requiresGrad = true)
  val lr = 0.001

  println("The seed as written: lr 0.001, at most 3000 steps, stop below loss 0.05")
  val reached = fit(x, y, w, b, lr, 0, 3000, 0.05)
  println("Going on to loss 0.01 (at most 20,000 steps in all):")
  fit(x, y, w, b, lr, if (reached < 0) 3000 else reached, 20_000, 0.01)
}
