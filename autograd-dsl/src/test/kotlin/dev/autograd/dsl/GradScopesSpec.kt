package dev.autograd.dsl

import dev.autograd.core.Autograd
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import java.util.concurrent.Executors
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.async
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import kotlinx.coroutines.yield

class GradScopesSpec :
  FunSpec({
    test("noGrad and enableGrad return their block's value and nest") {
      val x = tensor(2.0, requiresGrad = true)
      val y = noGrad { x * 3 }
      y.requiresGrad shouldBe false
      val (inner, after) =
        noGrad {
          val z = enableGrad { x * 3 }
          z to Autograd.isGradEnabled()
        }
      inner.requiresGrad shouldBe true
      after shouldBe false
      Autograd.isGradEnabled() shouldBe true
    }

    test("noGrad restores the mode after an exception") {
      shouldThrow<IllegalStateException> { noGrad { error("boom") } }
      Autograd.isGradEnabled() shouldBe true
    }

    test("withNoGrad holds across dispatcher hops and yield, and does not leak into pool threads") {
      val x = tensor(2.0, requiresGrad = true)
      val threads = mutableSetOf<String>()
      runBlocking {
        val result = withNoGrad {
          threads += Thread.currentThread().name
          val a =
            withContext(Dispatchers.IO) {
              threads += Thread.currentThread().name
              Autograd.isGradEnabled() shouldBe false
              x * 2
            }
          yield()
          val b =
            withContext(Dispatchers.Default) {
              delay(5)
              threads += Thread.currentThread().name
              currentGradMode() shouldBe false
              x * 3
            }
          val c = async(Dispatchers.Default) { x * 4 }.await() // child coroutines inherit the mode
          listOf(a, b, c, x * 5)
        }
        result.forEach { it.requiresGrad shouldBe false }
        Autograd.isGradEnabled() shouldBe true
        (x * 2).requiresGrad shouldBe true
      }
      (threads.size > 1) shouldBe true
    }

    test("withEnableGrad inside withNoGrad records again, also on other threads") {
      val x = tensor(2.0, requiresGrad = true)
      runBlocking {
        withNoGrad {
          val y = withEnableGrad { withContext(Dispatchers.Default) { x * x } }
          y.requiresGrad shouldBe true
          (x * x).requiresGrad shouldBe false
        }
      }
    }

    test("GradModeElement chooses the mode of a launched coroutine") {
      val x = tensor(2.0, requiresGrad = true)
      runBlocking {
        val off =
          async(Dispatchers.Default + GradModeElement(false)) {
              yield()
              x * 2
            }
            .await()
        off.requiresGrad shouldBe false
        withNoGrad {
          val on = async(Dispatchers.Default + GradModeElement(true)) { x * 2 }.await()
          on.requiresGrad shouldBe true
        }
      }
    }

    test("a thread that ran a withNoGrad coroutine gets its own mode back when it suspends") {
      val single = Executors.newSingleThreadExecutor().asCoroutineDispatcher()
      try {
        runBlocking {
          val started = kotlinx.coroutines.CompletableDeferred<Unit>()
          val release = kotlinx.coroutines.CompletableDeferred<Unit>()
          val job =
            async(single) {
              withNoGrad {
                started.complete(Unit)
                release.await() // suspended: the thread is free for others
                Autograd.isGradEnabled()
              }
            }
          started.await()
          withContext(single) { Autograd.isGradEnabled() } shouldBe true
          release.complete(Unit)
          job.await() shouldBe false
          withContext(single) { Autograd.isGradEnabled() } shouldBe true
        }
      } finally {
        single.close()
      }
    }
  })
