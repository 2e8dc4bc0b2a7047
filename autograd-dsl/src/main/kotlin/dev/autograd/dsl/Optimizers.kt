package dev.autograd.dsl

import dev.autograd.core.Tensor
import dev.autograd.nn.optim.Adagrad
import dev.autograd.nn.optim.Adam
import dev.autograd.nn.optim.AdamW
import dev.autograd.nn.optim.RMSprop
import dev.autograd.nn.optim.SGD

// `torch.optim` constructors with PyTorch's keyword names and defaults:
// `adam(model.parameters(), lr = 1e-3, weightDecay = 1e-4)`. Each is one nn.optim constructor call.

/**
 * `optim.SGD`: plain, momentum (with dampening) or Nesterov gradient descent, with L2 weight decay.
 */
public fun sgd(
  params: List<Tensor>,
  lr: Double,
  momentum: Double = 0.0,
  dampening: Double = 0.0,
  weightDecay: Double = 0.0,
  nesterov: Boolean = false,
): SGD = SGD(params, lr, momentum, dampening, weightDecay, nesterov)

/** `optim.Adam` with `betas = beta1 to beta2`; `amsgrad` keeps the maximum second moment. */
public fun adam(
  params: List<Tensor>,
  lr: Double = 1e-3,
  betas: Pair<Double, Double> = 0.9 to 0.999,
  eps: Double = 1e-8,
  weightDecay: Double = 0.0,
  amsgrad: Boolean = false,
): Adam = Adam(params, lr, betas.first, betas.second, eps, weightDecay, amsgrad)

/** `optim.AdamW`: Adam with decoupled weight decay (default 1e-2). */
public fun adamW(
  params: List<Tensor>,
  lr: Double = 1e-3,
  betas: Pair<Double, Double> = 0.9 to 0.999,
  eps: Double = 1e-8,
  weightDecay: Double = 1e-2,
  amsgrad: Boolean = false,
): AdamW = AdamW(params, lr, betas.first, betas.second, eps, weightDecay, amsgrad)

/** `optim.RMSprop`: `alpha` smooths the squared gradients; optional momentum and centering. */
public fun rmsprop(
  params: List<Tensor>,
  lr: Double = 1e-2,
  alpha: Double = 0.99,
  eps: Double = 1e-8,
  weightDecay: Double = 0.0,
  momentum: Double = 0.0,
  centered: Boolean = false,
): RMSprop = RMSprop(params, lr, alpha, eps, weightDecay, momentum, centered)

/** `optim.Adagrad`: per-element learning rates from the accumulated squared gradients. */
public fun adagrad(
  params: List<Tensor>,
  lr: Double = 1e-2,
  lrDecay: Double = 0.0,
  weightDecay: Double = 0.0,
  initialAccumulatorValue: Double = 0.0,
  eps: Double = 1e-10,
): Adagrad = Adagrad(params, lr, lrDecay, weightDecay, initialAccumulatorValue, eps)
