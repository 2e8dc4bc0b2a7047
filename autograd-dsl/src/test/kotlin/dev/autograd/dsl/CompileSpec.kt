package dev.autograd.dsl

import dev.autograd.core.DType
import dev.autograd.core.Tensor
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

class CompileSpec :
  FunSpec({
    test("compile takes one, two or three tensors and replays after the first call") {
      val double = compile { x -> x * 2 }
      val add = compile { x, y -> x + y }
      val fma = compile { x, y, z -> x * y + z }
      val x = tensor(1.0, 2.0)
      val y = tensor(3.0, 4.0)
      repeat(3) {
        double(x).toDoubleArray().toList() shouldBe listOf(2.0, 4.0)
        add(x, y).toDoubleArray().toList() shouldBe listOf(4.0, 6.0)
        fma(x, y, x).toDoubleArray().toList() shouldBe listOf(4.0, 10.0)
      }
      double.replayCount() shouldBe 2
      add.replayCount() shouldBe 2
      fma.replayCount() shouldBe 2
      shouldThrow<IllegalArgumentException> { add(x) }.message shouldContain
        "takes 2 tensor argument(s), got 1"
    }

    test(
      "the seed's model: if (prevLoss < 5.0) is a guard, both branches are traced, and training matches eager"
    ) {
      manualSeed(3)
      fun model(
        x: Tensor,
        y: Tensor,
        w1: Tensor,
        w2a: Tensor,
        w2b: Tensor,
        prevLoss: Tensor,
      ): Tensor {
        val w2 = if (prevLoss < 5.0) w2a else w2b
        val yPred = clamp(x mm w1, min = 0) mm w2
        return ((yPred - y) pow 2).sum()
      }
      val graph = compileN { a -> model(a[0], a[1], a[2], a[3], a[4], a[5]) }
      fun weights() =
        List(3) { i ->
          randn(if (i == 0) 1000 else 100, if (i == 0) 100 else 10, requiresGrad = true)
        }
      val x = randn(64, 1000)
      val y = randn(64, 10)
      val eager = weights()
      val compiled = eager.map { it.detach().clone().requiresGrad_() }
      var pe = 5.0
      var pc = 5.0
      val seen = mutableSetOf<Boolean>()
      repeat(200) {
        val le = model(x, y, eager[0], eager[1], eager[2], tensor(pe, dtype = DType.FLOAT64))
        val lc =
          graph(x, y, compiled[0], compiled[1], compiled[2], tensor(pc, dtype = DType.FLOAT64))
        pe = le.item()
        pc = lc.item()
        pc shouldBe pe
        seen += pe < 5.0
        le.backward()
        lc.backward()
        noGrad {
          for ((we, wc) in eager.zip(compiled)) {
            val ge = we.grad ?: continue
            we -= 1e-6 * ge
            wc -= 1e-6 * wc.grad!!
            ge.zero_()
            wc.grad!!.zero_()
          }
        }
        compiled.zip(eager).forEach { (c, e) ->
          c.toFloatArray().toList() shouldBe e.toFloatArray().toList()
        }
      }
      seen shouldBe setOf(true, false)
      graph.traceCount() shouldBe
        3 // compareTo's outcomes: 5.0 itself (the first call), above, below
      graph.explain() shouldContain "came out"
    }

    test(
      "a whole training step in Kotlin: backward, w -= lr * w.grad and zero_ inside compile replay like eager"
    ) {
      manualSeed(5)
      val x = randn(32, 20)
      val y = randn(32, 3)
      val we = randn(20, 3, requiresGrad = true)
      val wc = we.detach().clone().requiresGrad_()
      fun step(w: Tensor): Tensor {
        val loss = ((x mm w) - y).pow(2).mean()
        loss.backward()
        noGrad {
          w -= 0.1 * w.grad!!
          w.grad!!.zero_()
        }
        return loss
      }
      val compiled = compile { w -> step(w) }
      repeat(20) {
        val le = step(we)
        val lc = compiled(wc)
        lc.item() shouldBe le.item()
        wc.toFloatArray().toList() shouldBe we.toFloatArray().toList()
      }
      (compiled.replayCount() >= 17) shouldBe true
    }

    test("compareTo on one-element tensors") {
      (tensor(3.0) < 5.0) shouldBe true
      (tensor(3.0) >= 5.0) shouldBe false
      (tensor(5.0) <= tensor(5.0)) shouldBe true
      shouldThrow<IllegalStateException> { tensor(1.0, 2.0) < 5.0 }.message shouldContain
        "ambiguous"
    }
  })
