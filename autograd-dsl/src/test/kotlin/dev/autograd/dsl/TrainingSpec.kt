package dev.autograd.dsl

import dev.autograd.core.DType
import dev.autograd.core.Generator
import dev.autograd.core.Tensor
import dev.autograd.nn.CrossEntropyLoss
import dev.autograd.nn.MSELoss
import dev.autograd.nn.Sequential
import dev.autograd.nn.data.DataLoader
import dev.autograd.nn.data.TensorDataset
import dev.autograd.nn.optim.StepLR
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.shouldBe

private fun regressionData(): TensorDataset {
  val gen = Generator(11)
  val x = Tensor.randn(gen, DType.FLOAT32, 40, 3)
  val y = (x mm tensor(floatArrayOf(1f, -2f, 0.5f), 3, 1)) + 0.3
  return TensorDataset(x, y)
}

private fun smallNet(seed: Long): Sequential = sequential {
  linear(3, 8, gen = Generator(seed))
  tanh()
  dropout(0.2, gen = Generator(seed + 1))
  linear(8, 1, gen = Generator(seed + 2))
}

class TrainingSpec :
  FunSpec({
    test("fit equals the plain loop it stands for: same seeds, same weights") {
      val data = regressionData()

      val model = smallNet(1)
      val optimizer = sgd(model.parameters(), lr = 0.05, momentum = 0.9)
      val history =
        model.fit(DataLoader(data, 8, true, false, Generator(5)), optimizer, MSELoss(), epochs = 3)

      val reference = smallNet(1)
      val refOptimizer = sgd(reference.parameters(), lr = 0.05, momentum = 0.9)
      val criterion = MSELoss()
      val loader = DataLoader(data, 8, true, false, Generator(5))
      val losses = mutableListOf<Double>()
      for (epoch in 1..3) {
        reference.train()
        for ((x, y) in loader) {
          refOptimizer.zeroGrad()
          val loss = criterion(reference(x), y)
          loss.backward()
          refOptimizer.step()
          losses += loss.item()
        }
      }

      for ((name, value) in model.stateDict()) {
        value.toDoubleArray() shouldBe reference.stateDict()[name]!!.toDoubleArray()
      }
      history.stepLosses shouldBe losses
    }

    test("fit fills a TrainingHistory: per-step and per-epoch losses, stats and metrics") {
      val data = regressionData()
      val model = smallNet(2)
      val steps = mutableListOf<StepStats>()
      val epochs = mutableListOf<EpochStats>()
      val validation = DataLoader(data, 40)
      val history =
        model.fit(
          DataLoader(data, 16),
          adam(model.parameters(), lr = 0.02),
          loss = { output, target -> ((output - target) pow 2).mean() },
          epochs = 4,
          metrics = mapOf("mse" to { model.evaluate(validation, MSELoss()) }),
          onStep = { steps += it },
        ) {
          epochs += it
        }

      history.stepLosses.size shouldBe 12 // 40 samples in batches of 16: 3 per epoch
      history.epochLosses.size shouldBe 4
      history.epochLosses[0] shouldBe (history.stepLosses.take(3).average() plusOrMinus 1e-12)
      history.epochs shouldBe epochs
      epochs.map { it.epoch } shouldBe listOf(1, 2, 3, 4)
      epochs.all { it.batches == 3 && it.seconds >= 0.0 } shouldBe true
      steps.map { it.globalStep } shouldBe (1..12).toList()
      steps.map { it.step } shouldBe listOf(1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3)
      steps.map { it.loss } shouldBe history.stepLosses
      history.metrics.keys shouldBe setOf("mse")
      history.metrics["mse"]!!.size shouldBe 4
      (history.metrics["mse"]!!.last() < history.metrics["mse"]!!.first()) shouldBe true
      history.toString().startsWith("TrainingHistory(epochs=4, steps=12, loss=") shouldBe true
      model.isTraining shouldBe true // evaluate restored the mode
    }

    test("a history passed in keeps growing across fit calls") {
      val data = regressionData()
      val model = smallNet(3)
      val optimizer = sgd(model.parameters(), lr = 0.01)
      val history = TrainingHistory()
      model.fit(DataLoader(data, 20), optimizer, MSELoss(), epochs = 2, history = history)
      val steps = mutableListOf<Int>()
      model.fit(
        DataLoader(data, 20),
        optimizer,
        MSELoss(),
        epochs = 1,
        history = history,
        onStep = { steps += it.globalStep },
      )
      history.stepLosses.size shouldBe 6
      history.epochLosses.size shouldBe 3
      steps shouldBe listOf(5, 6)
      @Suppress("UNCHECKED_CAST")
      shouldThrow<UnsupportedOperationException> {
        (history.stepLosses as MutableList<Double>).add(1.0)
      }
    }

    test("a learning-rate scheduler steps in the epoch callback") {
      val data = regressionData()
      val model = smallNet(6)
      val optimizer = sgd(model.parameters(), lr = 0.1)
      val scheduler = StepLR(optimizer, 2, 0.5)
      val rates = mutableListOf<Double>()
      model.fit(DataLoader(data, 20), optimizer, MSELoss(), epochs = 4) {
        rates += optimizer.paramGroups()[0].lr()
        scheduler.step()
      }
      rates shouldBe listOf(0.1, 0.1, 0.05, 0.05)
    }

    test("evaluate runs in eval mode without recording and restores the mode") {
      val data = regressionData()
      val model = smallNet(4)
      var sawTraining: Boolean? = null
      var sawGrad: Boolean? = null
      model.eval()
      val mse =
        model.evaluate(DataLoader(data, 7)) { output, target ->
          sawTraining = model[2].isTraining
          sawGrad = output.requiresGrad
          ((output - target) pow 2).mean().item()
        }
      sawTraining shouldBe false
      sawGrad shouldBe false
      model.isTraining shouldBe false
      val all = noGrad { ((model(data.tensors()[0]) - data.tensors()[1]) pow 2).mean().item() }
      mse shouldBe (all plusOrMinus 1e-6) // batch means weighted by batch size: 7+7+...+5
      model.train()
      model.evaluate(DataLoader(data, 40), MSELoss()) shouldBe
        (all plusOrMinus 1e-6) // dropout off inside
      model.isTraining shouldBe true
    }

    test("accuracy compares the argmax of each row with the class index") {
      val logits =
        tensor(
          listOf(
            listOf(2.0, 1.0, 0.0),
            listOf(0.0, 3.0, 1.0),
            listOf(0.0, 0.0, 5.0),
            listOf(1.0, 1.0, 0.0),
          )
        )
      accuracy(logits, tensor(longArrayOf(0, 1, 2, 1))) shouldBe 0.75 // ties pick the first index
      accuracy(logits, tensor(longArrayOf(0, 1, 2, 0))) shouldBe 1.0
      shouldThrow<IllegalArgumentException> { accuracy(logits, tensor(longArrayOf(0, 1))) }
        .message shouldBe "accuracy: expected logits [N, C] and targets [N], got [4, 3] and [2]"
    }

    test("fit reports a missing target") {
      val model = smallNet(5)
      val loader = listOf(arrayOf(randn(2, 3)))
      shouldThrow<IllegalArgumentException> {
          model.fit(loader, sgd(model.parameters(), lr = 0.1), CrossEntropyLoss())
        }
        .message shouldBe "fit: expected batches [input, target], got 1 tensor(s)"
    }
  })
