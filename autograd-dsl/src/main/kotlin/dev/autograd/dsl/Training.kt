package dev.autograd.dsl

import dev.autograd.core.Tensor
import dev.autograd.nn.Loss
import dev.autograd.nn.Module
import dev.autograd.nn.optim.Optimizer

// A training loop helper and evaluation under noGrad. They are the plain loop, written once:
//   for (epoch in 1..epochs) { model.train(); for ((x, y) in loader) {
//     optimizer.zeroGrad(); val l = loss(model(x), y); l.backward(); optimizer.step() } }
// so a hand-written loop with the same seed gives the same weights.

/**
 * Trains this module for `epochs` passes over `loader` (batches `[input, target]`, e.g. a
 * `DataLoader`): per batch `optimizer.zeroGrad()`, `loss(this(input), target).backward()`,
 * `optimizer.step()`, in training mode. After each epoch it records the epoch in `history`,
 * evaluates every `metrics` entry into `history.metrics`, then calls `onEpoch`; `onStep` sees every
 * step. Returns `history`. The loss must be a scalar.
 */
public fun Module.fit(
  loader: Iterable<Array<Tensor>>,
  optimizer: Optimizer,
  loss: (output: Tensor, target: Tensor) -> Tensor,
  epochs: Int = 1,
  metrics: Map<String, () -> Double> = emptyMap(),
  history: TrainingHistory = TrainingHistory(),
  onStep: (StepStats) -> Unit = {},
  onEpoch: (EpochStats) -> Unit = {},
): TrainingHistory {
  require(epochs >= 0) { "fit: epochs must be non-negative, got $epochs" }
  var globalStep = history.stepLosses.size
  for (epoch in 1..epochs) {
    train()
    val start = System.nanoTime()
    var sum = 0.0
    var batches = 0
    for (batch in loader) {
      require(batch.size >= 2) {
        "fit: expected batches [input, target], got ${batch.size} tensor(s)"
      }
      optimizer.zeroGrad()
      val value = loss(invoke(batch[0]), batch[1])
      value.backward()
      optimizer.step()
      val v = value.item()
      sum += v
      batches++
      globalStep++
      history.recordStep(v)
      onStep(StepStats(epoch, batches, globalStep, v))
    }
    val stats =
      EpochStats(
        epoch,
        if (batches == 0) Double.NaN else sum / batches,
        batches,
        (System.nanoTime() - start) / 1e9,
      )
    history.recordEpoch(stats)
    for ((name, metric) in metrics) history.recordMetric(name, metric())
    onEpoch(stats)
  }
  return history
}

/**
 * [fit] with an nn loss module, e.g. `model.fit(loader, optimizer, CrossEntropyLoss(), epochs =
 * 100)`.
 */
public fun Module.fit(
  loader: Iterable<Array<Tensor>>,
  optimizer: Optimizer,
  loss: Loss,
  epochs: Int = 1,
  metrics: Map<String, () -> Double> = emptyMap(),
  history: TrainingHistory = TrainingHistory(),
  onStep: (StepStats) -> Unit = {},
  onEpoch: (EpochStats) -> Unit = {},
): TrainingHistory =
  fit(
    loader,
    optimizer,
    { output, target -> loss.forward(output, target) },
    epochs,
    metrics,
    history,
    onStep,
    onEpoch,
  )

/**
 * The mean of `metric(this(input), target)` over `loader`'s batches, weighted by batch size (so
 * [accuracy] gives the exact accuracy), computed in eval mode under `noGrad`; the module's training
 * mode is restored afterwards.
 */
public fun Module.evaluate(
  loader: Iterable<Array<Tensor>>,
  metric: (output: Tensor, target: Tensor) -> Double,
): Double {
  val wasTraining = isTraining
  eval()
  try {
    var sum = 0.0
    var count = 0L
    noGrad {
      for (batch in loader) {
        require(batch.size >= 2) {
          "evaluate: expected batches [input, target], got ${batch.size} tensor(s)"
        }
        val n = if (batch[0].dim() == 0) 1 else batch[0].size(0)
        sum += metric(invoke(batch[0]), batch[1]) * n
        count += n
      }
    }
    return if (count == 0L) Double.NaN else sum / count
  } finally {
    train(wasTraining)
  }
}

/** The mean of an nn loss over `loader` (see [evaluate]), e.g. the held-out `MSELoss`. */
public fun Module.evaluate(loader: Iterable<Array<Tensor>>, loss: Loss): Double =
  evaluate(loader) { output, target -> loss.forward(output, target).item() }

/**
 * The fraction of rows of `logits` `[N, C]` whose largest entry is at the INT64 class index in
 * `targets` `[N]` (first of ties, as `argmax`). Not differentiable: a metric, not a loss.
 */
public fun accuracy(logits: Tensor, targets: Tensor): Double {
  require(logits.dim() == 2 && targets.dim() == 1 && logits.size(0) == targets.size(0)) {
    "accuracy: expected logits [N, C] and targets [N], got ${logits.shape} and ${targets.shape}"
  }
  if (targets.numel() == 0) return Double.NaN
  return logits.argmax(1, false).eq(targets).sum().item() / targets.numel()
}
