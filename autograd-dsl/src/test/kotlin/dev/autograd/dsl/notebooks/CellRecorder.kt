package dev.autograd.dsl.notebooks

import dev.autograd.nn.display.NotebookDisplay
import java.io.ByteArrayOutputStream
import java.io.File
import java.io.OutputStream
import java.io.PrintStream

/**
 * Records what the cells of a notebook print and show, so that the notebook generator
 * (autograd-jupyter-test, NotebookGenerator) can save them as the cells' outputs. In a spec, a
 * cell is the code after `nb.cell("name")` up to the next `nb.cell` or `nb.save()`; its displayed
 * value is `nb.out(value)` (the notebook shows `value` as the cell's last line), rendered as the
 * notebook integration renders it. Outputs go to `target/notebook-cells/<notebook>/`.
 */
class CellRecorder(private val notebook: String) {
  private val original: PrintStream = System.out
  private var name: String? = null
  private var buffer = ByteArrayOutputStream()
  private val outputs = LinkedHashMap<String, Pair<String, Map<String, String>>>()
  private var shown: Map<String, String> = emptyMap()

  /** Starts cell `name`: what it prints is captured (and still printed). */
  fun cell(name: String) {
    finish()
    this.name = name
    buffer = ByteArrayOutputStream()
    shown = emptyMap()
    System.setOut(PrintStream(Tee(original, buffer), true, Charsets.UTF_8))
  }

  /** The cell's displayed value: the library's rendering, or its text as the kernel shows it. */
  fun out(value: Any?) {
    shown = NotebookDisplay.bundle(value) ?: mapOf("text/plain" to value.toString())
  }

  /** Ends the last cell and writes every cell's outputs. */
  fun save() {
    finish()
    System.setOut(original)
    val dir = File("target/notebook-cells/$notebook")
    dir.deleteRecursively()
    dir.mkdirs()
    for ((cell, output) in outputs) {
      if (output.first.isNotEmpty()) File(dir, "$cell.stdout").writeText(output.first)
      for ((mime, content) in output.second) File(dir, "$cell.${mime.replace('/', '_').replace('+', '-')}").writeText(content)
    }
  }

  private fun finish() {
    val n = name ?: return
    System.out.flush()
    outputs[n] = buffer.toString(Charsets.UTF_8) to shown
    System.setOut(original)
    name = null
  }

  private class Tee(private val a: OutputStream, private val b: OutputStream) : OutputStream() {
    override fun write(byte: Int) {
      a.write(byte)
      b.write(byte)
    }

    override fun write(bytes: ByteArray, off: Int, len: Int) {
      a.write(bytes, off, len)
      b.write(bytes, off, len)
    }
  }
}
