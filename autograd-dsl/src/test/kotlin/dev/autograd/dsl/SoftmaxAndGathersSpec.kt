package dev.autograd.dsl

import dev.autograd.core.DType
import dev.autograd.core.Tensor
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe

class SoftmaxAndGathersSpec :
  FunSpec({
    val x = leaf(3, 4, seed = 31)
    val y = leaf(3, 4, seed = 32)

    test("softmax, logSoftmax and logsumexp are the core ops") {
      sameAsCore(listOf(x), { (t) -> softmax(t, 1) }, { (t) -> t.softmax(1) })
      sameAsCore(listOf(x), { (t) -> logSoftmax(t, 0) }, { (t) -> t.logSoftmax(0) })
      sameAsCore(listOf(x), { (t) -> logsumexp(t, 1) }, { (t) -> t.logsumexp(1, false) })
      sameAsCore(
        listOf(x),
        { (t) -> logsumexp(t, -1, keepDim = true) },
        { (t) -> t.logsumexp(-1, true) },
      )
      sameAsCore(listOf(x), { (t) -> logcumsumexp(t, 1) }, { (t) -> t.logcumsumexp(1) })
    }

    test("max and min: of all elements, along a dim with indices, and element-wise") {
      sameAsCore(listOf(x), { (t) -> max(t) + min(t) }, { (t) -> t.max().add(t.min()) })
      sameAsCore(
        listOf(x),
        { (t) -> max(t, dim = 1).values() },
        { (t) -> t.max(1, false).values() },
      )
      sameAsCore(
        listOf(x),
        { (t) -> min(t, 0, keepDim = true).values() },
        { (t) -> t.min(0, true).values() },
      )
      sameAsCore(
        listOf(x, y),
        { (a, b) -> max(a, b) - min(a, b) },
        { (a, b) -> a.maximum(b).sub(a.minimum(b)) },
      )
      val (values, indices) =
        max(tensor(listOf(listOf(1.0, 5.0, 2.0), listOf(7.0, 0.0, 7.0))), dim = 1)
      values.toDoubleArray() shouldBe doubleArrayOf(5.0, 7.0)
      indices.toLongArray() shouldBe longArrayOf(1, 0)
      indices.dtype shouldBe DType.INT64
    }

    test("argmax and argmin, flat or along a dim") {
      val m = tensor(listOf(listOf(1.0, 5.0, 2.0), listOf(7.0, 0.0, -1.0)))
      argmax(m).item() shouldBe 3.0
      argmin(m).item() shouldBe 5.0
      argmax(m, dim = 1).toLongArray() shouldBe longArrayOf(1, 0)
      argmin(m, dim = 0, keepDim = true).shape shouldBe listOf(1, 3)
      argmax(m, dim = 1).toLongArray() shouldBe m.argmax(1, false).toLongArray()
    }

    test("indexSelect and gather are the core ops") {
      val rows = tensor(longArrayOf(2, 0, 2))
      sameAsCore(listOf(x), { (t) -> indexSelect(t, 0, rows) }, { (t) -> t.indexSelect(0, rows) })
      val picks = tensor(longArrayOf(0, 3, 1, 1, 2, 0), 3, 2)
      sameAsCore(listOf(x), { (t) -> gather(t, 1, picks) }, { (t) -> t.gather(1, picks) })
    }

    test("x[longTensor] selects rows like PyTorch's x[idx]: shape idx.shape + x.shape[1:]") {
      val rows = tensor(longArrayOf(2, 0, 2))
      sameAsCore(listOf(x), { (t) -> t[rows] }, { (t) -> t.indexSelect(0, rows) })
      x[tensor(longArrayOf(1, 0, 2, 2), 2, 2)].shape shouldBe listOf(2, 2, 4)
      x[tensor(longArrayOf(-1))].toDoubleArray() shouldBe x[2].toDoubleArray()
      val v = tensor(10.0, 20.0, 30.0)
      v[tensor(longArrayOf(2, 2, 0))].toDoubleArray() shouldBe doubleArrayOf(30.0, 30.0, 10.0)
      v[Tensor.scalar(1.0, DType.INT64)].shape shouldBe emptyList()
    }

    test("x[mask] keeps the selected elements (1-D) or rows, with the gradient scattered back") {
      val t = tensor(listOf(listOf(1.0, -2.0), listOf(-3.0, 4.0)), requiresGrad = true)
      val picked = t[t gt 0]
      picked.toDoubleArray() shouldBe doubleArrayOf(1.0, 4.0)
      picked.shape shouldBe listOf(2)
      (picked * tensor(10.0, 20.0)).sum().backward()
      t.grad!!.toDoubleArray() shouldBe doubleArrayOf(10.0, 0.0, 0.0, 20.0)
      val rows = x[tensor(booleanArrayOf(true, false, true))]
      rows.shape shouldBe listOf(2, 4)
      rows.toDoubleArray() shouldBe (x[0].toDoubleArray() + x[2].toDoubleArray())
      x[zeros(3, 4, dtype = DType.BOOL)].shape shouldBe listOf(0)
      sameAsCore(
        listOf(x),
        { (a) -> a[a gt 0] * 3 },
        { (a) ->
          val flags = a.gt(0.0).toBooleanArray()
          val idx = flags.indices.filter { flags[it] }.map { it.toLong() }.toLongArray()
          a.reshape(-1).indexSelect(0, Tensor.of(idx)).mul(3.0)
        },
      )
    }

    test("tensor indices report their dtype and shape problems") {
      shouldThrow<IllegalArgumentException> { x[tensor(1.0, 2.0)] }.message shouldBe
        "index(): tensors used as indices must be long or bool tensors, got torch.float32"
      shouldThrow<IndexOutOfBoundsException> { x[tensor(booleanArrayOf(true, false))] }
        .message shouldBe
        "index(): The shape of the mask [2] at index 0 does not match the shape of the indexed tensor [3, 4] at index 0"
    }
  })
