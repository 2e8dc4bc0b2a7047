package dev.autograd.nn.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.core.Autograd;
import dev.autograd.core.CompiledFunction;
import dev.autograd.core.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NotebookDisplayTest {
  @Test
  void aCompiledFunctionShowsItsTracesAsTextAndDrawings() {
    Tensor w = Tensor.randn(3, 2).requiresGrad_();
    CompiledFunction f = Autograd.compile(a -> a[0].mm(w).relu().sum());
    f.call(Tensor.randn(4, 3));
    f.call(Tensor.randn(5, 3)); // another shape: a second trace
    Map<String, String> bundle = NotebookDisplay.bundle(f);
    String html = bundle.get("text/html");
    assertTrue(html.startsWith("<div class=\"autograd-compiled\"><pre>CompiledFunction"), html);
    assertTrue(html.contains("<b>trace 1</b>") && html.contains("<b>trace 2</b>"), html);
    assertEquals(2, html.split("<svg ", -1).length - 1, "one drawing per trace");
    assertTrue(html.contains("class=\"node backward\""), html);
    assertEquals(f.toString(), bundle.get("text/plain"));
  }

  @Test
  void valuesItCannotShowGiveNoBundle() {
    assertNull(NotebookDisplay.bundle("text"));
  }
}
