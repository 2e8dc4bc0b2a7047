// Seed 000, example 3: y = 2x + 3 with nn.Linear(1, 1), MSELoss and SGD (lr 0.01), 100 epochs.
package dev.autograd.samples.kotlin

import dev.autograd.core.Tensor
import dev.autograd.dsl.KModule
import dev.autograd.dsl.manualSeed
import dev.autograd.dsl.plus
import dev.autograd.dsl.rand
import dev.autograd.dsl.sgd
import dev.autograd.dsl.times
import dev.autograd.nn.Linear
import dev.autograd.nn.MSELoss

/** The seed's model: one Linear layer. */
class LinearRegression : KModule() {
  val linear by module(Linear(1, 1))

  override fun forward(input: Tensor): Tensor = linear(input)
}

fun main() {
  manualSeed(0)
  val model = LinearRegression()
  val criterion = MSELoss()
  val optimizer = sgd(model.parameters(), lr = 0.01)
  for (epoch in 0 until 100) {
    val x = rand(100, 1)
    val y = 2 * x + 3

    val outputs = model(x)
    val loss = criterion(outputs, y)

    optimizer.zeroGrad()
    loss.backward()
    optimizer.step()

    if ((epoch + 1) % 10 == 0) println("Epoch [${epoch + 1}/100], Loss: %.4f".format(loss.item()))
  }
}
