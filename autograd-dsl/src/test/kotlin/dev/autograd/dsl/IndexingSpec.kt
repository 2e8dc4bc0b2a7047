package dev.autograd.dsl

import dev.autograd.core.Tensor
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe

class IndexingSpec :
  FunSpec({
    val x = leaf(4, 5, seed = 7)

    test("x[i] and x[i, j] are select views, negative indices count from the end") {
      sameAsCore(listOf(x), { (t) -> t[1] }, { (t) -> t.select(0, 1) })
      sameAsCore(listOf(x), { (t) -> t[-1] }, { (t) -> t.select(0, 3) })
      sameAsCore(listOf(x), { (t) -> t[2, -2] }, { (t) -> t.select(0, 2).select(0, 3) })
      x[2, 3].item() shouldBe x.item(2, 3)
      x[1].isView shouldBe true
    }

    test("ranges and steps are slice views") {
      sameAsCore(listOf(x), { (t) -> t[0 until 2] }, { (t) -> t.slice(0, 0, 2, 1) })
      sameAsCore(listOf(x), { (t) -> t[0..1] }, { (t) -> t.slice(0, 0, 2, 1) })
      sameAsCore(listOf(x), { (t) -> t[all, 1] }, { (t) -> t.select(1, 1) })
      sameAsCore(listOf(x), { (t) -> t[(0 until 4) step 2] }, { (t) -> t.slice(0, 0, 4, 2) })
      sameAsCore(
        listOf(x),
        { (t) -> t[1, 1..3 step 2] },
        { (t) -> t.select(0, 1).slice(0, 1, 4, 2) },
      )
      sameAsCore(listOf(x), { (t) -> t[-2..-1, all] }, { (t) -> t.slice(0, 2, 4, 1) })
      x[0 until 0].shape shouldBe listOf(0, 5)
      x[all, 1..3].shape shouldBe listOf(4, 3)
      x[all, newAxis, 0].shape shouldBe listOf(4, 1)
      x[0 until 2].sharesStorageWith(x) shouldBe true
    }

    test("clear errors for bad indices") {
      shouldThrow<IndexOutOfBoundsException> { x[0, 1, 2] }
        .message!!
        .contains("too many indices") shouldBe true
      shouldThrow<IndexOutOfBoundsException> { x[0..9] }
        .message!!
        .contains("out of bounds") shouldBe true
      shouldThrow<IllegalArgumentException> { x["a"] }.message!!.contains("valid") shouldBe true
    }

    test("set writes into views, under noGrad for a leaf that requires grad") {
      val t = zeros(3, 4)
      t[0] = 1
      t[1, 2] = 5.0
      t[all, 3] = tensor(listOf(7f, 8f, 9f))
      t[2, 0 until 2] = -1
      t.toDoubleArray() shouldBe
        doubleArrayOf(1.0, 1.0, 1.0, 7.0, 0.0, 0.0, 5.0, 8.0, -1.0, -1.0, 0.0, 9.0)
      val w = ones(2, 2, requiresGrad = true)
      shouldThrow<IllegalStateException> { w[0] = 0 }
      noGrad { w[0] = 0 }
      w.toDoubleArray() shouldBe doubleArrayOf(0.0, 0.0, 1.0, 1.0)
    }

    test("a BOOL mask as index writes where it is true: g[input lt 0] = 0") {
      val input = tensor(listOf(-1.0, 2.0, -3.0))
      val g = tensor(listOf(5.0, 6.0, 7.0))
      g[input lt 0] = 0
      g.toDoubleArray() shouldBe doubleArrayOf(0.0, 6.0, 0.0)
      g[input gt 0] = tensor(listOf(2.0))
      g.toDoubleArray() shouldBe doubleArrayOf(0.0, 2.0, 0.0)
      // as PyTorch's index_put_: one value per true element, not a where()
      shouldThrow<IllegalArgumentException> { g[input gt 0] = tensor(listOf(1.0, 2.0, 3.0)) }
        .message!!
        .contains(
          "value tensor of shape [3] cannot be broadcast to indexing result of shape [1]"
        ) shouldBe true
    }

    // expected values printed by PyTorch 1.13 for the same expressions
    test(
      "tensors among the indices are PyTorch's advanced indexing (x[all, rows, cols], x[0, idx])"
    ) {
      val t = arange(24.0).reshape(2, 3, 4).requiresGrad_(true)
      val rows = tensor(longArrayOf(0, 2), 2, 1)
      val cols = tensor(longArrayOf(1, 3))
      val y = t[all, rows, cols]
      y.shape shouldBe listOf(2, 2, 2)
      y.toDoubleArray() shouldBe doubleArrayOf(1.0, 3.0, 9.0, 11.0, 13.0, 15.0, 21.0, 23.0)
      y.gradFn!!.name() shouldBe "IndexBackward0"
      t[0, tensor(longArrayOf(0, 2))].shape shouldBe listOf(2, 4)
      t[all, tensor(longArrayOf(0, 2)), 1].shape shouldBe listOf(2, 2)
      t[tensor(longArrayOf(1, 0)), 1..2, tensor(longArrayOf(-1))].shape shouldBe listOf(2, 2)
      sameAsCore(listOf(x), { (a) -> a[rows, cols] }, { (a) -> a.index(rows, cols) })
    }

    test("x[mask] with the mask's shape as prefix; its gradient reaches only the picked elements") {
      val t = arange(24.0).reshape(2, 3, 4).requiresGrad_(true)
      val picked = t[t gt 15]
      picked.toDoubleArray() shouldBe doubleArrayOf(16.0, 17.0, 18.0, 19.0, 20.0, 21.0, 22.0, 23.0)
      (picked * arange(8.0)).sum().backward()
      t.grad!!.toDoubleArray().toList() shouldBe
        List(17) { 0.0 } + listOf(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0)
      t[tensor(booleanArrayOf(true, false, true, false, true, false), 2, 3), 0].shape shouldBe
        listOf(3)
    }

    test("x[rows, cols] = v and x[mask] = v write through index_put_") {
      val z = zeros(3, 4)
      z[tensor(longArrayOf(0, 2)), tensor(longArrayOf(1, 3))] = tensor(listOf(5f, 6f))
      z.toDoubleArray() shouldBe
        doubleArrayOf(0.0, 5.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 6.0)
      z[tensor(booleanArrayOf(true, false, true))] = tensor(listOf(1f, 2f, 3f, 4f))
      z.toDoubleArray() shouldBe
        doubleArrayOf(1.0, 2.0, 3.0, 4.0, 0.0, 0.0, 0.0, 0.0, 1.0, 2.0, 3.0, 4.0)
      z[1, tensor(longArrayOf(-1))] = 9
      z[1].toDoubleArray() shouldBe doubleArrayOf(0.0, 0.0, 0.0, 9.0)
      val w = leaf(3, seed = 3)
      val h = w * 2
      h[tensor(longArrayOf(0))] = tensor(7.0)
      h.sum().backward()
      w.grad!!.toDoubleArray() shouldBe doubleArrayOf(0.0, 2.0, 2.0)
    }

    test("chunk splits a dim into views, like torch.chunk") {
      val t = arange(10.0)
      t.chunk(3).map { it.shape } shouldBe listOf(listOf(4), listOf(4), listOf(2))
      cat(t.chunk(3)).toDoubleArray() shouldBe t.toDoubleArray()
      val m: Tensor = x
      m.chunk(2, 1).map { it.shape } shouldBe listOf(listOf(4, 3), listOf(4, 2))
    }
  })
