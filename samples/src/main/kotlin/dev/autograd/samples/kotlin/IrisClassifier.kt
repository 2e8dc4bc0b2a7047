// Real training in Kotlin: Fisher's Iris flowers with a 4-16-3 MLP, cross-entropy and Adam; 120
// flowers to train, 30 held out. Prints the held-out accuracy.
package dev.autograd.samples.kotlin

import dev.autograd.core.Generator
import dev.autograd.dsl.noGrad
import dev.autograd.nn.CrossEntropyLoss
import dev.autograd.nn.Linear
import dev.autograd.nn.ReLU
import dev.autograd.nn.Sequential
import dev.autograd.nn.data.DataLoader
import dev.autograd.nn.data.Datasets
import dev.autograd.nn.data.Iris
import dev.autograd.nn.optim.Adam

fun main() {
  val gen = Generator(0)
  val (train, test) = Datasets.randomSplit(Iris.load(), intArrayOf(120, 30), gen)
  val model = Sequential(Linear(4, 16, true, gen), ReLU(), Linear(16, 3, true, gen))
  val lossFn = CrossEntropyLoss()
  val optimizer = Adam(model.parameters(), 0.01)
  for (epoch in 1..100) {
    var sum = 0.0
    val batches = DataLoader(train, 16, true, false, gen)
    for ((x, y) in batches) {
      optimizer.zeroGrad()
      val loss = lossFn.forward(model.forward(x), y)
      loss.backward()
      optimizer.step()
      sum += loss.item()
    }
    if (epoch % 20 == 0) println("epoch $epoch: mean training loss %.4f".format(sum / batches.numBatches()))
  }
  model.eval()
  val correct = noGrad {
    val (x, y) = DataLoader(test, 30).first()
    model.forward(x).argmax(1, false).eq(y).sum().item()
  }
  println("test accuracy %.1f%% (30 held-out flowers)".format(100 * correct / 30))
}
