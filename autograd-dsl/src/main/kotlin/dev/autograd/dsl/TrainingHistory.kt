package dev.autograd.dsl

import java.util.Collections

/**
 * One finished epoch of [fit]: its number (from 1), mean batch loss, batch count and wall time.
 *
 * @property epoch the epoch's number, from 1
 * @property meanLoss the mean of the epoch's batch losses
 * @property batches how many batches (optimizer steps) the epoch took
 * @property seconds the epoch's wall time in seconds
 */
public data class EpochStats(
  val epoch: Int,
  val meanLoss: Double,
  val batches: Int,
  val seconds: Double,
)

/**
 * One optimizer step of [fit]: epoch (from 1), step within the epoch (from 1), global step (from
 * 1), loss.
 *
 * @property epoch the epoch's number, from 1
 * @property step the step's number within its epoch, from 1
 * @property globalStep the step's number over the whole run, from 1
 * @property loss the batch loss of this step
 */
public data class StepStats(val epoch: Int, val step: Int, val globalStep: Int, val loss: Double)

/**
 * The record of a training run, filled by [fit] (or by hand in a plain loop): the loss of every
 * step, the mean loss of every epoch, and named metrics per epoch (e.g. held-out accuracy). The
 * lists are read-only live views, so a chart can redraw between epochs. Not synchronized: record
 * from one thread, and read from another only while no training is running.
 */
public class TrainingHistory {
  private val steps = ArrayList<Double>()
  private val epochMeans = ArrayList<Double>()
  private val epochList = ArrayList<EpochStats>()
  private val metricLists = LinkedHashMap<String, MutableList<Double>>()
  private val metricViews = LinkedHashMap<String, List<Double>>()

  /** The loss of every optimizer step, in order. */
  public val stepLosses: List<Double> = Collections.unmodifiableList(steps)

  /** The mean batch loss of every epoch, in order. */
  public val epochLosses: List<Double> = Collections.unmodifiableList(epochMeans)

  /** Every epoch's [EpochStats], in order. */
  public val epochs: List<EpochStats> = Collections.unmodifiableList(epochList)

  /** Named metrics, one value per epoch in which they were recorded, in first-recorded order. */
  public val metrics: Map<String, List<Double>> = Collections.unmodifiableMap(metricViews)

  /** Appends the loss of one step. */
  public fun recordStep(loss: Double) {
    steps += loss
  }

  /** Appends a finished epoch (its mean loss goes to [epochLosses]). */
  public fun recordEpoch(stats: EpochStats) {
    epochList += stats
    epochMeans += stats.meanLoss
  }

  /** Appends `value` to the metric `name`. */
  public fun recordMetric(name: String, value: Double) {
    val values =
      metricLists.getOrPut(name) {
        ArrayList<Double>().also { metricViews[name] = Collections.unmodifiableList(it) }
      }
    values += value
  }

  /** A one-line summary: epochs, steps, the last epoch's loss and the last value of each metric. */
  override fun toString(): String {
    val last = epochList.lastOrNull() ?: return "TrainingHistory(no epochs)"
    val extra = metricLists.entries.joinToString("") { (k, v) -> ", $k=${v.lastOrNull()}" }
    return "TrainingHistory(epochs=${epochList.size}, steps=${steps.size}, loss=${last.meanLoss}$extra)"
  }
}
