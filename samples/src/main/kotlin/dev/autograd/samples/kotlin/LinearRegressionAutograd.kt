// Seed 002, part 2: the same regression with autograd computing dw and db; updates by hand.
package dev.autograd.samples.kotlin

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

fun main() {
  manualSeed(1)
  val batch = 8
  val x = randn(batch, 1) * 20
  val y = x * 2 + 3
  val w = rand(1, 1, requiresGrad = true)
  val b = zeros(1, 1, requiresGrad = true)
  val lr = 0.001
  for (i in 0 until 20000) {
    val yPred = (x mm w) + b.expandAs(y)
    val loss = (((yPred - y) pow 2) / batch).sum()
    if (i % 2000 == 0) println("step $i loss %.6f".format(loss.item()))
    if (loss.item() < 0.01) {
      println("converged after $i steps: w = %.4f, b = %.4f".format(w.item(), b.item()))
      break
    }
    loss.backward()
    noGrad {
      w -= lr * w.grad!!
      b -= lr * b.grad!!
    }
    w.grad!!.zero_() // gradients accumulate: clear them before the next step
    b.grad!!.zero_()
  }
}
