// Real training in Kotlin: Fisher's Iris flowers with a 4-16-3 MLP, cross-entropy and Adam; 120
// flowers to train, 30 held out. Prints the training and held-out accuracy and writes the loss
// curve. Arguments: --epochs N (100), --plot FILE.
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
import dev.autograd.samples.Args
import dev.autograd.samples.LossPlot

fun main(args: Array<String>) {
  val options = Args(args)
  val epochs = options.positive("epochs", 100)
  val gen = Generator(0)
  val (train, test) = Datasets.randomSplit(Iris.load(), intArrayOf(120, 30), gen)
  val model = sequential {
    linear(4, 16, gen = gen)
    relu()
    linear(16, 3, gen = gen)
  }
  val history =
    model.fit(
      DataLoader(train, 16, true, false, gen), // reshuffled every epoch
      adam(model.parameters(), lr = 0.01),
      CrossEntropyLoss(),
      epochs = epochs,
    ) { stats ->
      if (stats.epoch % 20 == 0)
        println("epoch ${stats.epoch}: mean training loss %.4f".format(stats.meanLoss))
    }
  val trainAccuracy = model.evaluate(DataLoader(train, 120), ::accuracy)
  println("train accuracy %.1f%%".format(100 * trainAccuracy))
  val testAccuracy = model.evaluate(DataLoader(test, 30), ::accuracy)
  println("test accuracy %.1f%% (30 held-out flowers)".format(100 * testAccuracy))
  LossPlot.save(
    options.path("plot", LossPlot.defaultPath("kt.IrisClassifier")),
    "Iris: 4-16-3 MLP, Adam",
    "epoch",
    history.epochLosses,
  )
}
