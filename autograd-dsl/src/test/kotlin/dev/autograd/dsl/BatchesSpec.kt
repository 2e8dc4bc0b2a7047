package dev.autograd.dsl

import dev.autograd.core.DType
import dev.autograd.core.Tensor
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import java.util.concurrent.atomic.AtomicInteger
import kotlin.coroutines.coroutineContext
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.delay
import kotlinx.coroutines.ensureActive
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout

/** A small MLP with FLOAT64 parameters, shared (read-only) by concurrent evaluations. */
private class Mlp(seed: Long) {
  val w1 = leaf(8, 16, seed = seed)
  val w2 = leaf(16, 1, seed = seed + 1)
  val params = listOf(w1, w2)

  fun loss(x: Tensor, y: Tensor): Tensor = ((tanh(x mm w1) mm w2) - y).pow(2).sum()
}

class BatchesSpec :
  FunSpec({
    val xs = List(24) { leaf(1, 8, seed = 100L + it).detach() }
    val ys = List(24) { leaf(1, 1, seed = 200L + it).detach() }

    test("batchEval returns results in input order, each evaluation on its own graph") {
      val net = Mlp(1)
      val sequential = xs.indices.map { i -> net.loss(xs[i], ys[i]).item() }
      val running = AtomicInteger()
      val maxRunning = AtomicInteger()
      val parallel = runBlocking {
        batchEval(xs.indices.toList(), parallelism = 2) { i ->
          maxRunning.accumulateAndGet(running.incrementAndGet(), ::maxOf)
          val l = net.loss(xs[i], ys[i])
          Thread.sleep(2)
          running.decrementAndGet()
          l.requiresGrad shouldBe true
          l.item()
        }
      }
      parallel shouldBe sequential
      (maxRunning.get() <= 2) shouldBe true
    }

    test("batchEval runs in the caller's grad mode") {
      val net = Mlp(2)
      runBlocking {
        withNoGrad { batchEval(xs.take(4)) { x -> net.loss(x, ys[0]).requiresGrad } } shouldBe
          List(4) { false }
        batchEval(xs.take(4)) { x -> net.loss(x, ys[0]).requiresGrad } shouldBe List(4) { true }
      }
    }

    test("perSampleGrads equals one Autograd.grad per sample, sequentially") {
      val net = Mlp(3)
      val unused = leaf(2, seed = 9)
      val expected =
        xs.indices.map { i ->
          grad(net.loss(xs[i], ys[i]), net.params).map { it!!.toDoubleArray() }
        }
      val perSample = runBlocking {
        perSampleGrads(xs.indices.toList(), net.params + unused) { i -> net.loss(xs[i], ys[i]) }
      }
      perSample.size shouldBe xs.size
      for (i in xs.indices) {
        perSample[i][0].toDoubleArray() shouldBe expected[i][0]
        perSample[i][1].toDoubleArray() shouldBe expected[i][1]
        perSample[i][2].toDoubleArray() shouldBe doubleArrayOf(0.0, 0.0)
      }
      net.w1.grad shouldBe null
    }

    test("dataParallelBackward accumulates the single-threaded gradient into .grad") {
      for (dtype in listOf(DType.FLOAT64, DType.FLOAT32)) {
        val net = Mlp(4)
        val w1 = net.w1.detach().to(dtype).requiresGrad_(true)
        val w2 = net.w2.detach().to(dtype).requiresGrad_(true)
        val x = cat(xs).to(dtype)
        val y = cat(ys).to(dtype)
        fun loss(xb: Tensor, yb: Tensor) = ((tanh(xb mm w1) mm w2) - yb).pow(2).sum()
        val full = loss(x, y)
        full.backward()
        val g1 = w1.grad!!.toDoubleArray()
        val g2 = w2.grad!!.toDoubleArray()
        w1.grad = null
        w2.grad = null
        val total = runBlocking {
          dataParallelBackward(x.chunk(6).zip(y.chunk(6)), parallelism = 3) { (xb, yb) ->
            loss(xb, yb)
          }
        }
        // element-wise: FLOAT32 sums in another order, so single small elements differ by
        // ~1e-6..1e-5
        val tol = if (dtype == DType.FLOAT64) 1e-12 else 1e-5
        (maxRelativeError(w1.grad!!.toDoubleArray(), g1) < tol) shouldBe true
        (maxRelativeError(w2.grad!!.toDoubleArray(), g2) < tol) shouldBe true
        // the whole gradient: within 1e-6 relative in both dtypes
        (normRelativeError(w1.grad!!.toDoubleArray(), g1) < 1e-6) shouldBe true
        (normRelativeError(w2.grad!!.toDoubleArray(), g2) < 1e-6) shouldBe true
        (Math.abs(total - full.item()) / full.item() < tol) shouldBe true
      }
    }

    test(
      "concurrent accumulation into shared .grad loses no update (48 shards, 4 at a time, 5 rounds)"
    ) {
      val w = leaf(8, 4, seed = 5)
      val x = cat(List(48) { leaf(2, 8, seed = 300L + it).detach() })
      fun loss(xb: Tensor) = (tanh(xb mm w) pow 2).sum()
      loss(x).backward()
      val expected = w.grad!!.toDoubleArray()
      repeat(5) {
        w.grad = null
        runBlocking {
          dataParallelBackward(x.chunk(48).toList(), parallelism = 4) { xb -> loss(xb) }
        }
        (maxRelativeError(w.grad!!.toDoubleArray(), expected) < 1e-12) shouldBe true
      }
    }

    test("a failing sample cancels the rest and its exception is rethrown") {
      val finished = AtomicInteger()
      val error =
        shouldThrow<IllegalArgumentException> {
          runBlocking {
            batchEval((0 until 64).toList(), parallelism = 2) { i ->
              if (i == 3) throw IllegalArgumentException("sample $i is bad")
              Thread.sleep(10) // CPU-bound work holds one of the two threads
              coroutineContext.ensureActive()
              finished.incrementAndGet()
            }
          }
        }
      error.message shouldBe "sample 3 is bad"
      (finished.get() < 60) shouldBe true
    }

    test("cancelling the caller stops the work") {
      val started = AtomicInteger()
      shouldThrow<CancellationException> {
        runBlocking {
          withTimeout(100) {
            batchEval((0 until 1000).toList(), parallelism = 2) {
              started.incrementAndGet()
              Thread.sleep(10)
            }
          }
        }
      }
      val atCancel = started.get()
      (atCancel < 1000) shouldBe true
      Thread.sleep(100)
      started.get() shouldBe atCancel

      val job = runBlocking {
        val deferred =
          async(Dispatchers.Default) {
            batchEval((0 until 1000).toList(), parallelism = 2) { Thread.sleep(10) }
          }
        delay(50)
        deferred.cancel()
        deferred.join()
        deferred
      }
      job.isCancelled shouldBe true
    }
  })
