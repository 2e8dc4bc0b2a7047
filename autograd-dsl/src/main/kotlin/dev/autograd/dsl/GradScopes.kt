package dev.autograd.dsl

import dev.autograd.core.Autograd
import dev.autograd.core.GradMode
import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.ThreadContextElement
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.withContext

// Grad-mode scopes. Grad mode is per thread in core (GradMode); a coroutine may resume on
// another thread after each suspension, so the mode must travel in the coroutine context.
//
// Note [blocking vs suspending scopes]: noGrad { } / enableGrad { } take a plain (non-suspending)
// lambda, so the compiler rejects a suspending call inside them: a thread-local switch cannot
// survive a resume on another thread. Suspending code uses withNoGrad { } / withEnableGrad { },
// which put a GradModeElement into the coroutine context: kotlinx.coroutines sets the thread's
// grad mode each time the coroutine resumes on a thread and restores it when it suspends, so the
// mode follows the coroutine across dispatcher hops and never leaks into the pool's threads.

/**
 * Runs `block` with gradient recording off and returns its value (PyTorch's `with
 * torch.no_grad():`). Scopes nest; the previous mode is restored afterwards, also on an exception.
 * For suspending code use [withNoGrad].
 */
public fun <R> noGrad(block: () -> R): R = Autograd.noGrad().use { block() }

/**
 * Runs `block` with gradient recording on (`torch.enable_grad()`), e.g. inside [noGrad]; returns
 * its value.
 */
public fun <R> enableGrad(block: () -> R): R = Autograd.enableGrad().use { block() }

/**
 * Suspending `noGrad`: runs `block` with recording off in every thread it resumes on, also after
 * `withContext(Dispatchers.IO)` hops and `yield()`, and in child coroutines it launches.
 */
public suspend fun <R> withNoGrad(block: suspend CoroutineScope.() -> R): R =
  withContext(GradModeElement(false), block)

/** Suspending `enableGrad`: recording on for `block`, whichever threads it runs on. */
public suspend fun <R> withEnableGrad(block: suspend CoroutineScope.() -> R): R =
  withContext(GradModeElement(true), block)

/**
 * The grad mode of the calling coroutine: its [GradModeElement] if it has one, else the mode of the
 * thread it runs on.
 */
public suspend fun currentGradMode(): Boolean =
  currentCoroutineContext()[GradModeElement]?.enabled ?: GradMode.isEnabled()

/**
 * A coroutine context element carrying grad mode: while a coroutine with this element runs on a
 * thread, that thread's grad mode is [enabled]; when it suspends, the thread's own mode comes back.
 * Add it to a context (`launch(Dispatchers.Default + GradModeElement(false))`) to choose the mode
 * of a new coroutine.
 */
public class GradModeElement(
  /** Whether ops record gradients inside the coroutine. */
  public val enabled: Boolean
) : ThreadContextElement<Boolean> {
  /** The key of this element in a coroutine context. */
  public companion object Key : CoroutineContext.Key<GradModeElement>

  /** [Key], under which a coroutine context holds this element. */
  override val key: CoroutineContext.Key<GradModeElement>
    get() = Key

  /**
   * Sets the thread's grad mode to [enabled] as the coroutine resumes; returns the thread's
   * previous mode.
   */
  override fun updateThreadContext(context: CoroutineContext): Boolean {
    val previous = GradMode.isEnabled()
    GradMode.setEnabled(enabled)
    return previous
  }

  /** Gives the thread back its own grad mode, [oldState], as the coroutine suspends or ends. */
  override fun restoreThreadContext(context: CoroutineContext, oldState: Boolean) {
    GradMode.setEnabled(oldState)
  }

  /** `GradModeElement(enabled=...)`. */
  override fun toString(): String = "GradModeElement(enabled=$enabled)"
}
