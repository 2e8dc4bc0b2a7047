// Seed 003: the two-layer network (64 x 1000 -> 100 -> 10) trained by hand for 500 steps.
// Run from the repository root: samples/scripts/run-script.sh two-layer-net
import dev.autograd.dsl.*

manualSeed(0)
val x = randn(64, 1000)
val y = randn(64, 10)
val w1 = randn(1000, 100, requiresGrad = true)
val w2 = randn(100, 10, requiresGrad = true)
val learningRate = 1e-6
for (t in 0 until 500) {
  val yPred = clamp(x mm w1, min = 0) mm w2
  val loss = ((yPred - y) pow 2).sum()
  if (t % 100 == 99) println("step ${t + 1} loss %.4f".format(loss.item()))
  loss.backward()
  noGrad {
    w1 -= learningRate * w1.grad!!
    w2 -= learningRate * w2.grad!!
    w1.grad!!.zero_()
    w2.grad!!.zero_()
  }
}
