// Seed 003: SimpleNet (Linear(10, 50) - ReLU - Linear(50, 1)), MSELoss and SGD steps.
package dev.autograd.samples.kotlin

import dev.autograd.core.Tensor
import dev.autograd.dsl.KModule
import dev.autograd.dsl.manualSeed
import dev.autograd.dsl.randn
import dev.autograd.dsl.sgd
import dev.autograd.nn.Linear
import dev.autograd.nn.MSELoss
import dev.autograd.nn.ReLU

class SimpleNet : KModule() {
  val fc1 by module(Linear(10, 50))
  val relu by module(ReLU())
  val fc2 by module(Linear(50, 1))

  override fun forward(input: Tensor): Tensor {
    var x = fc1(input)
    x = relu(x)
    x = fc2(x)
    return x
  }
}

fun main() {
  manualSeed(0)
  val model = SimpleNet()
  val criterion = MSELoss()
  val optimizer = sgd(model.parameters(), lr = 0.01)

  val input = randn(5, 10)
  val target = randn(5, 1)

  val output = model(input)
  var loss = criterion(output, target)

  optimizer.zeroGrad()
  loss.backward()
  optimizer.step()

  println(model)
  println("loss before the step: %.4f".format(loss.item()))
  for (step in 2..100) {
    loss = criterion(model(input), target)
    optimizer.zeroGrad()
    loss.backward()
    optimizer.step()
  }
  println("loss after 100 steps: %.4f".format(loss.item()))
}
