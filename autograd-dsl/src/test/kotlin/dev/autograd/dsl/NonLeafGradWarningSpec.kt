package dev.autograd.dsl

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.io.ByteArrayOutputStream
import java.io.PrintStream

/** What [action] printed to System.err. */
private fun stderrOf(action: () -> Unit): String {
  val saved = System.err
  val bytes = ByteArrayOutputStream()
  System.setErr(PrintStream(bytes, true, Charsets.UTF_8))
  try {
    action()
  } finally {
    System.setErr(saved)
  }
  return bytes.toString(Charsets.UTF_8)
}

class NonLeafGradWarningSpec :
  FunSpec({
    test(
      "x.grad of a non-leaf warns once per call site of the Kotlin code, not of the DSL's property"
    ) {
      val x = tensor(listOf(1.0, 2.0), requiresGrad = true)
      val y = x * 2.0
      y.sum().backward()
      val err = stderrOf {
        repeat(3) { y.grad shouldBe null } // one call site
        y.grad shouldBe null // another
      }
      err.lines().count {
        "UserWarning: The .grad attribute of a Tensor that is not a leaf Tensor" in it
      } shouldBe 2
      err shouldContain "NonLeafGradWarningSpec"
    }
  })
