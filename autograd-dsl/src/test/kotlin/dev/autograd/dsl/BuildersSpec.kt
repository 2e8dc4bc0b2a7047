package dev.autograd.dsl

import dev.autograd.core.DType
import dev.autograd.core.Generator
import dev.autograd.nn.AvgPool2d
import dev.autograd.nn.BatchNorm1d
import dev.autograd.nn.Conv2d
import dev.autograd.nn.Dropout
import dev.autograd.nn.Embedding
import dev.autograd.nn.Flatten
import dev.autograd.nn.GELU
import dev.autograd.nn.LayerNorm
import dev.autograd.nn.LeakyReLU
import dev.autograd.nn.Linear
import dev.autograd.nn.LogSoftmax
import dev.autograd.nn.MaxPool2d
import dev.autograd.nn.ReLU
import dev.autograd.nn.Sequential
import dev.autograd.nn.SiLU
import dev.autograd.nn.Sigmoid
import dev.autograd.nn.Softmax
import dev.autograd.nn.Tanh
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeInstanceOf
import io.kotest.matchers.types.shouldBeSameInstanceAs

class BuildersSpec :
  FunSpec({
    test("sequential { } is nn.Sequential: same names, values and printout") {
      val model = sequential {
        linear(10, 50, gen = Generator(1))
        relu()
        linear(50, 1, gen = Generator(2))
      }
      val reference =
        Sequential(Linear(10, 50, true, Generator(1)), ReLU(), Linear(50, 1, true, Generator(2)))
      model.stateDict().keys.toList() shouldBe listOf("0.weight", "0.bias", "2.weight", "2.bias")
      model.stateDict().keys shouldBe reference.stateDict().keys
      for ((k, v) in model.stateDict()) v.toDoubleArray() shouldBe
        reference.stateDict()[k]!!.toDoubleArray()
      model.toString() shouldBe reference.toString()
      val x = randn(5, 10)
      model(x).toDoubleArray() shouldBe reference(x).toDoubleArray()
    }

    test("every layer function appends the nn layer with the constructor's defaults") {
      manualSeed(7)
      val model = sequential {
        conv2d(1, 4, 3, padding = 1)
        maxPool2d(2)
        avgPool2d(2)
        flatten()
        layerNorm(16)
        linear(16, 8)
        batchNorm1d(8)
        leakyRelu(0.1)
        gelu()
        silu()
        tanh()
        sigmoid()
        dropout(0.1)
        linear(8, 3, bias = false)
        softmax(dim = 1)
      }
      model.children().map { it::class.simpleName } shouldBe
        listOf(
          "Conv2d",
          "MaxPool2d",
          "AvgPool2d",
          "Flatten",
          "LayerNorm",
          "Linear",
          "BatchNorm1d",
          "LeakyReLU",
          "GELU",
          "SiLU",
          "Tanh",
          "Sigmoid",
          "Dropout",
          "Linear",
          "Softmax",
        )
      model[0].shouldBeInstanceOf<Conv2d>().weight().shape shouldBe listOf(4, 1, 3, 3)
      model[1].shouldBeInstanceOf<MaxPool2d>()
      model[2].shouldBeInstanceOf<AvgPool2d>()
      model[3].shouldBeInstanceOf<Flatten>()
      model[4].shouldBeInstanceOf<LayerNorm>()
      model[6].shouldBeInstanceOf<BatchNorm1d>()
      model[7].shouldBeInstanceOf<LeakyReLU>().toString() shouldBe "LeakyReLU(negative_slope=0.1)"
      model[8].shouldBeInstanceOf<GELU>()
      model[9].shouldBeInstanceOf<SiLU>()
      model[10].shouldBeInstanceOf<Tanh>()
      model[11].shouldBeInstanceOf<Sigmoid>()
      model[12].shouldBeInstanceOf<Dropout>()
      model[13].shouldBeInstanceOf<Linear>().bias() shouldBe null
      model[14].shouldBeInstanceOf<Softmax>()
      model.stateDict().keys.toList() shouldBe
        listOf(
          "0.weight",
          "0.bias",
          "4.weight",
          "4.bias",
          "5.weight",
          "5.bias",
          "6.weight",
          "6.bias",
          "6.running_mean",
          "6.running_var",
          "6.num_batches_tracked",
          "13.weight",
        )
      val y = model(randn(2, 1, 8, 8))
      y.shape shouldBe listOf(2, 3)
      y.sum(1).toDoubleArray().forEach { (Math.abs(it - 1.0) < 1e-5) shouldBe true }
    }

    test("embedding, logSoftmax, +module, nested blocks and lambda { }") {
      manualSeed(8)
      val head = Linear(8, 5)
      lateinit var inner: Sequential
      val model = sequential {
        embedding(10, 4, paddingIdx = 0)
        flatten()
        lambda { x -> x * 2 }
        inner = sequential {
          +head
          relu()
        }
        +inner
        lambda("Scores") { x ->
          logSoftmax(x, 1)
        } // the top-level function: the builder's needs no tensor
        logSoftmax(dim = 1)
      }
      model[0].shouldBeInstanceOf<Embedding>().weight()[0].toDoubleArray() shouldBe DoubleArray(4)
      model[3] shouldBeSameInstanceAs inner
      inner[0] shouldBeSameInstanceAs head
      model[5].shouldBeInstanceOf<LogSoftmax>()
      model.stateDict().keys.toList() shouldBe listOf("0.weight", "3.0.weight", "3.0.bias")
      model.toString().contains("(2): Lambda()") shouldBe true
      model.toString().contains("(4): Scores()") shouldBe true
      val out = model(tensor(listOf(listOf(1, 2), listOf(0, 9))))
      out.shape shouldBe listOf(2, 5)
      exp(out).sum(1).toDoubleArray().forEach { (Math.abs(it - 1.0) < 1e-5) shouldBe true }
    }

    test("the builder's functions return the layer they appended") {
      lateinit var fc: Linear
      val model = sequential {
        fc = linear(3, 2)
        tanh()
      }
      model[0] shouldBeSameInstanceAs fc
      model.to(DType.FLOAT64)
      fc.weight().dtype shouldBe DType.FLOAT64
    }
  })
