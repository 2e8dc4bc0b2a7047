package dev.autograd.dsl.jupyter

import dev.autograd.core.CompiledFunction
import dev.autograd.core.Tensor
import dev.autograd.core.display.GraphView
import dev.autograd.dsl.TrainingHistory
import dev.autograd.nn.Module
import dev.autograd.nn.display.History
import dev.autograd.nn.display.NotebookDisplay
import org.jetbrains.kotlinx.jupyter.api.libraries.JupyterIntegration

/**
 * Loads the library into a Kotlin notebook: imports core, nn and the DSL, and renders tensors and
 * modules as HTML tables, autograd graphs and compiled functions' traces as SVG and training
 * histories as charts (see [NotebookDisplay]). Found by the kernel through
 * `META-INF/kotlin-jupyter-libraries/libraries.json`.
 */
internal class AutogradIntegration : JupyterIntegration() {
  override fun Builder.onLoaded() {
    import(
      "dev.autograd.core.*",
      "dev.autograd.core.display.*",
      "dev.autograd.nn.*",
      "dev.autograd.nn.display.*",
      "dev.autograd.nn.optim.*",
      "dev.autograd.nn.data.*",
      "dev.autograd.nn.init.*",
      "dev.autograd.nn.io.*",
      "dev.autograd.dsl.*",
      // explicit, so that `Function` means ours and not the star-import-beating kotlin.Function
      "dev.autograd.core.Function",
    )
    render<Tensor> { mimeOf(NotebookDisplay.bundle(it)!!) }
    render<GraphView> { mimeOf(NotebookDisplay.bundle(it)!!) }
    render<CompiledFunction> { mimeOf(NotebookDisplay.bundle(it)!!) }
    render<Module> { mimeOf(NotebookDisplay.bundle(it)!!) }
    render<History> { mimeOf(NotebookDisplay.bundle(it)!!) }
    render<TrainingHistory> {
      historyResult(it.stepLosses, it.epochLosses, it.metrics, it.toString())
    }
  }
}
