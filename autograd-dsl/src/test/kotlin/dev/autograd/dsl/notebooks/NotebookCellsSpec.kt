package dev.autograd.dsl.notebooks

import dev.autograd.core.Context
import dev.autograd.core.DType
import dev.autograd.core.Gradcheck
import dev.autograd.core.Tensor
import dev.autograd.dsl.AutogradFunction
import dev.autograd.dsl.batchEval
import dev.autograd.dsl.clamp
import dev.autograd.dsl.customFunction
import dev.autograd.dsl.dataParallelBackward
import dev.autograd.dsl.exp
import dev.autograd.dsl.get
import dev.autograd.dsl.grad
import dev.autograd.dsl.gradFn
import dev.autograd.dsl.graph
import dev.autograd.dsl.lt
import dev.autograd.dsl.manualSeed
import dev.autograd.dsl.minus
import dev.autograd.dsl.minusAssign
import dev.autograd.dsl.mm
import dev.autograd.dsl.noGrad
import dev.autograd.dsl.perSampleGrads
import dev.autograd.dsl.plus
import dev.autograd.dsl.pow
import dev.autograd.dsl.randn
import dev.autograd.dsl.set
import dev.autograd.dsl.sigmoid
import dev.autograd.dsl.tensor
import dev.autograd.dsl.times
import dev.autograd.dsl.withNoGrad
import dev.autograd.nn.CrossEntropyLoss
import dev.autograd.nn.Linear
import dev.autograd.nn.ReLU
import dev.autograd.nn.Sequential
import dev.autograd.core.Generator
import dev.autograd.nn.data.DataLoader
import dev.autograd.nn.data.Iris
import dev.autograd.nn.optim.Adam
import dev.autograd.nn.display.History
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.shouldBe

/**
 * The DSL cells of the sample notebooks (samples/notebooks/), run here because the test kit's
 * Kotlin 1.6 compiler cannot call the DSL. Each `nb.cell` starts a notebook cell; the generator
 * copies the code up to the next `nb.cell` into the notebook, without the assertion lines (those
 * with `shouldBe`), and `nb.out(v)` becomes the cell's last line `v`.
 */
class NotebookCellsSpec : FunSpec({
  test("notebook 02: custom functions") {
    val nb = CellRecorder("02-custom-functions")
    nb.cell("class-form")
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

    val x = tensor(-1.0, 2.0, -3.0, requiresGrad = true)
    val myRelu = MyReLU()
    val y = myRelu(x).sum()
    y.backward()
    nb.out(x.grad)
    x.grad!!.toDoubleArray() shouldBe doubleArrayOf(0.0, 1.0, 0.0)

    nb.cell("class-graph")
    nb.out(myRelu(x * 2).sum().graph())

    nb.cell("lambda-form")
    val roundSte = customFunction(
      name = "RoundSTE",
      forward = { _, t -> t.round() },
      backward = { _, grad -> grad }, // straight-through: d round(x)/dx taken as 1
    )
    val w = tensor(0.4, 1.6, -2.2, requiresGrad = true)
    val q = roundSte(w)
    (q * q).sum().backward()
    println("q = $q")
    nb.out(w.grad)
    w.grad!!.toDoubleArray() shouldBe doubleArrayOf(0.0, 4.0, -4.0)

    nb.cell("sigmoid-gradcheck")
    val mySigmoid = customFunction(
      name = "MySigmoid",
      forward = { ctx, t -> sigmoid(t).also { ctx.saveForBackward(it) } },
      backward = { ctx, grad ->
        val (s) = ctx.savedTensors()
        grad * s * (1 - s) // d sigmoid = s (1 - s)
      },
    )
    manualSeed(0)
    val z = randn(5, dtype = DType.FLOAT64, requiresGrad = true)
    Gradcheck.assertGradients({ inputs -> mySigmoid(inputs[0]) }, z)
    println("gradcheck passed: analytical and numerical gradients agree")
    nb.out(mySigmoid(z))
    mySigmoid(z).gradFn!!.name() shouldBe "MySigmoidBackward"
    nb.save()
  }

  test("notebook 03: the seed's two-layer network with manual SGD") {
    val nb = CellRecorder("03-training")
    nb.cell("two-layer-net")
    manualSeed(0)
    val n = 64
    val dIn = 1000
    val h = 100
    val dOut = 10
    val x = randn(n, dIn)
    val y = randn(n, dOut)
    val w1 = randn(dIn, h, requiresGrad = true)
    val w2 = randn(h, dOut, requiresGrad = true)
    val learningRate = 1e-6
    val history = History()
    for (t in 0 until 500) {
      val yPred = clamp(x mm w1, min = 0) mm w2
      val loss = ((yPred - y) pow 2).sum()
      history.step(loss.item())
      if (t % 100 == 99) println("step ${t + 1}: loss ${"%.2f".format(loss.item())}")
      loss.backward()
      noGrad {
        w1 -= learningRate * w1.grad!!
        w2 -= learningRate * w2.grad!!
        w1.grad!!.zero_()
        w2.grad!!.zero_()
      }
    }
    nb.out(history)
    (history.stepLosses().last() < history.stepLosses().first() / 100) shouldBe true
    nb.save()
  }

  test("notebook 04: coroutine batch evaluation") {
    val nb = CellRecorder("04-batch-eval")
    nb.cell("model")
    manualSeed(0)
    val iris = Iris.load().tensors()
    val features = iris[0]
    val labels = iris[1]
    val model = Sequential(Linear(4, 16), ReLU(), Linear(16, 3))
    nb.out(model)

    nb.cell("batch-eval")
    val samples = (0 until 150).map { i -> features[i].unsqueeze(0) }
    val logits = withNoGrad { batchEval(samples, parallelism = 4) { s -> model.forward(s) } }
    println("${logits.size} outputs, each ${logits[0].shape().toList()}")
    nb.out(logits[0])
    logits.size shouldBe 150

    nb.cell("per-sample-grads")
    val lossFn = CrossEntropyLoss()
    val params = model.parameters()
    val grads = perSampleGrads((0 until 8).toList(), params) { i ->
      lossFn.forward(model.forward(features[i].unsqueeze(0)), labels[i].unsqueeze(0))
    }
    println("norm of each sample's gradient of 0.weight: " + grads.map { "%.4f".format(it[0].norm().item()) })
    nb.out(grads[0][0])
    grads.size shouldBe 8

    nb.cell("data-parallel")
    model.zeroGrad()
    val shards = features.chunk(4, 0).zip(labels.chunk(4, 0))
    val total = dataParallelBackward(shards) { (xs, ys) -> lossFn.forward(model.forward(xs), ys) * (xs.size(0) / 150.0) }
    val parallelGrad = params[0].grad()!!.clone()
    model.zeroGrad()
    lossFn.forward(model.forward(features), labels).backward()
    println("loss over all shards: ${"%.6f".format(total)}")
    println("max |shard-summed grad - full-batch grad| = ${"%.2e".format((parallelGrad - params[0].grad()!!).abs().max().item())}")
    total shouldBe (lossFn.forward(model.forward(features), labels).item() plusOrMinus 1e-5)
    nb.save()
  }

  test("the README's notebook section (samples/notebooks/README-section.md) runs as written") {
    val x = tensor(2.0, requiresGrad = true)
    val y = (x pow 2) * exp(x)
    y.backward()
    x.grad.toString() shouldBe "tensor(59.1124)"
    y.graph().svg().contains("MulBackward0") shouldBe true

    manualSeed(0)
    val (features, labels) = Iris.load().tensors()
    val model = Sequential(Linear(4, 16), ReLU(), Linear(16, 3))
    val lossFn = CrossEntropyLoss()
    val optimizer = Adam(model.parameters(), 0.01)
    val loader = DataLoader(Iris.load(), 16, true, false, Generator(0))
    val history = History()
    for (epoch in 1..30) {
      model.train()
      for ((xb, yb) in loader) {
        val loss = lossFn.forward(model.forward(xb), yb)
        optimizer.zeroGrad()
        loss.backward()
        optimizer.step()
        history.step(loss.item())
      }
      history.endEpoch()
      model.eval()
      val accuracy = noGrad { model.forward(features).argmax(1, false).eq(labels).to(DType.FLOAT64).mean().item() }
      history.metric("accuracy", accuracy)
    }
    (history.metrics()["accuracy"]!!.last() > 0.9) shouldBe true
    (history.epochLosses().last() < history.epochLosses().first() / 2) shouldBe true
    history.toHtml().startsWith("<img ") shouldBe true
  }
})
