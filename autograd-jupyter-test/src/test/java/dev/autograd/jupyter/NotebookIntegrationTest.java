package dev.autograd.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jetbrains.kotlinx.jupyter.testkit.JupyterReplTestCase;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** The kit's REPL finds the integration on the classpath, runs its imports and its renderers. */
class NotebookIntegrationTest extends JupyterReplTestCase {

  @Test
  void importsCoreAndRendersATensorAsHtml() {
    String html = execHtml("Tensor.of(floatArrayOf(1f, 2f, 3f))");
    assertTrue(html.contains("shape [3]"), html);
    assertTrue(html.contains("torch.float32"), html);
    assertTrue(html.contains("<td"), html);
  }

  @Test
  void rendersTheGraphOfATensorAsSvg() throws Exception {
    exec("val x = Tensor.scalar(2.0).requiresGrad_(true)");
    exec("val y = x.pow(2.0).mul(x.exp())");
    String svg = execHtml("Graphs.view(y)");
    Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    assertEquals("svg", d.getDocumentElement().getTagName());
    assertTrue(svg.contains("MulBackward0") && svg.contains("PowBackward0") && svg.contains("ExpBackward0"), svg);
  }
}
