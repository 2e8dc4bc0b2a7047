package dev.autograd.dsl

import dev.autograd.core.DType
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe

class PropertiesSpec :
  FunSpec({
    test("grad, gradFn, isLeaf, requiresGrad follow PyTorch (seed 001)") {
      val a = randn(3, 3)
      val b = randn(3, 3, requiresGrad = true)
      val c = a + b
      c.requiresGrad shouldBe true
      a.gradFn shouldBe null
      b.gradFn shouldBe null
      c.gradFn!!.name() shouldBe "AddBackward0"
      c.isLeaf shouldBe false
      b.isLeaf shouldBe true
      val d = c.detach()
      d.requiresGrad shouldBe false
      a.requiresGrad shouldBe false
      a.requiresGrad = true
      a.requiresGrad shouldBe true
      shouldThrow<IllegalStateException> { c.requiresGrad = false }
    }

    test("grad can be assigned and cleared") {
      val x = tensor(listOf(1.0, 2.0), requiresGrad = true)
      (x * x).sum().backward()
      x.grad!!.toDoubleArray() shouldBe doubleArrayOf(2.0, 4.0)
      x.grad = null
      x.grad shouldBe null
      x.grad = ones(2)
      x.grad!!.toDoubleArray() shouldBe doubleArrayOf(1.0, 1.0)
    }

    test("shape, ndim, dtype, T, mT, data and item helpers") {
      val m = leaf(2, 3)
      m.shape shouldBe listOf(2, 3)
      m.ndim shouldBe 2
      m.dtype shouldBe DType.FLOAT64
      sameAsCore(listOf(m), { (t) -> t.T }, { (t) -> t.t() })
      sameAsCore(listOf(leaf(2, 3, 4)), { (t) -> t.T }, { (t) -> t.permute(2, 1, 0) })
      sameAsCore(listOf(leaf(2, 3, 4)), { (t) -> t.mT }, { (t) -> t.transpose(-2, -1) })
      val s = tensor(1.5)
      s.T.item() shouldBe 1.5
      s.itemFloat() shouldBe 1.5f
      tensor(7).itemLong() shouldBe 7L
      m.data.requiresGrad shouldBe false
      m.data.sharesStorageWith(m) shouldBe true
      m.toList() shouldBe m.toDoubleArray().toList()
    }
  })
