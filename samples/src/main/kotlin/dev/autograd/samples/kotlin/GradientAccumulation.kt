// Seed 001: gradient accumulation. Gradients add up in .grad across backward calls, so
// accumulationSteps mini-batches, each loss divided by accumulationSteps, act as one big batch.
package dev.autograd.samples.kotlin

import dev.autograd.core.Generator
import dev.autograd.dsl.div
import dev.autograd.dsl.grad
import dev.autograd.dsl.manualSeed
import dev.autograd.dsl.minus
import dev.autograd.dsl.mm
import dev.autograd.dsl.noGrad
import dev.autograd.dsl.plus
import dev.autograd.dsl.randn
import dev.autograd.dsl.sgd
import dev.autograd.dsl.tensor
import dev.autograd.dsl.times
import dev.autograd.nn.Linear
import dev.autograd.nn.MSELoss
import dev.autograd.nn.data.DataLoader
import dev.autograd.nn.data.TensorDataset

fun main() {
  println(
    "The seed's loop is a fragment (net, criterion, optimizer, trainloader and evaluate_model are not" +
      " defined there); here they are a Linear(4, 1) regression, MSELoss, SGD(lr 0.1), batches of 16 and the loss on all data"
  )
  manualSeed(0)
  val trueW = tensor(floatArrayOf(1.5f, -2f, 0.5f, 3f), 4, 1)
  val x = randn(512, 4)
  val y = (x mm trueW) + 1 + 0.1 * randn(512, 1)
  val trainloader = DataLoader(TensorDataset(x, y), 16, true, false, Generator(0))

  val net = Linear(4, 1)
  val criterion = MSELoss()
  val optimizer = sgd(net.parameters(), lr = 0.1)
  val accumulationSteps = 4
  val evaluationSteps = 32

  // The accumulated gradient of 4 x 16 samples equals the gradient of the 64 samples at once.
  val bigX = x.narrow(0, 0, 64)
  val bigY = y.narrow(0, 0, 64)
  criterion(net(bigX), bigY).backward()
  val full = net.weight().grad!!.clone()
  optimizer.zeroGrad()
  for (k in 0 until accumulationSteps) {
    val loss = criterion(net(bigX.narrow(0, 16 * k, 16)), bigY.narrow(0, 16 * k, 16))
    (loss / accumulationSteps).backward()
  }
  println(
    "accumulated vs one-batch gradient, max difference: %.2e"
      .format((net.weight().grad!! - full).abs().max().item())
  )
  optimizer.zeroGrad()

  for (epoch in 1..3) {
    for ((i, batch) in trainloader.withIndex()) {
      val (inputs, labels) = batch
      val outputs = net(inputs) // forward pass
      var loss = criterion(outputs, labels) // loss
      loss = loss / accumulationSteps // normalise by the number of accumulated batches
      loss.backward() // gradients add up in .grad
      if ((i + 1) % accumulationSteps == 0) {
        optimizer.step() // update with the accumulated gradient
        optimizer.zeroGrad() // then clear it
        if ((i + 1) % evaluationSteps == 0) {
          val all = noGrad { criterion(net(x), y).item() }
          println("epoch $epoch batch ${i + 1}: loss on all data %.4f".format(all))
        }
      }
    }
  }
  println("learned weight ${net.weight()} (true [1.5, -2, 0.5, 3]), bias ${net.bias()}")
}
