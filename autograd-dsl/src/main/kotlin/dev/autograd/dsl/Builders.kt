package dev.autograd.dsl

import dev.autograd.core.Generator
import dev.autograd.core.Tensor
import dev.autograd.nn.AvgPool2d
import dev.autograd.nn.BatchNorm1d
import dev.autograd.nn.Conv2d
import dev.autograd.nn.Dropout
import dev.autograd.nn.Embedding
import dev.autograd.nn.Flatten
import dev.autograd.nn.GELU
import dev.autograd.nn.LayerNorm
import dev.autograd.nn.LeakyReLU
import dev.autograd.nn.Linear
import dev.autograd.nn.LogSoftmax
import dev.autograd.nn.MaxPool2d
import dev.autograd.nn.Module
import dev.autograd.nn.ReLU
import dev.autograd.nn.Sequential
import dev.autograd.nn.SiLU
import dev.autograd.nn.Sigmoid
import dev.autograd.nn.Softmax
import dev.autograd.nn.Tanh

/**
 * Marks the model-building DSL, so an inner `sequential { }` block cannot add to an outer one by
 * accident.
 */
@DslMarker public annotation class ModelDsl

/**
 * A [Sequential] built from a block, `nn.Sequential(nn.Linear(10, 50), nn.ReLU(), nn.Linear(50,
 * 1))` in PyTorch: `sequential { linear(10, 50); relu(); linear(50, 1) }`. Children are named by
 * position, so `stateDict()` has `0.weight`, `0.bias`, `2.weight`, `2.bias`.
 */
public fun sequential(block: SequentialBuilder.() -> Unit): Sequential {
  val model = Sequential()
  SequentialBuilder(model).block()
  return model
}

/**
 * The receiver of [sequential]: each call appends one layer (with the nn constructor's defaults)
 * and returns it. `+module` appends any module, `lambda { x -> ... }` a function.
 */
@ModelDsl
public class SequentialBuilder internal constructor(private val model: Sequential) {
  /** Appends `module` and returns it. */
  public fun <M : Module> add(module: M): M {
    model.add(module)
    return module
  }

  /** Appends this module: `+Linear(4, 16)` or `+MyBlock()`. */
  public operator fun Module.unaryPlus() {
    add(this)
  }

  /**
   * `nn.Linear(inFeatures, outFeatures, bias)`; weights from `gen` (null: the default generator).
   */
  public fun linear(
    inFeatures: Int,
    outFeatures: Int,
    bias: Boolean = true,
    gen: Generator? = null,
  ): Linear = add(Linear(inFeatures, outFeatures, bias, gen))

  /** `nn.ReLU()`. */
  public fun relu(): ReLU = add(ReLU())

  /** `nn.Sigmoid()`. */
  public fun sigmoid(): Sigmoid = add(Sigmoid())

  /** `nn.Tanh()`. */
  public fun tanh(): Tanh = add(Tanh())

  /** `nn.LeakyReLU(negativeSlope)`. */
  public fun leakyRelu(negativeSlope: Double = 0.01): LeakyReLU = add(LeakyReLU(negativeSlope))

  /** `nn.GELU()` (the exact, erf-based form). */
  public fun gelu(): GELU = add(GELU())

  /** `nn.SiLU()`. */
  public fun silu(): SiLU = add(SiLU())

  /**
   * `nn.Dropout(p)`: active in training mode only; masks from `gen` (null: the default generator).
   */
  public fun dropout(p: Double = 0.5, gen: Generator? = null): Dropout = add(Dropout(p, gen))

  /** `nn.Flatten(startDim, endDim)`: [N, C, H, W] to [N, C·H·W] by default. */
  public fun flatten(startDim: Int = 1, endDim: Int = -1): Flatten = add(Flatten(startDim, endDim))

  /** `nn.Softmax(dim)`. */
  public fun softmax(dim: Int): Softmax = add(Softmax(dim))

  /** `nn.LogSoftmax(dim)`. */
  public fun logSoftmax(dim: Int): LogSoftmax = add(LogSoftmax(dim))

  /** `nn.LayerNorm(normalizedShape, eps, elementwiseAffine)` over the trailing dims. */
  public fun layerNorm(
    vararg normalizedShape: Int,
    eps: Double = 1e-5,
    elementwiseAffine: Boolean = true,
  ): LayerNorm = add(LayerNorm(normalizedShape, eps, elementwiseAffine))

  /**
   * `nn.BatchNorm1d(numFeatures, eps, momentum, affine, trackRunningStats)`; a null momentum is a
   * cumulative average.
   */
  public fun batchNorm1d(
    numFeatures: Int,
    eps: Double = 1e-5,
    momentum: Double? = 0.1,
    affine: Boolean = true,
    trackRunningStats: Boolean = true,
  ): BatchNorm1d = add(BatchNorm1d(numFeatures, eps, momentum, affine, trackRunningStats))

  /** `nn.Conv2d` with square kernel, stride, padding and dilation. */
  public fun conv2d(
    inChannels: Int,
    outChannels: Int,
    kernelSize: Int,
    stride: Int = 1,
    padding: Int = 0,
    dilation: Int = 1,
    groups: Int = 1,
    bias: Boolean = true,
    gen: Generator? = null,
  ): Conv2d =
    add(
      Conv2d(
        inChannels,
        outChannels,
        intArrayOf(kernelSize, kernelSize),
        intArrayOf(stride, stride),
        intArrayOf(padding, padding),
        intArrayOf(dilation, dilation),
        groups,
        bias,
        gen,
      )
    )

  /** `nn.MaxPool2d(kernelSize, stride, padding)`; the stride defaults to the kernel size. */
  public fun maxPool2d(kernelSize: Int, stride: Int = kernelSize, padding: Int = 0): MaxPool2d =
    add(MaxPool2d(kernelSize, stride, padding))

  /** `nn.AvgPool2d(kernelSize, stride, padding)`; the stride defaults to the kernel size. */
  public fun avgPool2d(kernelSize: Int, stride: Int = kernelSize, padding: Int = 0): AvgPool2d =
    add(AvgPool2d(kernelSize, stride, padding))

  /**
   * `nn.Embedding(numEmbeddings, embeddingDim, paddingIdx)`: INT64 indices of any shape to
   * [*, embeddingDim].
   */
  public fun embedding(
    numEmbeddings: Int,
    embeddingDim: Int,
    paddingIdx: Long? = null,
    gen: Generator? = null,
  ): Embedding = add(Embedding(numEmbeddings, embeddingDim, paddingIdx, gen))

  /** Appends a parameter-free step computed by `fn`, e.g. `lambda { x -> x.reshape(-1, 4) }`. */
  public fun lambda(name: String = "Lambda", fn: (Tensor) -> Tensor): Lambda = add(Lambda(name, fn))
}

/**
 * A module that applies a function and has no parameters (Keras' `Lambda` layer); it prints as
 * `name()`. Its gradient is that of the ops `fn` calls.
 */
public class Lambda(private val name: String = "Lambda", private val fn: (Tensor) -> Tensor) :
  Module() {
  /** `fn(input)`. */
  override fun forward(input: Tensor): Tensor = fn(input)

  /** `name()`, as the module prints inside a `Sequential`. */
  override fun toString(): String = "$name()"
}
