package dev.autograd.dsl

import dev.autograd.core.Autograd
import dev.autograd.core.DType
import dev.autograd.core.Tensor
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe

class FactoriesAndMathSpec :
  FunSpec({
    test("tensor() infers PyTorch's dtypes and shapes") {
      tensor(2.0).shape shouldBe emptyList()
      tensor(2.0).dtype shouldBe DType.FLOAT32
      tensor(2).dtype shouldBe DType.INT64
      tensor(1.0, 2.0, 3.0).shape shouldBe listOf(3)
      tensor(listOf(listOf(1, 2), listOf(3, 4))).dtype shouldBe DType.INT64
      tensor(listOf(listOf(1, 2.5), listOf(3, 4))).dtype shouldBe DType.FLOAT32
      tensor(listOf(true, false)).dtype shouldBe DType.BOOL
      val m =
        tensor(
          listOf(listOf(1.0, 2.0), listOf(3.0, 4.0)),
          dtype = DType.FLOAT64,
          requiresGrad = true,
        )
      m.shape shouldBe listOf(2, 2)
      m.dtype shouldBe DType.FLOAT64
      m.requiresGrad shouldBe true
      m.toDoubleArray() shouldBe
        Tensor.of(arrayOf(doubleArrayOf(1.0, 2.0), doubleArrayOf(3.0, 4.0))).toDoubleArray()
      tensor(listOf(listOf(listOf(1.0), listOf(2.0)))).shape shouldBe listOf(1, 2, 1)
      tensor(floatArrayOf(1f, 2f, 3f, 4f), 2, 2).shape shouldBe listOf(2, 2)
      tensor(doubleArrayOf(1.0, 2.0), requiresGrad = true).dtype shouldBe DType.FLOAT64
      tensor(longArrayOf(1, 2)).dtype shouldBe DType.INT64
      tensor(booleanArrayOf(true)).dtype shouldBe DType.BOOL
      tensor(2.0, requiresGrad = true).requiresGrad shouldBe true
    }

    test("tensor() reports ragged lists and integer tensors that require grad") {
      shouldThrow<IllegalArgumentException> { tensor(listOf(listOf(1.0, 2.0), listOf(3.0))) }
        .message shouldBe "tensor(): expected sequence of length 2 at dim 1 (got length 1)"
      shouldThrow<IllegalArgumentException> { tensor(2, requiresGrad = true) }
    }

    test("factories match the core's") {
      zeros(2, 3).toDoubleArray() shouldBe Tensor.zeros(2, 3).toDoubleArray()
      ones(2, dtype = DType.FLOAT64).dtype shouldBe DType.FLOAT64
      full(listOf(2, 2), 7).toDoubleArray() shouldBe doubleArrayOf(7.0, 7.0, 7.0, 7.0)
      arange(5).dtype shouldBe DType.INT64
      arange(5.0).toDoubleArray() shouldBe doubleArrayOf(0.0, 1.0, 2.0, 3.0, 4.0)
      arange(1, 2, 0.25).toDoubleArray() shouldBe doubleArrayOf(1.0, 1.25, 1.5, 1.75)
      linspace(0, 1, 5).toDoubleArray() shouldBe Tensor.linspace(0.0, 1.0, 5).toDoubleArray()
      eye(2, 3).toDoubleArray() shouldBe doubleArrayOf(1.0, 0.0, 0.0, 0.0, 1.0, 0.0)
      zerosLike(eye(2)).shape shouldBe listOf(2, 2)
      fullLike(eye(2), 3).toDoubleArray() shouldBe doubleArrayOf(3.0, 3.0, 3.0, 3.0)
      manualSeed(42)
      val r1 = randn(3, 2)
      val u1 = rand(4)
      manualSeed(42)
      randn(3, 2).toDoubleArray() shouldBe r1.toDoubleArray()
      rand(4).toDoubleArray() shouldBe u1.toDoubleArray()
      Autograd.manualSeed(42)
      Tensor.randn(3, 2).toDoubleArray() shouldBe r1.toDoubleArray()
      randnLike(r1).shape shouldBe listOf(3, 2)
    }

    test("top-level math functions are the core's ops") {
      val x = leaf(2, 3, seed = 11, positive = true)
      val y = leaf(2, 3, seed = 12)
      val unary: List<Pair<(Tensor) -> Tensor, (Tensor) -> Tensor>> =
        listOf(
          ::exp to Tensor::exp,
          ::log to Tensor::log,
          ::log1p to Tensor::log1p,
          ::expm1 to Tensor::expm1,
          ::sqrt to Tensor::sqrt,
          ::rsqrt to Tensor::rsqrt,
          ::abs to Tensor::abs,
          ::sin to Tensor::sin,
          ::cos to Tensor::cos,
          ::tan to Tensor::tan,
          ::tanh to Tensor::tanh,
          ::sigmoid to Tensor::sigmoid,
          ::relu to Tensor::relu,
          ::softplus to Tensor::softplus,
          ::gelu to Tensor::gelu,
          ::silu to Tensor::silu,
          ::erf to Tensor::erf,
          ::square to Tensor::square,
          ::reciprocal to Tensor::reciprocal,
          ::sign to Tensor::sign,
        )
      for ((dsl, core) in unary) sameAsCore(listOf(x), { (t) -> dsl(t) }, { (t) -> core(t) })
      sameAsCore(listOf(y), { (t) -> relu(t) }, { (t) -> t.relu() })
      sameAsCore(listOf(y), { (t) -> leakyRelu(t, 0.1) }, { (t) -> t.leakyRelu(0.1) })
      sameAsCore(listOf(y), { (t) -> clamp(t, min = 0) }, { (t) -> t.clampMin(0.0) })
      sameAsCore(listOf(y), { (t) -> clamp(t, -0.5, 0.5) }, { (t) -> t.clamp(-0.5, 0.5) })
      sameAsCore(
        listOf(x, y),
        { (a, b) -> maximum(a, b) - minimum(a, b) },
        { (a, b) -> a.maximum(b).sub(a.minimum(b)) },
      )
      sameAsCore(listOf(x, y), { (a, b) -> atan2(a, b) }, { (a, b) -> a.atan2(b) })
      sameAsCore(
        listOf(x, y),
        { (a, b) -> where(b gt 0, a, b) },
        { (a, b) -> Tensor.where(b.gt(0.0), a, b) },
      )
      sameAsCore(
        listOf(x),
        { (t) -> sum(t) + mean(t, dim = 1).sum() },
        { (t) -> t.sum().add(t.mean(1).sum()) },
      )
      sameAsCore(listOf(x, y), { (a, b) -> matmul(a, b.T) }, { (a, b) -> a.matmul(b.t()) })
      sameAsCore(
        listOf(x, y),
        { (a, b) -> cat(listOf(a, b), dim = 1) },
        { (a, b) -> Tensor.cat(1, a, b) },
      )
      sameAsCore(
        listOf(x, y),
        { (a, b) -> stack(listOf(a, b)) },
        { (a, b) -> Tensor.stack(0, a, b) },
      )
    }

    test(
      "grad() returns gradients without touching .grad, and second derivatives with createGraph"
    ) {
      val x = tensor(3.0, requiresGrad = true, dtype = DType.FLOAT64)
      val y = x pow 3
      val dy = grad(y, x, createGraph = true)
      dy.item() shouldBe 27.0
      grad(dy, x).item() shouldBe 18.0
      x.grad shouldBe null
      val w = tensor(listOf(1.0, 2.0), requiresGrad = true)
      val unused = tensor(1.0, requiresGrad = true)
      val gs = grad((w * w).sum(), listOf(w, unused), allowUnused = true)
      gs[0]!!.toDoubleArray() shouldBe doubleArrayOf(2.0, 4.0)
      gs[1] shouldBe null
    }
  })
