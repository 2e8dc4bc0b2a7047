package dev.autograd.dsl

import dev.autograd.core.Autograd
import dev.autograd.core.Tensor
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe

class OperatorsSpec :
  FunSpec({
    val a = leaf(2, 3, seed = 1)
    val b = leaf(2, 3, seed = 2, positive = true)
    val row = leaf(3, seed = 3, positive = true)
    val m = leaf(3, 4, seed = 4)
    val v = leaf(3, seed = 5)

    test("tensor op tensor is the core binary op, with broadcasting") {
      sameAsCore(listOf(a, b), { (x, y) -> x + y }, { (x, y) -> x.add(y) })
      sameAsCore(listOf(a, b), { (x, y) -> x - y }, { (x, y) -> x.sub(y) })
      sameAsCore(listOf(a, b), { (x, y) -> x * y }, { (x, y) -> x.mul(y) })
      sameAsCore(listOf(a, b), { (x, y) -> x / y }, { (x, y) -> x.div(y) })
      sameAsCore(listOf(a, row), { (x, y) -> x * y - y / x }, { (x, y) -> x.mul(y).sub(y.div(x)) })
    }

    test("tensor op number, for Int, Float and Double") {
      for (n in listOf<Number>(2, 2.5f, -0.75)) {
        val d = n.toDouble()
        sameAsCore(listOf(a), { (x) -> x + n }, { (x) -> x.add(d) })
        sameAsCore(listOf(a), { (x) -> x - n }, { (x) -> x.sub(d) })
        sameAsCore(listOf(a), { (x) -> x * n }, { (x) -> x.mul(d) })
        sameAsCore(listOf(a), { (x) -> x / n }, { (x) -> x.div(d) })
      }
      sameAsCore(listOf(a), { (x) -> x + 1 }, { (x) -> x.add(1.0) })
      sameAsCore(listOf(a), { (x) -> x * 3f }, { (x) -> x.mul(3.0) })
      sameAsCore(listOf(a), { (x) -> x / 4.0 }, { (x) -> x.div(4.0) })
    }

    test("number op tensor") {
      sameAsCore(listOf(b), { (x) -> 2 + x }, { (x) -> x.add(2.0) })
      sameAsCore(listOf(b), { (x) -> 2 - x }, { (x) -> x.rsub(2.0) })
      sameAsCore(listOf(b), { (x) -> 1.5 * x }, { (x) -> x.mul(1.5) })
      sameAsCore(listOf(b), { (x) -> 1f / x }, { (x) -> x.rdiv(1.0) })
    }

    test("unary minus and plus") {
      sameAsCore(listOf(a), { (x) -> -x }, { (x) -> x.neg() })
      sameAsCore(listOf(a), { (x) -> +x * 1 }, { (x) -> x.mul(1.0) })
    }

    test("pow with a number, a tensor, and a number base") {
      sameAsCore(listOf(b), { (x) -> x pow 2 }, { (x) -> x.pow(2.0) })
      sameAsCore(listOf(b), { (x) -> x pow 0.5 }, { (x) -> x.pow(0.5) })
      sameAsCore(listOf(b, row), { (x, e) -> x pow e }, { (x, e) -> x.pow(e) })
      sameAsCore(listOf(row), { (e) -> 2 pow e }, { (e) -> Tensor.scalar(2.0, e.dtype()).pow(e) })
    }

    test("mm, matmul and dot") {
      sameAsCore(listOf(a, m), { (x, w) -> x mm w }, { (x, w) -> x.mm(w) })
      sameAsCore(listOf(a, m), { (x, w) -> x matmul w }, { (x, w) -> x.matmul(w) })
      sameAsCore(listOf(a, v), { (x, w) -> x matmul w }, { (x, w) -> x.matmul(w) })
      sameAsCore(listOf(row, v), { (x, w) -> x dot w }, { (x, w) -> x.dot(w) })
    }

    test("comparisons give the core's BOOL masks") {
      val cases: List<Pair<(Tensor, Tensor) -> Tensor, (Tensor, Tensor) -> Tensor>> =
        listOf(
          { x: Tensor, y: Tensor -> x gt y } to { x: Tensor, y: Tensor -> x.gt(y) },
          { x: Tensor, y: Tensor -> x lt y } to { x: Tensor, y: Tensor -> x.lt(y) },
          { x: Tensor, y: Tensor -> x ge y } to { x: Tensor, y: Tensor -> x.ge(y) },
          { x: Tensor, y: Tensor -> x le y } to { x: Tensor, y: Tensor -> x.le(y) },
          { x: Tensor, y: Tensor -> x eq y } to { x: Tensor, y: Tensor -> x.eq(y) },
          { x: Tensor, y: Tensor -> x ne y } to { x: Tensor, y: Tensor -> x.ne(y) },
        )
      val x = tensor(listOf(1.0, 2.0, 3.0))
      val y = tensor(listOf(3.0, 2.0, 1.0))
      for ((dsl, core) in cases) {
        dsl(x, y).toBooleanArray() shouldBe core(x, y).toBooleanArray()
        dsl(x, y).dtype shouldBe dev.autograd.core.DType.BOOL
      }
      (x gt 2).toBooleanArray() shouldBe booleanArrayOf(false, false, true)
      (x lt 2).toBooleanArray() shouldBe x.lt(2.0).toBooleanArray()
      (x ge 2).toBooleanArray() shouldBe booleanArrayOf(false, true, true)
      (x le 2.0).toBooleanArray() shouldBe booleanArrayOf(true, true, false)
      (x eq 2).toBooleanArray() shouldBe booleanArrayOf(false, true, false)
      (x ne 2f).toBooleanArray() shouldBe booleanArrayOf(true, false, true)
    }

    test("infix calls bind looser than *: x pow 2 * exp(x) is x pow (2 * exp(x))") {
      val x = tensor(2.0, requiresGrad = true)
      val loose = x pow 2 * exp(x)
      val explicit = x pow (2 * exp(x))
      loose.item() shouldBe explicit.item()
      val meant = (x pow 2) * exp(x)
      (meant.item() - loose.item() != 0.0) shouldBe true
    }

    test("in-place operators on a val map to add_, sub_, mul_, div_") {
      val w = tensor(listOf(1.0, 2.0, 3.0), dtype = dev.autograd.core.DType.FLOAT64)
      val before = w.version()
      w += tensor(listOf(1.0, 1.0, 1.0), dtype = dev.autograd.core.DType.FLOAT64)
      w -= 0.5
      w *= 2
      w /= tensor(listOf(1.0, 2.0, 4.0), dtype = dev.autograd.core.DType.FLOAT64)
      w.toDoubleArray() shouldBe doubleArrayOf(3.0, 2.5, 1.75)
      (w.version() - before) shouldBe 4
    }

    test("w -= lr * w.grad on a val weight is sub_ under noGrad, and an error outside it") {
      val w = tensor(listOf(1.0, -2.0), requiresGrad = true)
      val before = w
      ((w pow 2).sum()).backward()
      noGrad { w -= 0.1 * w.grad!! }
      (w === before && w.sharesStorageWith(before)) shouldBe
        true // the same tensor was updated in place
      w.toDoubleArray().shouldBeCloseTo(doubleArrayOf(0.8, -1.6), 1e-6)
      w.isLeaf shouldBe true
      shouldThrow<IllegalStateException> { w -= 0.1 * w.grad!! }
        .message!!
        .contains("leaf Variable") shouldBe true
      Autograd.isGradEnabled() shouldBe true
    }
  })
