package dev.autograd.dsl

import dev.autograd.core.Tensor
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe

class TransformsSpec :
  FunSpec({
    val x = tensor(listOf(1.0, -2.0, 0.5))

    fun Tensor.values(): List<Double> = toDoubleArray().map { Math.round(it * 1e9) / 1e9 }

    test("jacobian and hessian of simple functions") {
      jacobian(x) { it * it }.values() shouldBe listOf(2.0, 0.0, 0.0, 0.0, -4.0, 0.0, 0.0, 0.0, 1.0)
      hessian(x) { (it pow 3).sum() }.values() shouldBe
        listOf(6.0, 0.0, 0.0, 0.0, -12.0, 0.0, 0.0, 0.0, 3.0)
      val blocks = jacobian(listOf(x, x)) { (a, b) -> listOf(a * b) }
      blocks.size shouldBe 1
      blocks[0][1].values() shouldBe listOf(1.0, 0.0, 0.0, 0.0, -2.0, 0.0, 0.0, 0.0, 0.5)
    }

    test("the README's example") {
      val v = tensor(listOf(1.0, 1.0, 2.0))
      val j = jacobian(x) { it * it }
      val h = hessian(x) { (it pow 3).sum() }
      val (y, hv) = hvp(x, v) { (it pow 3).sum() }
      j.shape shouldBe listOf(3, 3)
      h.shape shouldBe listOf(3, 3)
      y.values() shouldBe listOf(-6.875)
      hv.values() shouldBe listOf(6.0, -12.0, 6.0)
    }

    test("products return the value and the product") {
      val v = tensor(listOf(1.0, 1.0, 2.0))
      val (y, jv) = jvp(x, v) { it * it }
      y.values() shouldBe listOf(1.0, 4.0, 0.25)
      jv.values() shouldBe listOf(2.0, -4.0, 2.0)
      vjp(x, v) { it * it }.second.values() shouldBe listOf(2.0, -4.0, 2.0)
      hvp(x, v) { (it pow 3).sum() }.second.values() shouldBe listOf(6.0, -12.0, 6.0)
      vhp(x, v) { (it pow 3).sum() }.second.values() shouldBe listOf(6.0, -12.0, 6.0)
    }
  })
