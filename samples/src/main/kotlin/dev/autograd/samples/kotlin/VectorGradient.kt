// Seed 003: y = x0^2 + x1^3 at x = [2, 3]; prints tensor([ 4., 27.]).
package dev.autograd.samples.kotlin

import dev.autograd.dsl.get
import dev.autograd.dsl.grad
import dev.autograd.dsl.plus
import dev.autograd.dsl.pow
import dev.autograd.dsl.tensor

fun main() {
  val x = tensor(2.0, 3.0, requiresGrad = true)
  val y = (x[0] pow 2) + (x[1] pow 3)
  y.backward()
  println(x.grad) // tensor([ 4., 27.])
}
