// Seed 000: the gradient of x^2 * e^x at x = 2 (prints tensor(59.1124)).
// Run from the repository root: samples/scripts/run-script.sh gradient
import dev.autograd.dsl.*

val x = tensor(2.0, requiresGrad = true)
val y = (x pow 2) * exp(x) // brackets: infix pow binds looser than *
y.backward()
println(x.grad)
