package dev.autograd.dsl

import dev.autograd.core.Tensor
import dev.autograd.core.display.GraphView
import dev.autograd.core.display.Graphs
import dev.autograd.core.display.TensorHtml

/** The graph that produced this tensor; renders as SVG in a notebook. */
public fun Tensor.graph(): GraphView = Graphs.view(this)

/** Graphviz DOT text of the graph that produced this tensor. */
public fun Tensor.toDot(): String = Graphs.toDot(this)

/** An SVG drawing of the graph that produced this tensor. */
public fun Tensor.toSvg(): String = Graphs.toSvg(this)

/** This tensor as an HTML table with a shape/dtype/grad header (what notebooks show). */
public fun Tensor.toHtml(maxRows: Int = 10, maxCols: Int = 10): String =
  TensorHtml.render(this, maxRows, maxCols)
