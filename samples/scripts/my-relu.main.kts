// Seed 000: MyReLU as a custom autograd function (prints tensor([0., 1., 0.])).
// Run from the repository root: samples/scripts/run-script.sh my-relu
import dev.autograd.dsl.*

val myRelu = customFunction(
  name = "MyReLU",
  forward = { ctx, input ->
    ctx.saveForBackward(input)
    input.clampMin(0.0)
  },
  backward = { ctx, g ->
    val (input) = ctx.savedTensors()
    g.maskedFill(input lt 0, 0.0)
  },
)
val x = tensor(-1.0, 2.0, -3.0, requiresGrad = true)
myRelu(x).sum().backward()
println(x.grad)
