// A user's Kotlin program on the DSL: operators, gradients, noGrad, builders, coroutines, training.
import dev.autograd.core.Generator
import dev.autograd.dsl.*
import dev.autograd.nn.CrossEntropyLoss
import dev.autograd.nn.data.DataLoader
import dev.autograd.nn.data.Iris
import kotlinx.coroutines.runBlocking

fun main() {
  val x = tensor(2.0, requiresGrad = true)
  val y = (x pow 2) * exp(x)
  y.backward()
  println("d/dx x^2 e^x at 2 = ${x.grad}")

  val v = tensor(2.0, 3.0, requiresGrad = true)
  ((v[0] pow 2) + (v[1] pow 3)).backward()
  println("gradient of x0^2 + x1^3 at [2, 3] = ${v.grad}")

  val relu = customFunction(
    name = "MyReLU",
    forward = { ctx, t -> ctx.saveForBackward(t); clamp(t, min = 0) },
    backward = { ctx, grad -> val (t) = ctx.savedTensors(); grad.maskedFill(t.lt(0.0), 0.0) },
  )
  val a = tensor(-1.0, 2.0, -3.0, requiresGrad = true)
  relu(a).sum().backward()
  println("MyReLU gradient = ${a.grad}")

  manualSeed(0)
  val model = sequential { linear(4, 16); relu(); linear(16, 3) }
  val data = Iris.load()
  val (features, labels) = data.tensors()
  val lossFn = CrossEntropyLoss()
  val history = model.fit(DataLoader(data, 16, true, false, Generator(0)), adam(model.parameters(), lr = 0.01),
    loss = { out, target -> lossFn.forward(out, target) }, epochs = 30)
  val trained = noGrad { accuracy(model.forward(features), labels) }
  println("Iris after ${history.epochLosses.size} epochs: training accuracy above 0.9 = ${trained > 0.9}")

  val outputs = runBlocking { withNoGrad { batchEval((0 until 150).toList(), parallelism = 4) { i -> model.forward(features[i].unsqueeze(0)) } } }
  println("batchEval: ${outputs.size} outputs, requiresGrad = ${outputs[0].requiresGrad}")
}
