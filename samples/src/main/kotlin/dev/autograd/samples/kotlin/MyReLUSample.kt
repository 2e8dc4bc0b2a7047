// Seed 000, example 2: a custom ReLU as an autograd function, in class form and in lambda form.
package dev.autograd.samples.kotlin

import dev.autograd.core.Context
import dev.autograd.core.Tensor
import dev.autograd.dsl.AutogradFunction
import dev.autograd.dsl.customFunction
import dev.autograd.dsl.grad
import dev.autograd.dsl.lt
import dev.autograd.dsl.set
import dev.autograd.dsl.tensor

/** ReLU with a hand-written backward: the gradient is zeroed where the input was negative. */
class MyReLU : AutogradFunction() {
  override fun forward(ctx: Context, vararg inputs: Tensor): Tensor {
    ctx.saveForBackward(inputs[0])
    return inputs[0].clampMin(0.0)
  }

  override fun backward(ctx: Context, gradOutput: Tensor): Array<Tensor?> {
    val (input) = ctx.savedTensors()
    val gradInput = gradOutput.clone()
    gradInput[input lt 0] = 0
    return arrayOf(gradInput)
  }
}

fun main() {
  val x = tensor(-1.0, 2.0, -3.0, requiresGrad = true)
  val relu = MyReLU()
  val y = relu(x).sum()
  y.backward()
  println(x.grad) // tensor([0., 1., 0.])

  // The same function from two lambdas.
  val myRelu =
    customFunction(
      name = "MyReLU",
      forward = { ctx, input ->
        ctx.saveForBackward(input)
        input.clampMin(0.0)
      },
      backward = { ctx, g ->
        val (input) = ctx.savedTensors()
        g.maskedFill(input lt 0, 0.0)
      },
    )
  val z = tensor(-1.0, 2.0, -3.0, requiresGrad = true)
  myRelu(z).sum().backward()
  println(z.grad) // tensor([0., 1., 0.])
}
