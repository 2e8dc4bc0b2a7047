package dev.autograd.dsl

import dev.autograd.core.Context
import dev.autograd.core.Function
import dev.autograd.core.MultiOutputFunction
import dev.autograd.core.Tensor

// Custom differentiable functions (torch.autograd.Function). Class form: subclass core's
// Function in Kotlin and call it with `MyReLU()(x)`. Lambda form: customFunction(...) below.

/**
 * Calls a custom [Function] like PyTorch's `MyFunction.apply(x)`: `MyReLU()(x)`. Note: this is an
 * extension, so a local `val relu = MyReLU()` loses to the top-level [relu] in `relu(x)`; extend
 * [AutogradFunction] (a member `invoke`) or pick another name.
 */
public operator fun Function.invoke(vararg inputs: Tensor): Tensor = apply(*inputs)

/**
 * Base class for custom functions written in Kotlin: core's [Function] (override `forward` and
 * `backward`) plus a member `invoke`, so `val relu = MyReLU(); relu(x)` applies it even where the
 * top-level [relu] is in scope.
 */
public abstract class AutogradFunction : Function() {
  /**
   * Applies the function (`Function.apply`), recording a `${ClassName}Backward` node when needed.
   */
  public operator fun invoke(vararg inputs: Tensor): Tensor = apply(*inputs)
}

/**
 * A one-input custom function from two lambdas, like a `torch.autograd.Function` subclass:
 * `forward` runs with recording off and may save tensors with `ctx.saveForBackward(...)`;
 * `backward` maps the output's gradient to the input's (null for none). The node is named
 * `"${name}Backward"`. Call the result like a function: `myRelu(x)`.
 */
public fun customFunction(
  name: String = "CustomFunction",
  forward: (ctx: Context, x: Tensor) -> Tensor,
  backward: (ctx: Context, grad: Tensor) -> Tensor?,
): CustomFunction1 = CustomFunction1(name, forward, backward, false)

/**
 * [customFunction] with PyTorch's `@once_differentiable` when [onceDifferentiable] is true:
 * backward runs with recording off, and differentiating its result again is an error.
 */
public fun customFunction(
  name: String = "CustomFunction",
  onceDifferentiable: Boolean,
  forward: (ctx: Context, x: Tensor) -> Tensor,
  backward: (ctx: Context, grad: Tensor) -> Tensor?,
): CustomFunction1 = CustomFunction1(name, forward, backward, onceDifferentiable)

/**
 * A custom function with several outputs (a `torch.autograd.Function` returning a tuple):
 * `backward` gets one gradient per output (zeros for unused outputs, or null after
 * `ctx.setMaterializeGrads(false)`) and returns one per input (or null). All outputs share one
 * node: `val (a, b) = f(x)`.
 */
public fun multiOutputFunction(
  name: String = "CustomFunction",
  onceDifferentiable: Boolean = false,
  forward: (ctx: Context, inputs: List<Tensor>) -> List<Tensor>,
  backward: (ctx: Context, grads: List<Tensor?>) -> List<Tensor?>,
): CustomMultiOutputFunction =
  CustomMultiOutputFunction(name, onceDifferentiable, forward, backward)

/**
 * A custom function with several outputs made by [multiOutputFunction]; a core
 * [MultiOutputFunction].
 */
public class CustomMultiOutputFunction
internal constructor(
  private val functionName: String,
  private val once: Boolean,
  private val forwardFn: (Context, List<Tensor>) -> List<Tensor>,
  private val backwardFn: (Context, List<Tensor?>) -> List<Tensor?>,
) : MultiOutputFunction() {
  /** Applies the function: its outputs, in the order forward returned them. */
  public operator fun invoke(vararg inputs: Tensor): List<Tensor> = apply(*inputs).asList()

  override fun forward(ctx: Context, vararg inputs: Tensor): Array<Tensor> =
    forwardFn(ctx, inputs.asList()).toTypedArray()

  override fun backward(ctx: Context, vararg gradOutputs: Tensor?): Array<Tensor?> =
    backwardFn(ctx, gradOutputs.asList()).toTypedArray()

  override fun name(): String = functionName + "Backward"

  override fun onceDifferentiable(): Boolean = once
}

/**
 * A two-input custom function: `backward` returns the gradients of both inputs as a pair (null
 * where an input needs none; `ctx.needsInputGrad(i)` tells which).
 */
public fun customFunction2(
  name: String = "CustomFunction",
  forward: (ctx: Context, a: Tensor, b: Tensor) -> Tensor,
  backward: (ctx: Context, grad: Tensor) -> Pair<Tensor?, Tensor?>,
): CustomFunction2 = CustomFunction2(name, forward, backward)

/**
 * A custom function of any number of inputs: `backward` returns one gradient (or null) per input.
 */
public fun customFunctionN(
  name: String = "CustomFunction",
  forward: (ctx: Context, inputs: List<Tensor>) -> Tensor,
  backward: (ctx: Context, grad: Tensor) -> List<Tensor?>,
): CustomFunctionN = CustomFunctionN(name, forward, backward)

/** A one-input custom function made by [customFunction]; a core [Function] you can invoke. */
public class CustomFunction1
internal constructor(
  private val functionName: String,
  private val forwardFn: (Context, Tensor) -> Tensor,
  private val backwardFn: (Context, Tensor) -> Tensor?,
  private val once: Boolean,
) : Function() {
  /** Applies the function to `x`, recording a `${name}Backward` node when `x` requires grad. */
  public operator fun invoke(x: Tensor): Tensor = apply(x)

  override fun forward(ctx: Context, vararg inputs: Tensor): Tensor {
    requireArity(functionName, inputs, 1)
    return forwardFn(ctx, inputs[0])
  }

  override fun backward(ctx: Context, gradOutput: Tensor): Array<Tensor?> =
    arrayOf(backwardFn(ctx, gradOutput))

  override fun name(): String = functionName + "Backward"

  override fun onceDifferentiable(): Boolean = once
}

/** A two-input custom function made by [customFunction2]. */
public class CustomFunction2
internal constructor(
  private val functionName: String,
  private val forwardFn: (Context, Tensor, Tensor) -> Tensor,
  private val backwardFn: (Context, Tensor) -> Pair<Tensor?, Tensor?>,
) : Function() {
  /** Applies the function to `a` and `b`. */
  public operator fun invoke(a: Tensor, b: Tensor): Tensor = apply(a, b)

  override fun forward(ctx: Context, vararg inputs: Tensor): Tensor {
    requireArity(functionName, inputs, 2)
    return forwardFn(ctx, inputs[0], inputs[1])
  }

  override fun backward(ctx: Context, gradOutput: Tensor): Array<Tensor?> =
    backwardFn(ctx, gradOutput).let { (ga, gb) -> arrayOf(ga, gb) }

  override fun name(): String = functionName + "Backward"
}

/** A custom function of any number of inputs made by [customFunctionN]. */
public class CustomFunctionN
internal constructor(
  private val functionName: String,
  private val forwardFn: (Context, List<Tensor>) -> Tensor,
  private val backwardFn: (Context, Tensor) -> List<Tensor?>,
) : Function() {
  /** Applies the function to the inputs. */
  public operator fun invoke(vararg inputs: Tensor): Tensor = apply(*inputs)

  override fun forward(ctx: Context, vararg inputs: Tensor): Tensor =
    forwardFn(ctx, inputs.asList())

  override fun backward(ctx: Context, gradOutput: Tensor): Array<Tensor?> =
    backwardFn(ctx, gradOutput).toTypedArray()

  override fun name(): String = functionName + "Backward"
}

private fun requireArity(name: String, inputs: Array<out Tensor>, n: Int) {
  require(inputs.size == n) { "$name takes $n input tensor(s), got ${inputs.size}" }
}
