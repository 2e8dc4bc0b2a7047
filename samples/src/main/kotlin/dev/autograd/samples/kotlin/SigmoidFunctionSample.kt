// Seed 003: sigmoid as a custom function that saves its result for backward.
package dev.autograd.samples.kotlin

import dev.autograd.core.Context
import dev.autograd.core.Tensor
import dev.autograd.dsl.AutogradFunction
import dev.autograd.dsl.div
import dev.autograd.dsl.exp
import dev.autograd.dsl.grad
import dev.autograd.dsl.minus
import dev.autograd.dsl.onesLike
import dev.autograd.dsl.plus
import dev.autograd.dsl.tensor
import dev.autograd.dsl.times
import dev.autograd.dsl.unaryMinus

/** sigmoid(x) = 1 / (1 + e^-x); its derivative is s (1 - s), computed from the saved result. */
class SigmoidFunction : AutogradFunction() {
  override fun forward(ctx: Context, vararg inputs: Tensor): Tensor {
    val result = 1 / (1 + exp(-inputs[0]))
    ctx.saveForBackward(result)
    return result
  }

  override fun backward(ctx: Context, gradOutput: Tensor): Array<Tensor?> {
    val (result) = ctx.savedTensors()
    return arrayOf(gradOutput * result * (1 - result))
  }
}

fun main() {
  val x = tensor(1.0, 2.0, 3.0, requiresGrad = true)
  val sigmoid = SigmoidFunction()
  val y = sigmoid(x)
  y.backward(onesLike(x))
  println(y)
  println(x.grad) // tensor([0.1966, 0.1050, 0.0452])
}
