package dev.autograd.dsl

import dev.autograd.core.Autograd
import dev.autograd.core.AutogradFunctional
import dev.autograd.core.AutogradFunctional.Strategy
import dev.autograd.core.Tensor
import dev.autograd.core.UnpackedDual

/*
 * Forward-mode AD (torch.autograd.forward_ad) and functorch's jacfwd / jacrev in Kotlin:
 *   val jv = dualLevel { makeDual(x, v).sin().tangent }     // cos(x) * v
 *   val j = jacfwd { x: Tensor -> x.sin() }(x)
 *   val h = jacfwd(jacrev { x: Tensor -> (x pow 3).sum() })(x)  // forward-over-reverse Hessian
 */

/**
 * Runs [block] inside a forward-mode level (`with fwAD.dual_level():`); its tangents are dropped at
 * the end.
 */
public inline fun <T> dualLevel(block: () -> T): T = Autograd.dualLevel().use { block() }

/**
 * A dual tensor: [primal]'s values with [tangent] as its forward-mode derivative (inside
 * [dualLevel]).
 */
public fun makeDual(primal: Tensor, tangent: Tensor): Tensor = Autograd.makeDual(primal, tangent)

/** The primal and tangent of a dual tensor; destructure it: `val (p, t) = unpackDual(y)`. */
public fun unpackDual(t: Tensor): UnpackedDual = Autograd.unpackDual(t)

/** The primal of an unpacked dual. */
public operator fun UnpackedDual.component1(): Tensor = primal()

/** The tangent of an unpacked dual (null when it has none). */
public operator fun UnpackedDual.component2(): Tensor? = tangent()

/** This tensor's tangent at the open dual level, or null. */
public val Tensor.tangent: Tensor?
  get() = Autograd.unpackDual(this).tangent()

/**
 * functorch's `jacfwd(f)`: a function returning the Jacobian of [f] by forward mode (`out.shape +
 * in.shape`).
 */
public fun jacfwd(f: (Tensor) -> Tensor): (Tensor) -> Tensor {
  val j = AutogradFunctional.jacfwd(java.util.function.Function<Tensor, Tensor> { f(it) })
  return { x -> j.apply(x) }
}

/** functorch's `jacfwd(f, argnums)`: the Jacobians with respect to the inputs at [argnums]. */
public fun jacfwd(argnums: IntArray, f: (List<Tensor>) -> Tensor): (List<Tensor>) -> List<Tensor> {
  val j =
    AutogradFunctional.jacfwd(
      java.util.function.Function<Array<Tensor>, Tensor> { f(it.toList()) },
      *argnums,
    )
  return { xs -> j.apply(xs.toTypedArray()).toList() }
}

/** functorch's `jacrev(f)`: a function returning the Jacobian of [f] by reverse mode. */
public fun jacrev(f: (Tensor) -> Tensor): (Tensor) -> Tensor {
  val j = AutogradFunctional.jacrev(java.util.function.Function<Tensor, Tensor> { f(it) })
  return { x -> j.apply(x) }
}

/** functorch's `jacrev(f, argnums)`: the Jacobians with respect to the inputs at [argnums]. */
public fun jacrev(argnums: IntArray, f: (List<Tensor>) -> Tensor): (List<Tensor>) -> List<Tensor> {
  val j =
    AutogradFunctional.jacrev(
      java.util.function.Function<Array<Tensor>, Tensor> { f(it.toList()) },
      *argnums,
    )
  return { xs -> j.apply(xs.toTypedArray()).toList() }
}

/**
 * The Jacobian of [f] at [input] by [strategy] (`jacobian(..., strategy="forward-mode",
 * vectorize=True)`).
 */
public fun jacobian(
  input: Tensor,
  strategy: Strategy,
  vectorize: Boolean = true,
  f: (Tensor) -> Tensor,
): Tensor =
  AutogradFunctional.jacobian(
      { xs: Array<Tensor> -> arrayOf(f(xs[0])) },
      arrayOf(input),
      false,
      false,
      vectorize,
      strategy,
    )[0][0]

/**
 * The Hessian of [f] at [input] with the outer Jacobian by [outerJacobianStrategy] (forward mode:
 * forward-over-reverse).
 */
public fun hessian(
  input: Tensor,
  outerJacobianStrategy: Strategy,
  vectorize: Boolean = true,
  f: (Tensor) -> Tensor,
): Tensor =
  AutogradFunctional.hessian(
      { xs: Array<Tensor> -> f(xs[0]) },
      arrayOf(input),
      false,
      false,
      vectorize,
      outerJacobianStrategy,
    )[0][0]
