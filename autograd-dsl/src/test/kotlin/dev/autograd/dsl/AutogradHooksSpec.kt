package dev.autograd.dsl

import dev.autograd.core.Autograd
import dev.autograd.core.DType
import dev.autograd.core.Gradcheck
import dev.autograd.core.Tensor
import dev.autograd.nn.Linear
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldStartWith
import java.io.ByteArrayOutputStream
import java.io.PrintStream

/**
 * The Kotlin forms of multi-output custom functions, saved-tensor hooks, anomaly mode,
 * backward(inputs) and module hooks.
 */
class AutogradHooksSpec :
  FunSpec({
    fun x() = tensor(doubleArrayOf(0.5, -1.5, 2.0), 3, requiresGrad = true)

    test(
      "multiOutputFunction: one node, a gradient per output (PyTorch: x.grad = [3.5, 1.25, -6])"
    ) {
      val squareAndDouble =
        multiOutputFunction(
          name = "SquareAndDouble",
          forward = { ctx, (t) ->
            ctx.saveForBackward(t)
            listOf(t * t, t * 2)
          },
          backward = { ctx, (gSq, gDbl) ->
            val (t) = ctx.savedTensors()
            listOf(t * 2 * gSq!! + gDbl!! * 2)
          },
        )
      val x = x()
      val (a, b) = squareAndDouble(x)
      a.gradFn!!.name() shouldBe "SquareAndDoubleBackward"
      (a.gradFn === b.gradFn) shouldBe true
      (a * tensor(doubleArrayOf(1.5, 0.25, -2.0), 3) + b).sum().backward()
      x.grad!!.toDoubleArray() shouldBe doubleArrayOf(3.5, 1.25, -6.0)
    }

    test("customFunction(onceDifferentiable = true) refuses double backward") {
      val cube =
        customFunction(
          name = "OnceCube",
          onceDifferentiable = true,
          forward = { ctx, t ->
            ctx.saveForBackward(t)
            t pow 3
          },
          backward = { ctx, g ->
            val (t) = ctx.savedTensors()
            g * 3 * (t pow 2)
          },
        )
      val x = x()
      val v = tensor(doubleArrayOf(1.5, 0.25, -2.0), 3, requiresGrad = true)
      val g = Autograd.grad(arrayOf(cube(x)), arrayOf(x), arrayOf(v), true, true, false)[0]
      g.toDoubleArray() shouldBe doubleArrayOf(1.125, 1.6875, -24.0)
      shouldThrow<IllegalStateException> { g.sum().backward() }.message!! shouldStartWith
        "trying to differentiate twice a function that was marked with @once_differentiable"
    }

    test(
      "savedTensorsHooks { }: pack at save time, unpack when backward reads (PyTorch: 2 and 2)"
    ) {
      var packs = 0
      var unpacks = 0
      val x = x()
      val y =
        savedTensorsHooks(
          { t: Tensor ->
            packs++
            t.to(DType.FLOAT32)
          },
          { p: Tensor ->
            unpacks++
            p.to(DType.FLOAT64)
          },
        ) {
          (x * x).sum()
        }
      y.backward()
      packs shouldBe 2
      unpacks shouldBe 2
      x.grad!!.toDoubleArray() shouldBe doubleArrayOf(1.0, -3.0, 4.0)
    }

    test("detectAnomaly { }: the forward call site is this Kotlin file and line") {
      val x = tensor(doubleArrayOf(0.0, 1.0), 2, requiresGrad = true)
      val err = System.err
      val buf = ByteArrayOutputStream()
      val e = detectAnomaly {
        val (y, line) = (x / x).sum() to Throwable().stackTrace[0].lineNumber // the division's line
        System.setErr(PrintStream(buf, true))
        val e =
          try {
            shouldThrow<IllegalStateException> { y.backward() }
          } finally {
            System.setErr(err)
          }
        val site = e.suppressed[0].stackTrace[0]
        site.fileName shouldBe "AutogradHooksSpec.kt"
        site.lineNumber shouldBe line
        e
      }
      e.message shouldBe "Function 'DivBackward0' returned nan values in its 1th output."
      buf.toString() shouldContain "Traceback of forward call that caused the error"
      buf.toString() shouldContain "AutogradHooksSpec.kt:"
      detectAnomaly(checkNan = false) { (x / x).sum().backward() }
      Autograd.isDetectAnomaly() shouldBe false
    }

    test("backward(inputs = ...) fills only the given tensors' grad") {
      val x = x()
      val w = tensor(doubleArrayOf(1.5, 0.25, -2.0), 3, requiresGrad = true)
      (x * 2 * w + w).sum().backward(inputs = listOf(x))
      x.grad!!.toDoubleArray() shouldBe doubleArrayOf(3.0, 0.5, -4.0)
      w.grad shouldBe null
    }

    test("gradcheck and gradgradcheck from Kotlin") {
      val a = x()
      Gradcheck.gradcheck({ (t) -> (t pow 3).sin() }, a) shouldBe true
      Gradcheck.gradgradcheck({ (t) -> (t pow 3).sin() }, a) shouldBe true
      shouldThrow<IllegalArgumentException> { Gradcheck.gradcheck({ (t) -> t * 2 }, a.detach()) }
    }

    test("module hooks with Kotlin lambdas") {
      val m = Linear(3, 2).also { it.to(DType.FLOAT64) }
      val pre = m.registerForwardPreHook { _, input -> input * 2 }
      var gradOut: Tensor? = null
      m.registerFullBackwardHook { _, _, gradOutput ->
        gradOut = gradOutput[0]
        null
      }
      val x = x()
      m(x).sum().backward()
      gradOut!!.toDoubleArray() shouldBe doubleArrayOf(1.0, 1.0)
      val w = m.weight().detach()
      x.grad!!.toDoubleArray().zip((w.sum(0, false) * 2).toDoubleArray()).forEach { (a, b) ->
        a shouldBe b
      }
      pre.remove()
    }
  })
