package dev.autograd.dsl

import dev.autograd.core.AutogradFunctional.Strategy
import dev.autograd.core.Tensor
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe

class ForwardModeSpec :
  FunSpec({
    val x = tensor(listOf(1.0, -2.0, 0.5))
    val v = tensor(listOf(1.0, 1.0, 2.0))

    fun Tensor.values(): List<Double> = toDoubleArray().map { Math.round(it * 1e9) / 1e9 }

    test("dual tensors in a dualLevel block") {
      val jv = dualLevel {
        val d = makeDual(x, v)
        val y = d * d
        val (primal, tangent) = unpackDual(y)
        primal.values() shouldBe listOf(1.0, 4.0, 0.25)
        tangent!!.values() shouldBe y.tangent!!.values()
        tangent
      }
      jv.values() shouldBe listOf(2.0, -4.0, 2.0) // d(x²) = 2 x v
      shouldThrow<IllegalStateException> { makeDual(x, v) }
    }

    test("jacfwd, jacrev and the forward-over-reverse Hessian") {
      val j = jacfwd { t: Tensor -> t * t }(x)
      j.values() shouldBe listOf(2.0, 0.0, 0.0, 0.0, -4.0, 0.0, 0.0, 0.0, 1.0)
      jacrev { t: Tensor -> t * t }(x).values() shouldBe j.values()
      val h = jacfwd(jacrev { t: Tensor -> (t pow 3).sum() })(x)
      h.values() shouldBe listOf(6.0, 0.0, 0.0, 0.0, -12.0, 0.0, 0.0, 0.0, 3.0)
      hessian(x, Strategy.FORWARD_MODE) { (it pow 3).sum() }.values() shouldBe h.values()
      jacobian(x, Strategy.FORWARD_MODE) { it * it }.values() shouldBe j.values()
      val blocks = jacfwd(intArrayOf(0, 1)) { (a, b) -> (a * b).sum() }(listOf(x, v))
      blocks[0].values() shouldBe v.values()
      blocks[1].values() shouldBe x.values()
      jacrev(intArrayOf(1)) { (a, b) -> (a * b).sum() }(listOf(x, v))[0].values() shouldBe
        x.values()
    }

    test("the README's example") {
      val jv = dualLevel { makeDual(x, v).sin().tangent!! } // cos(x) * v
      val j = jacfwd { t: Tensor -> t * t }(x) // diag(2x)
      val h = jacfwd(jacrev { t: Tensor -> (t pow 3).sum() })(x) // diag(6x): forward-over-reverse
      jv.values() shouldBe (x.cos() * v).values()
      j.values() shouldBe listOf(2.0, 0.0, 0.0, 0.0, -4.0, 0.0, 0.0, 0.0, 1.0)
      h.values() shouldBe listOf(6.0, 0.0, 0.0, 0.0, -12.0, 0.0, 0.0, 0.0, 3.0)
    }
  })
