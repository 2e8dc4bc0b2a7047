// Seed 003, "static graph": the seed's model compiled (torch.jit.script there, compile here) and
// trained like the seed's loop; `if (prevLoss < 5.0)` on a 0-d tensor is a guard, so both
// branches get a trace. The same loop runs eagerly too: the losses are the same.
// Run from the repository root: samples/scripts/run-script.sh static-graph
import dev.autograd.core.DType
import dev.autograd.core.Tensor
import dev.autograd.dsl.*

fun model(x: Tensor, y: Tensor, w1: Tensor, w2a: Tensor, w2b: Tensor, prevLoss: Tensor): Tensor {
  val w2 = if (prevLoss < 5.0) w2a else w2b
  val yPred = clamp(x mm w1, min = 0) mm w2
  return ((yPred - y) pow 2).sum()
}

val graph = compileN { a -> model(a[0], a[1], a[2], a[3], a[4], a[5]) }

fun train(label: String, step: (List<Tensor>) -> Tensor): List<Double> {
  manualSeed(0)
  val x = randn(64, 1000)
  val y = randn(64, 10)
  val w1 = randn(1000, 100, requiresGrad = true)
  val w2a = randn(100, 10, requiresGrad = true)
  val w2b = randn(100, 10, requiresGrad = true)
  var prevLoss = 5.0
  val losses = mutableListOf<Double>()
  val start = System.nanoTime()
  for (t in 0 until 1500) {
    val loss = step(listOf(x, y, w1, w2a, w2b, tensor(prevLoss, dtype = DType.FLOAT64)))
    prevLoss = loss.item()
    losses += prevLoss
    loss.backward()
    noGrad {
      for (w in listOf(w1, w2a, w2b)) {
        val g = w.grad ?: continue // w2a has no gradient until its branch is taken
        w -= 1e-6 * g
        g.zero_()
      }
    }
  }
  println("$label: loss %.1f -> %.4f, %.0f us per step on average".format(losses.first(), losses.last(), (System.nanoTime() - start) / 1e3 / 1500))
  return losses
}

val eager = train("eager") { a -> model(a[0], a[1], a[2], a[3], a[4], a[5]) }
val compiled = train("compiled") { a -> graph(*a.toTypedArray()) }
println("w2a's branch taken on ${eager.count { it < 5.0 }} of 1500 steps; same losses: ${eager == compiled}")
println(graph.explain())
