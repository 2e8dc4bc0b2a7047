package dev.autograd.dsl

import dev.autograd.core.Tensor
import dev.autograd.nn.LSTM
import dev.autograd.nn.Module
import kotlin.properties.PropertyDelegateProvider
import kotlin.properties.ReadOnlyProperty
import kotlin.properties.ReadWriteProperty
import kotlin.reflect.KProperty

/**
 * A [Module] whose submodules, parameters and buffers register themselves under their property
 * names, as attribute assignment does in PyTorch:
 * ```
 * class SimpleNet : KModule() {
 *   val fc1 by module(Linear(10, 50))
 *   val fc2 by module(Linear(50, 1))
 *   override fun forward(input: Tensor): Tensor = fc2(relu(fc1(input)))
 * }
 * ```
 *
 * `stateDict()` then has `fc1.weight`, `fc1.bias`, ...; registration order is declaration order.
 * Parameters and buffers are looked up by name on every access, so they follow `to(DType)`.
 */
public abstract class KModule : Module() {
  /** Registers `child` as submodule `<property name>`; reading the property returns it. */
  protected fun <M : Module> module(
    child: M
  ): PropertyDelegateProvider<KModule, ReadOnlyProperty<KModule, M>> =
    PropertyDelegateProvider { _, property ->
      registerModule(property.name, child)
      ReadOnlyProperty { _, _ -> child }
    }

  /**
   * Registers `init` (a floating-point leaf; made to require grad) as parameter `<property name>`;
   * reading the property returns the module's current tensor of that name.
   */
  protected fun parameter(
    init: Tensor
  ): PropertyDelegateProvider<KModule, ReadOnlyProperty<KModule, Tensor>> =
    PropertyDelegateProvider { _, property ->
      registerParameter(property.name, init)
      ReadOnlyProperty { module, p -> module.parameter(p.name) }
    }

  /**
   * Registers `init` as buffer `<property name>` (saved in `stateDict()`, not trained). Declared
   * with `var`, assigning the property replaces the buffer's tensor.
   */
  protected fun buffer(
    init: Tensor
  ): PropertyDelegateProvider<KModule, ReadWriteProperty<KModule, Tensor>> =
    PropertyDelegateProvider { _, property ->
      registerBuffer(property.name, init)
      BufferDelegate
    }

  private object BufferDelegate : ReadWriteProperty<KModule, Tensor> {
    override fun getValue(thisRef: KModule, property: KProperty<*>): Tensor =
      thisRef.buffer(property.name)

    override fun setValue(thisRef: KModule, property: KProperty<*>, value: Tensor) {
      thisRef.setBuffer(property.name, value)
    }
  }
}

/**
 * The output sequence of `val (output, hN, cN) = lstm(x, h0, c0)` (PyTorch: `output, (h_n, c_n) =
 * lstm(x, (h0, c0))`).
 */
public operator fun LSTM.Output.component1(): Tensor = output

/** The final hidden state of every layer, [L, N, H]. */
public operator fun LSTM.Output.component2(): Tensor = hN

/** The final cell state of every layer, [L, N, H]. */
public operator fun LSTM.Output.component3(): Tensor = cN
