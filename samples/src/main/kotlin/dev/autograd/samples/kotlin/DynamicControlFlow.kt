// Seed 003: ordinary Kotlin control flow inside the forward pass; the graph follows the branch
// taken.
package dev.autograd.samples.kotlin

import dev.autograd.core.Tensor
import dev.autograd.dsl.div
import dev.autograd.dsl.grad
import dev.autograd.dsl.gradFn
import dev.autograd.dsl.onesLike
import dev.autograd.dsl.tensor
import dev.autograd.dsl.times

fun dynamicModel(x: Tensor, threshold: Double): Tensor =
  if (x.sum().item() > threshold) x * 2 else x / 2

fun main() {
  val x = tensor(1.0, 2.0, 3.0, requiresGrad = true)
  val y = dynamicModel(x, threshold = 5.0)
  y.backward(onesLike(x))
  println(y.gradFn!!.name()) // MulBackward0: the sum 6 is above 5
  println(x.grad) // tensor([2., 2., 2.])

  val z = tensor(1.0, 2.0, 3.0, requiresGrad = true)
  dynamicModel(z, threshold = 10.0).backward(onesLike(z))
  println(z.grad) // tensor([0.5000, 0.5000, 0.5000])
}
