// Seed 001: requiresGrad, requiresGrad_(), gradFn, detach().
package dev.autograd.samples.kotlin

import dev.autograd.dsl.gradFn
import dev.autograd.dsl.manualSeed
import dev.autograd.dsl.plus
import dev.autograd.dsl.randn
import dev.autograd.dsl.requiresGrad

fun main() {
  manualSeed(0)
  val a = randn(5, 3, requiresGrad = true)
  val b = randn(5, 3)
  println("${a.requiresGrad}, ${b.requiresGrad}") // true, false
  b.requiresGrad = true
  println(b.requiresGrad) // true

  val p = randn(3, 3)
  val q = randn(3, 3, requiresGrad = true)
  val c = p + q
  println(c.requiresGrad) // true: c depends on q
  println("${p.gradFn}, ${q.gradFn}, ${c.gradFn}") // null, null, <AddBackward0>

  val d = c.detach()
  println(d.requiresGrad) // false
}
