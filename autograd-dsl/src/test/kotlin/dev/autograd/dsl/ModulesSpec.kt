package dev.autograd.dsl

import dev.autograd.core.DType
import dev.autograd.core.Generator
import dev.autograd.core.Tensor
import dev.autograd.nn.BatchNorm1d
import dev.autograd.nn.Dropout
import dev.autograd.nn.LSTM
import dev.autograd.nn.Linear
import dev.autograd.nn.MSELoss
import dev.autograd.nn.ReLU
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeSameInstanceAs

/** A module with every kind of registered member, as PyTorch would name them. */
class Block : KModule() {
  val fc1 by module(Linear(4, 3, true, Generator(1)))
  val scale by parameter(ones(3))
  val norm by module(BatchNorm1d(3))
  val drop by module(Dropout(0.5))
  var steps by buffer(zeros(1))
  val fc2 by module(Linear(3, 2, false, Generator(2)))

  override fun forward(input: Tensor): Tensor = fc2(drop(norm(relu(fc1(input)) * scale)))
}

class ModulesSpec :
  FunSpec({
    test("by module / parameter / buffer register under the property names, in declaration order") {
      val block = Block()
      block.stateDict().keys.toList() shouldBe
        listOf(
          "scale",
          "steps",
          "fc1.weight",
          "fc1.bias",
          "norm.weight",
          "norm.bias",
          "norm.running_mean",
          "norm.running_var",
          "norm.num_batches_tracked",
          "fc2.weight",
        )
      block.namedParameters().keys.toList() shouldBe
        listOf("scale", "fc1.weight", "fc1.bias", "norm.weight", "norm.bias", "fc2.weight")
      block.parameters().size shouldBe 6
      block.parameters()[0] shouldBeSameInstanceAs block.scale
      block.parameters()[1] shouldBeSameInstanceAs block.fc1.weight()
      block.namedChildren().keys.toList() shouldBe listOf("fc1", "norm", "drop", "fc2")
      block.scale.requiresGrad shouldBe true
      block.scale.isLeaf shouldBe true
    }

    test("train() and eval() reach every registered submodule") {
      val block = Block()
      block.eval()
      block.modules().all { !it.isTraining } shouldBe true
      block.drop.isTraining shouldBe false
      val x = randn(5, 4)
      block(x).toDoubleArray() shouldBe block(x).toDoubleArray() // dropout off, running stats
      block.train()
      block.norm.isTraining shouldBe true
      block.drop.isTraining shouldBe true
    }

    test("parameters are looked up by name, so they follow to(FLOAT64)") {
      val block = Block()
      val before = block.scale
      block.to(DType.FLOAT64)
      block.scale.dtype shouldBe DType.FLOAT64
      (block.scale === before) shouldBe false
      block.parameters()[0] shouldBeSameInstanceAs block.scale
      block.steps.dtype shouldBe DType.FLOAT64
      block.eval()
      block(randn(2, 4).to(DType.FLOAT64)).dtype shouldBe DType.FLOAT64
    }

    test("a var buffer can be replaced; the state dict sees the new tensor") {
      val block = Block()
      block.steps = tensor(floatArrayOf(7f))
      block.stateDict()["steps"]!!.item() shouldBe 7.0
      block.buffer("steps") shouldBeSameInstanceAs block.steps
    }

    test("gradients reach a `by parameter` tensor through the module call operator") {
      val block = Block()
      block(randn(6, 4)).sum().backward()
      block.scale.grad!!.shape shouldBe listOf(3)
      block.fc1.weight().grad!!.shape shouldBe listOf(3, 4)
    }

    test("module(x) and loss(output, target) are the member invoke of nn Module and Loss") {
      val fc = Linear(3, 2, true, Generator(5))
      val x = randn(4, 3)
      fc(x).toDoubleArray() shouldBe fc.forward(x).toDoubleArray()
      val criterion = MSELoss()
      val y = zeros(4, 2)
      criterion(fc(x), y).item() shouldBe criterion.forward(fc.forward(x), y).item()
    }

    test("lstm(x, h0, c0) destructures into output, hN and cN") {
      val lstm = LSTM(3, 4, 2, true, false, Generator(9))
      val x = randn(5, 2, 3)
      val (output, hN, cN) = lstm(x, zeros(2, 2, 4), zeros(2, 2, 4))
      output.shape shouldBe listOf(5, 2, 4)
      hN.shape shouldBe listOf(2, 2, 4)
      cN.shape shouldBe listOf(2, 2, 4)
      output.toDoubleArray() shouldBe lstm(x).toDoubleArray()
      hN[1].toDoubleArray() shouldBe
        output[4].toDoubleArray() // the last layer's final state is the last output
    }

    test("a property named like a top-level DSL function is called, not the function") {
      class Twice : KModule() {
        val relu by module(Lambda("Twice") { it * 2 })

        override fun forward(input: Tensor): Tensor =
          relu(input) // the property: member invoke wins
      }
      Twice()(tensor(-1.0, 3.0)).toDoubleArray() shouldBe doubleArrayOf(-2.0, 6.0)
      Twice().toString() shouldBe "Twice(\n  (relu): Twice()\n)"
    }

    test("names follow PyTorch's rules and a non-leaf cannot be a parameter") {
      class Bad : KModule() {
        val w by parameter(ones(2, requiresGrad = true) * 2)

        override fun forward(input: Tensor): Tensor = input * w
      }
      shouldThrow<IllegalArgumentException> { Bad() }.message shouldBe
        "cannot register 'w' as a parameter: it is not a leaf tensor (it has grad_fn MulBackward0); use detach()"
      class Plain : KModule() {
        val act by module(ReLU())

        override fun forward(input: Tensor): Tensor = act(input)
      }
      Plain().toString() shouldBe "Plain(\n  (act): ReLU()\n)"
    }
  })
