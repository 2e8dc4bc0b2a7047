package dev.autograd.dsl.jupyter

import dev.autograd.core.Tensor
import dev.autograd.core.display.GraphView
import dev.autograd.core.display.TensorHtml
import org.jetbrains.kotlinx.jupyter.api.HTML
import org.jetbrains.kotlinx.jupyter.api.libraries.JupyterIntegration

/**
 * Loads the library into a Kotlin notebook: imports core, nn and the DSL, and renders tensors
 * as HTML tables and autograd graphs as SVG. Found by the kernel through
 * `META-INF/kotlin-jupyter-libraries/libraries.json`.
 */
internal class AutogradIntegration : JupyterIntegration() {
    override fun Builder.onLoaded() {
        import(
            "dev.autograd.core.*",
            "dev.autograd.core.display.*",
            "dev.autograd.nn.*",
            "dev.autograd.nn.optim.*",
            "dev.autograd.nn.data.*",
            "dev.autograd.nn.init.*",
            "dev.autograd.nn.io.*",
            "dev.autograd.dsl.*",
        )
        render<Tensor> { HTML(TensorHtml.render(it)) }
        render<GraphView> { HTML(it.svg()) }
    }
}
