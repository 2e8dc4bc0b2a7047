package dev.autograd.dsl

import dev.autograd.core.Tensor
import dev.autograd.nn.optim.Adagrad
import dev.autograd.nn.optim.Adam
import dev.autograd.nn.optim.AdamW
import dev.autograd.nn.optim.Optimizer
import dev.autograd.nn.optim.RMSprop
import dev.autograd.nn.optim.SGD
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe

/** Five steps on a small quadratic; returns the final weights. */
private fun trainWith(make: (List<Tensor>) -> Optimizer): DoubleArray {
  val w = leaf(3, seed = 21)
  val target = leaf(3, seed = 22).detach()
  val optimizer = make(listOf(w))
  repeat(5) {
    optimizer.zeroGrad()
    (((w - target) pow 2).sum() + (w pow 4).sum() * 0.1).backward()
    optimizer.step()
  }
  return w.toDoubleArray()
}

class OptimizersSpec :
  FunSpec({
    test("each factory is its nn.optim constructor, with PyTorch's defaults") {
      trainWith { sgd(it, lr = 0.1) } shouldBe trainWith { SGD(it, 0.1) }
      trainWith { adam(it) } shouldBe trainWith { Adam(it, 1e-3) }
      trainWith { adamW(it) } shouldBe trainWith { AdamW(it, 1e-3) }
      trainWith { rmsprop(it) } shouldBe trainWith { RMSprop(it, 1e-2) }
      trainWith { adagrad(it) } shouldBe trainWith { Adagrad(it, 1e-2) }
    }

    test("named arguments reach the constructor in PyTorch's order") {
      trainWith { sgd(it, lr = 0.05, momentum = 0.9, dampening = 0.1, weightDecay = 1e-2) } shouldBe
        trainWith { SGD(it, 0.05, 0.9, 0.1, 1e-2, false) }
      trainWith { sgd(it, lr = 0.05, momentum = 0.9, nesterov = true) } shouldBe
        trainWith { SGD(it, 0.05, 0.9, 0.0, 0.0, true) }
      trainWith {
        adam(it, lr = 0.01, betas = 0.8 to 0.99, eps = 1e-6, weightDecay = 0.1, amsgrad = true)
      } shouldBe trainWith { Adam(it, 0.01, 0.8, 0.99, 1e-6, 0.1, true) }
      trainWith { adamW(it, lr = 0.01, betas = 0.8 to 0.99, weightDecay = 0.5) } shouldBe
        trainWith { AdamW(it, 0.01, 0.8, 0.99, 1e-8, 0.5, false) }
      trainWith {
        rmsprop(it, lr = 0.01, alpha = 0.9, momentum = 0.5, centered = true, weightDecay = 0.1)
      } shouldBe trainWith { RMSprop(it, 0.01, 0.9, 1e-8, 0.1, 0.5, true) }
      trainWith {
        adagrad(it, lr = 0.1, lrDecay = 0.01, initialAccumulatorValue = 0.1, weightDecay = 0.2)
      } shouldBe trainWith { Adagrad(it, 0.1, 0.01, 0.2, 0.1, 1e-10) }
    }

    test("the options land in the parameter group") {
      val w = leaf(2)
      val group = adam(listOf(w), lr = 0.02, betas = 0.8 to 0.9).paramGroups()[0]
      group.lr() shouldBe 0.02
      group.getDouble("beta1") shouldBe 0.8
      group.getDouble("beta2") shouldBe 0.9
      group.getBoolean("amsgrad") shouldBe false
    }
  })
