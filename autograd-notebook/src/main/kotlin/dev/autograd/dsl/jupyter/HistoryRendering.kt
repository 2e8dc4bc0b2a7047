package dev.autograd.dsl.jupyter

import dev.autograd.nn.display.HistoryChart
import dev.autograd.nn.display.NotebookDisplay
import org.jetbrains.kotlinx.jupyter.api.MIME
import org.jetbrains.kotlinx.jupyter.api.MimeTypedResult

/**
 * A training history's chart as an HTML `<img>` with an embedded PNG: the loss per step and per
 * epoch, and the named per-epoch metrics (drawn by [HistoryChart]). For history types of the DSL.
 */
public fun historyHtml(
  stepLosses: List<Double>,
  epochLosses: List<Double>,
  metrics: Map<String, List<Double>>,
): String = HistoryChart.html(stepLosses, epochLosses, metrics)

/** The same chart as a notebook result: HTML, a PNG and `text` as the plain-text fallback. */
public fun historyResult(
  stepLosses: List<Double>,
  epochLosses: List<Double>,
  metrics: Map<String, List<Double>>,
  text: String,
): MimeTypedResult = mimeOf(NotebookDisplay.history(stepLosses, epochLosses, metrics, text))

internal fun mimeOf(bundle: Map<String, String>): MimeTypedResult =
  MIME(*bundle.map { (k, v) -> k to v }.toTypedArray())
