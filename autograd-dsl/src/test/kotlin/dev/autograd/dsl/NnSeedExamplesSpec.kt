package dev.autograd.dsl

import dev.autograd.core.DType
import dev.autograd.core.Generator
import dev.autograd.core.Tensor
import dev.autograd.nn.CrossEntropyLoss
import dev.autograd.nn.Linear
import dev.autograd.nn.MSELoss
import dev.autograd.nn.ReLU
import dev.autograd.nn.data.DataLoader
import dev.autograd.nn.data.Datasets
import dev.autograd.nn.data.Iris
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.shouldBe

// The seed tutorials' nn examples (../shared/seeds/) written in the DSL.

/** Seed 003's SimpleNet. */
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

/** Seed 000's LinearRegression. */
class LinearRegression : KModule() {
  val linear by module(Linear(1, 1))

  override fun forward(input: Tensor): Tensor = linear(input)
}

/** A model with a raw `by parameter` weight, for the accumulation example. */
class Affine(inFeatures: Int, outFeatures: Int) : KModule() {
  val weight by parameter(randn(inFeatures, outFeatures) * 0.1)
  val bias by parameter(zeros(outFeatures))

  override fun forward(input: Tensor): Tensor = (input mm weight) + bias
}

class NnSeedExamplesSpec :
  FunSpec({
    test("seed 003: SimpleNet, MSELoss and one SGD step lower the loss on that batch") {
      manualSeed(0)
      val model = SimpleNet()
      val criterion = MSELoss()
      val optimizer = sgd(model.parameters(), lr = 0.01)

      val input = randn(5, 10)
      val target = randn(5, 1)

      val output = model(input)
      val loss = criterion(output, target)

      optimizer.zeroGrad()
      loss.backward()
      optimizer.step()

      val after = criterion(model(input), target)
      (after.item() < loss.item()) shouldBe true
      model.stateDict().keys.toList() shouldBe
        listOf("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias")
      model.toString() shouldBe
        """
        SimpleNet(
          (fc1): Linear(in_features=10, out_features=50, bias=True)
          (relu): ReLU()
          (fc2): Linear(in_features=50, out_features=1, bias=True)
        )
        """
          .trimIndent()
    }

    test(
      "seed 000: LinearRegression with nn.Linear(1, 1), MSELoss and SGD(lr = 0.01) for 100 epochs"
    ) {
      manualSeed(0)
      val model = LinearRegression()
      val criterion = MSELoss()
      val optimizer = sgd(model.parameters(), lr = 0.01)
      val printed = mutableListOf<Double>()
      for (epoch in 0 until 100) {
        val x = rand(100, 1)
        val y = 2 * x + 3

        val outputs = model(x)
        val loss = criterion(outputs, y)

        optimizer.zeroGrad()
        loss.backward()
        optimizer.step()

        if ((epoch + 1) % 10 == 0) {
          println("Epoch [${epoch + 1}/100], Loss: ${"%.4f".format(loss.item())}")
          printed += loss.item()
        }
      }
      printed.size shouldBe 10
      printed.zipWithNext().all { (a, b) -> b < a } shouldBe true
      (printed.last() < printed.first() / 4) shouldBe true
    }

    test(
      "seed 001: gradients of 4 backward calls, then one step, equal one step on the summed loss"
    ) {
      val accumulationSteps = 4
      manualSeed(5)
      val batches =
        List(accumulationSteps) { randn(6, 3).to(DType.FLOAT64) to randn(6, 2).to(DType.FLOAT64) }
      fun freshModel(): Affine {
        manualSeed(6)
        return Affine(3, 2).also { it.to(DType.FLOAT64) }
      }
      val criterion = MSELoss()

      val net = freshModel()
      val optimizer = sgd(net.parameters(), lr = 0.1, momentum = 0.9)
      for ((i, batch) in batches.withIndex()) {
        val (inputs, labels) = batch
        val outputs = net(inputs)
        var loss = criterion(outputs, labels)
        loss = loss / accumulationSteps
        loss.backward()
        if ((i + 1) % accumulationSteps == 0) {
          optimizer.step()
          optimizer.zeroGrad()
        }
      }

      val reference = freshModel()
      val refOptimizer = sgd(reference.parameters(), lr = 0.1, momentum = 0.9)
      val total =
        batches
          .map { (inputs, labels) -> criterion(reference(inputs), labels) }
          .reduce(Tensor::add) / accumulationSteps
      total.backward()
      refOptimizer.step()

      net.weight.dtype shouldBe DType.FLOAT64
      maxRelativeError(net.weight.toDoubleArray(), reference.weight.toDoubleArray()) shouldBe
        (0.0 plusOrMinus 1e-12)
      maxRelativeError(net.bias.toDoubleArray(), reference.bias.toDoubleArray()) shouldBe
        (0.0 plusOrMinus 1e-12)
      net.weight.grad shouldBe null
    }

    test(
      "an Iris classifier built with sequential { } and trained with fit reaches 95% held-out accuracy"
    ) {
      val gen = Generator(0)
      val (trainSet, testSet) = Datasets.randomSplit(Iris.load(), intArrayOf(120, 30), gen)
      val model = sequential {
        linear(4, 16, gen = gen)
        relu()
        linear(16, 3, gen = gen)
      }
      val testLoader = DataLoader(testSet, 30)
      val history =
        model.fit(
          DataLoader(trainSet, 16, true, false, gen),
          adam(model.parameters(), lr = 0.01),
          CrossEntropyLoss(),
          epochs = 100,
          metrics = mapOf("accuracy" to { model.evaluate(testLoader, ::accuracy) }),
        ) { stats ->
          if (stats.epoch % 25 == 0)
            println("epoch ${stats.epoch}: loss ${"%.4f".format(stats.meanLoss)}")
        }
      val heldOut = model.evaluate(testLoader, ::accuracy)
      (heldOut >= 0.95) shouldBe true
      history.metrics["accuracy"]!!.last() shouldBe heldOut
      (history.epochLosses.last() < history.epochLosses.first() / 5) shouldBe true
    }
  })
