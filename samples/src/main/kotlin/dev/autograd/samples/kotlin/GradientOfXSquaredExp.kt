// Seed 000, example 1: the gradient of y = x^2 * exp(x) at x = 2 is (2x + x^2) e^x = 8 e^2 =
// 59.1124.
package dev.autograd.samples.kotlin

import dev.autograd.dsl.exp
import dev.autograd.dsl.grad
import dev.autograd.dsl.pow
import dev.autograd.dsl.tensor
import dev.autograd.dsl.times

fun main() {
  val x = tensor(2.0, requiresGrad = true)
  val y = (x pow 2) * exp(x) // brackets: infix pow binds looser than *
  y.backward()
  println(y)
  println(x.grad) // tensor(59.1124)
  println(
    "The seed's comment says tensor(18.); PyTorch prints tensor(59.1124), since dy/dx = (2x + x^2) e^x = 8e^2 at x = 2"
  )
}
