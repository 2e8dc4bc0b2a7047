// Seed 003: SimpleNet (Linear(10, 50) - ReLU - Linear(50, 1)), MSELoss and SGD steps.
package dev.autograd.samples.kotlin

import dev.autograd.core.Tensor
import dev.autograd.dsl.manualSeed
import dev.autograd.dsl.randn
import dev.autograd.nn.Linear
import dev.autograd.nn.MSELoss
import dev.autograd.nn.Module
import dev.autograd.nn.ReLU
import dev.autograd.nn.optim.SGD

class SimpleNet : Module() {
  private val fc1 = registerModule("fc1", Linear(10, 50))
  private val relu = registerModule("relu", ReLU())
  private val fc2 = registerModule("fc2", Linear(50, 1))

  override fun forward(input: Tensor): Tensor {
    var x = fc1.forward(input)
    x = relu.forward(x)
    x = fc2.forward(x)
    return x
  }
}

fun main() {
  manualSeed(0)
  val model = SimpleNet()
  val criterion = MSELoss()
  val optimizer = SGD(model.parameters(), 0.01)
  val input = randn(5, 10)
  val target = randn(5, 1)

  val output = model.forward(input)
  var loss = criterion.forward(output, target)
  optimizer.zeroGrad()
  loss.backward()
  optimizer.step()
  println(model)
  println("loss before the step: %.4f".format(loss.item()))
  for (step in 2..100) {
    loss = criterion.forward(model.forward(input), target)
    optimizer.zeroGrad()
    loss.backward()
    optimizer.step()
  }
  println("loss after 100 steps: %.4f".format(loss.item()))
}
