package dev.autograd.dsl

import dev.autograd.core.Tensor

// Arithmetic, products, comparisons and in-place updates as Kotlin operators and infix calls.
// Every function is one core call: gradients are exactly those of the Java API.
//
// Note [infix precedence]: Kotlin gives named infix calls (pow, mm, matmul, dot, gt, ...) LOWER
// precedence than * / + -. So `x pow 2 * exp(x)` means `x pow (2 * exp(x))`; write
// `(x pow 2) * exp(x)`. Likewise `a mm b + c` is `a mm (b + c)`.
//
// `x / y` and `x / 2.0` use Tensor's own Java `div` methods (Kotlin treats any Java method named
// `div` as the operator); the extensions below add the other operand types.

/** `this + other` with broadcasting (`Tensor.add`); the gradient flows to both sides unchanged. */
public operator fun Tensor.plus(other: Tensor): Tensor = add(other)

/** `this + other` for a number (`Tensor.add(double)`). */
public operator fun Tensor.plus(other: Number): Tensor = add(other.toDouble())

/** `this + other` for a number on the left (`other.add(double)`). */
public operator fun Number.plus(other: Tensor): Tensor = other.add(toDouble())

/** `this - other` with broadcasting (`Tensor.sub`); the gradient of `other` is negated. */
public operator fun Tensor.minus(other: Tensor): Tensor = sub(other)

/** `this - other` for a number (`Tensor.sub(double)`). */
public operator fun Tensor.minus(other: Number): Tensor = sub(other.toDouble())

/** `this - other` for a number on the left (`other.rsub(double)`). */
public operator fun Number.minus(other: Tensor): Tensor = other.rsub(toDouble())

/** Element-wise `this * other` with broadcasting (`Tensor.mul`). */
public operator fun Tensor.times(other: Tensor): Tensor = mul(other)

/** `this * other` for a number (`Tensor.mul(double)`). */
public operator fun Tensor.times(other: Number): Tensor = mul(other.toDouble())

/** `this * other` for a number on the left, e.g. `lr * w.grad!!` (`other.mul(double)`). */
public operator fun Number.times(other: Tensor): Tensor = other.mul(toDouble())

/**
 * `this / other` for an `Int`, `Long` or `Float` (`Tensor.div(double)`); a `Double` uses the Java
 * member.
 */
public operator fun Tensor.div(other: Number): Tensor = div(other.toDouble())

/** `this / other` for a number on the left (`other.rdiv(double)`). */
public operator fun Number.div(other: Tensor): Tensor = other.rdiv(toDouble())

/** `-this` (`Tensor.neg`). */
public operator fun Tensor.unaryMinus(): Tensor = neg()

/** `+this`: the tensor itself. */
public operator fun Tensor.unaryPlus(): Tensor = this

/**
 * `this ^ exponent` element-wise (`Tensor.pow(double)`); d/dx = c·x^(c−1). An infix call binds
 * looser than `*`: write `(x pow 2) * exp(x)`, because `x pow 2 * exp(x)` is `x pow (2 * exp(x))`.
 */
public infix fun Tensor.pow(exponent: Number): Tensor = pow(exponent.toDouble())

/**
 * `this ^ exponent` element-wise with broadcasting (`Tensor.pow(Tensor)`); binds looser than `*`.
 */
public infix fun Tensor.pow(exponent: Tensor): Tensor = pow(exponent)

/** `base ^ exponent` for a number base, e.g. `2 pow x` (a broadcast `Tensor.pow(Tensor)`). */
public infix fun Number.pow(exponent: Tensor): Tensor =
  Tensor.scalar(toDouble(), exponent.dtype()).pow(exponent)

/** Matrix product of two 2-D tensors (`Tensor.mm`); binds looser than `+`, so bracket sums. */
public infix fun Tensor.mm(other: Tensor): Tensor = mm(other)

/** PyTorch's `@` (`Tensor.matmul`): 1-D, 2-D and batched products. */
public infix fun Tensor.matmul(other: Tensor): Tensor = matmul(other)

/** Dot product of two 1-D tensors (`Tensor.dot`), a 0-dim tensor. */
public infix fun Tensor.dot(other: Tensor): Tensor = dot(other)

/** Mask of `this > other` (BOOL, no gradient). */
public infix fun Tensor.gt(other: Tensor): Tensor = gt(other)

/** Mask of `this > other` for a number, e.g. `x gt 0`. */
public infix fun Tensor.gt(other: Number): Tensor = gt(other.toDouble())

/** Mask of `this < other` (BOOL, no gradient). */
public infix fun Tensor.lt(other: Tensor): Tensor = lt(other)

/** Mask of `this < other` for a number. */
public infix fun Tensor.lt(other: Number): Tensor = lt(other.toDouble())

/** Mask of `this >= other` (BOOL, no gradient). */
public infix fun Tensor.ge(other: Tensor): Tensor = ge(other)

/** Mask of `this >= other` for a number. */
public infix fun Tensor.ge(other: Number): Tensor = ge(other.toDouble())

/** Mask of `this <= other` (BOOL, no gradient). */
public infix fun Tensor.le(other: Tensor): Tensor = le(other)

/** Mask of `this <= other` for a number. */
public infix fun Tensor.le(other: Number): Tensor = le(other.toDouble())

/** Mask of `this == other` element-wise (BOOL). Not Kotlin's `==`, which compares identity. */
public infix fun Tensor.eq(other: Tensor): Tensor = eq(other)

/** Mask of `this == other` for a number. */
public infix fun Tensor.eq(other: Number): Tensor = eq(other.toDouble())

/** Mask of `this != other` element-wise (BOOL). */
public infix fun Tensor.ne(other: Tensor): Tensor = ne(other)

/** Mask of `this != other` for a number. */
public infix fun Tensor.ne(other: Number): Tensor = ne(other.toDouble())

// In-place updates. Note [val, not var]: for a `var w`, Kotlin finds both `w = w - x` (minus) and
// `w.minusAssign(x)` for `w -= x` and reports an ambiguity. Declare weights with `val`: then
// `w -= lr * w.grad!!` is `w.sub_(lr * w.grad!!)`, PyTorch's in-place `w -= ...`.

/**
 * `this += other` in place (`Tensor.add_`); use on a `val`. On a leaf that requires grad, only
 * inside `noGrad { }`.
 */
public operator fun Tensor.plusAssign(other: Tensor) {
  add_(other)
}

/** `this += other` in place for a number (`Tensor.add_(double)`). */
public operator fun Tensor.plusAssign(other: Number) {
  add_(other.toDouble())
}

/** `this -= other` in place (`Tensor.sub_`), e.g. `noGrad { w -= lr * w.grad!! }` for a `val w`. */
public operator fun Tensor.minusAssign(other: Tensor) {
  sub_(other)
}

/** `this -= other` in place for a number (`Tensor.sub_(double)`). */
public operator fun Tensor.minusAssign(other: Number) {
  sub_(other.toDouble())
}

/** `this *= other` in place (`Tensor.mul_`); use on a `val`. */
public operator fun Tensor.timesAssign(other: Tensor) {
  mul_(other)
}

/** `this *= other` in place for a number (`Tensor.mul_(double)`). */
public operator fun Tensor.timesAssign(other: Number) {
  mul_(other.toDouble())
}

/** `this /= other` in place (`Tensor.div_`); use on a `val`. */
public operator fun Tensor.divAssign(other: Tensor) {
  div_(other)
}

/** `this /= other` in place for a number (`Tensor.div_(double)`). */
public operator fun Tensor.divAssign(other: Number) {
  div_(other.toDouble())
}
