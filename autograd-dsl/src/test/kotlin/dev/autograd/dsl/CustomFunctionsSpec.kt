package dev.autograd.dsl

import dev.autograd.core.Context
import dev.autograd.core.DType
import dev.autograd.core.Function
import dev.autograd.core.Gradcheck
import dev.autograd.core.Tensor
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe

/** Seed 000's MyReLU in Kotlin: a custom function with a member invoke. */
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

/**
 * Seed 003's SigmoidFunction, a plain subclass of core's Function (called through the invoke
 * extension).
 */
class SigmoidFunction : Function() {
  override fun forward(ctx: Context, vararg inputs: Tensor): Tensor {
    val result = 1 / (1 + exp(-inputs[0]))
    ctx.saveForBackward(result)
    return result
  }

  override fun backward(ctx: Context, gradOutput: Tensor): Array<Tensor?> {
    val (result) = ctx.savedTensors()
    return arrayOf(gradOutput * result * (1 - result))
  }
}

class CustomFunctionsSpec :
  FunSpec({
    test("class form: MyReLU gives grad [0, 1, 0] for [-1, 2, -3] (seed 000)") {
      val x = tensor(-1.0, 2.0, -3.0, requiresGrad = true)
      val myRelu = MyReLU()
      val y = myRelu(x).sum()
      y.backward()
      x.grad!!.toDoubleArray() shouldBe doubleArrayOf(0.0, 1.0, 0.0)
      myRelu(x).gradFn!!.name() shouldBe "MyReLUBackward"
      val relu = MyReLU() // the member invoke wins over the top-level relu(x)
      relu(x).gradFn!!.name() shouldBe "MyReLUBackward"
    }

    test("class form: the seed's SigmoidFunction with y.backward(onesLike(x)) (seed 003)") {
      val x = tensor(1.0, 2.0, 3.0, requiresGrad = true)
      val sigmoidFn = SigmoidFunction()
      val y = sigmoidFn(x)
      y.gradFn!!.name() shouldBe "SigmoidFunctionBackward"
      y.backward(onesLike(x))
      val s = doubleArrayOf(1.0, 2.0, 3.0).map { 1 / (1 + Math.exp(-it)) }
      x.grad!!.toDoubleArray().shouldBeCloseTo(s.map { it * (1 - it) }.toDoubleArray(), 1e-6)
      y.toDoubleArray().shouldBeCloseTo(s.toDoubleArray(), 1e-6)
    }

    test("lambda form: customFunction equals the class form and passes gradcheck") {
      val myRelu =
        customFunction(
          name = "MyReLU",
          forward = { ctx, x ->
            ctx.saveForBackward(x)
            x.clampMin(0.0)
          },
          backward = { ctx, g ->
            val (x) = ctx.savedTensors()
            g.maskedFill(x lt 0, 0.0)
          },
        )
      val x = tensor(-1.0, 2.0, -3.0, requiresGrad = true)
      val y = myRelu(x)
      y.gradFn!!.name() shouldBe "MyReLUBackward"
      val relu = myRelu // a local with a member invoke wins over the top-level relu(x)
      relu(x).gradFn!!.name() shouldBe "MyReLUBackward"
      y.sum().backward()
      x.grad!!.toDoubleArray() shouldBe doubleArrayOf(0.0, 1.0, 0.0)
      val cube =
        customFunction(
          forward = { ctx, t ->
            ctx.saveForBackward(t)
            t pow 3
          },
          backward = { ctx, g ->
            val (t) = ctx.savedTensors()
            g * 3 * (t pow 2)
          },
        )
      Gradcheck.assertGradients({ inputs -> cube(inputs[0]) }, leaf(4, seed = 3).to(DType.FLOAT64))
    }

    test("two-input and n-input lambda forms") {
      val mul =
        customFunction2(
          name = "MyMul",
          forward = { ctx, a, b ->
            ctx.saveForBackward(a, b)
            a * b
          },
          backward = { ctx, g ->
            val (a, b) = ctx.savedTensors()
            (if (ctx.needsInputGrad(0)) g * b else null) to
              (if (ctx.needsInputGrad(1)) g * a else null)
          },
        )
      sameAsCore(
        listOf(leaf(3, seed = 1), leaf(3, seed = 2)),
        { (a, b) -> mul(a, b) },
        { (a, b) -> a.mul(b) },
      )
      val c = tensor(listOf(1.0, 2.0, 3.0))
      val w = tensor(listOf(2.0, 2.0, 2.0), requiresGrad = true)
      mul(c, w).sum().backward()
      w.grad!!.toDoubleArray() shouldBe doubleArrayOf(1.0, 2.0, 3.0)

      val sum3 =
        customFunctionN(
          name = "Sum3",
          forward = { _, xs -> xs[0] + xs[1] + xs[2] },
          backward = { _, g -> listOf(g, g, g) },
        )
      sameAsCore(
        listOf(leaf(2, seed = 1), leaf(2, seed = 2), leaf(2, seed = 3)),
        { (a, b, d) -> sum3(a, b, d) },
        { (a, b, d) -> a.add(b).add(d) },
      )
    }
  })
