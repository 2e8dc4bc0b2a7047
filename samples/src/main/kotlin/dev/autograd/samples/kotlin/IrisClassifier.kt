// Real training in Kotlin: Fisher's Iris flowers with a 4-16-3 MLP, cross-entropy and Adam; 120
// flowers to train, 30 held out. Prints the held-out accuracy.
package dev.autograd.samples.kotlin

import dev.autograd.core.Generator
import dev.autograd.dsl.accuracy
import dev.autograd.dsl.adam
import dev.autograd.dsl.evaluate
import dev.autograd.dsl.fit
import dev.autograd.dsl.sequential
import dev.autograd.nn.CrossEntropyLoss
import dev.autograd.nn.data.DataLoader
import dev.autograd.nn.data.Datasets
import dev.autograd.nn.data.Iris

fun main() {
  val gen = Generator(0)
  val (train, test) = Datasets.randomSplit(Iris.load(), intArrayOf(120, 30), gen)
  val model = sequential {
    linear(4, 16, gen = gen)
    relu()
    linear(16, 3, gen = gen)
  }
  model.fit(
    DataLoader(train, 16, true, false, gen), // reshuffled every epoch
    adam(model.parameters(), lr = 0.01),
    CrossEntropyLoss(),
    epochs = 100,
  ) { stats ->
    if (stats.epoch % 20 == 0) println("epoch ${stats.epoch}: mean training loss %.4f".format(stats.meanLoss))
  }
  val testAccuracy = model.evaluate(DataLoader(test, 30), ::accuracy)
  println("test accuracy %.1f%% (30 held-out flowers)".format(100 * testAccuracy))
}
