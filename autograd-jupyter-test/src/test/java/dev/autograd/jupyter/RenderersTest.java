package dev.autograd.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jetbrains.kotlinx.jupyter.testkit.JupyterReplTestCase;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The integration's renderers, through the kit's REPL: modules, graphs and training histories. */
class RenderersTest extends JupyterReplTestCase {

  @Test
  void rendersASequentialModelAsASummaryTable() {
    exec("val model = Sequential(Linear(4, 8), ReLU(), Linear(8, 3))");
    String html = execHtml("model");
    List<String> names = cells(html, 0);
    assertEquals(List.of("0", "1", "2"), names, html);
    assertEquals(List.of("Linear", "ReLU", "Linear"), cells(html, 1), html);
    assertTrue(cells(html, 2).get(0).contains("Linear(in_features=4, out_features=8, bias=True)"), html);
    assertEquals(List.of("weight [8, 4], bias [8]", "", "weight [3, 8], bias [3]"), cells(html, 3), html);
    assertEquals(List.of("40", "&ndash;", "27"), cells(html, 4), html);
    assertTrue(html.contains("Total params: <span class=\"total\">67</span>"), html);
    assertTrue(html.contains("Trainable params: <span class=\"trainable\">67</span>"), html);
  }

  @Test
  void nestedModulesGetDottedNamesAndFrozenParametersAreNotTrainable() {
    exec("class AutoEncoder : Module() {\n"
        + "  val encoder = registerModule(\"encoder\", Sequential(Linear(784, 128), ReLU()))\n"
        + "  val decoder = registerModule(\"decoder\", Linear(128, 784))\n"
        + "  override fun forward(input: Tensor): Tensor = decoder.forward(encoder.forward(input))\n"
        + "}");
    exec("val ae = AutoEncoder()");
    exec("ae.decoder.parameter(\"bias\").requiresGrad_(false)");
    String html = execHtml("ae");
    assertEquals(List.of("encoder", "encoder.0", "encoder.1", "decoder"), cells(html, 0), html);
    assertEquals("100,480", cells(html, 4).get(1), html);
    assertEquals("101,136", cells(html, 4).get(3), html);
    assertTrue(html.contains("Total params: <span class=\"total\">201,616</span>"), html);
    assertTrue(html.contains("Trainable params: <span class=\"trainable\">200,832</span>"), html);
    assertTrue(html.contains("Non-trainable params: 784"), html);
  }

  @Test
  void rendersTheGraphWithOneSvgGroupPerNode() throws Exception {
    exec("val w = Tensor.ones(3, 2).requiresGrad_(true)");
    exec("val x = Tensor.ones(4, 3)");
    String svg = execHtml("Graphs.view(x.matmul(w).relu().sum())");
    Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    List<String> titles = new ArrayList<>();
    NodeList groups = d.getElementsByTagName("g");
    for (int i = 0; i < groups.getLength(); i++) {
      Element g = (Element) groups.item(i);
      if (g.getAttribute("class").startsWith("node")) titles.add(g.getElementsByTagName("text").item(0).getTextContent());
    }
    assertTrue(titles.containsAll(List.of("SumBackward0", "ReluBackward0", "MmBackward0", "leaf [3, 2]")), titles.toString());
    assertEquals(5, titles.size(), titles.toString()); // the output, three ops, one leaf (x needs no grad)
    assertEquals(4, svg.split("class=\"edge\"", -1).length - 1, svg); // edges: leaf->mm, mm->relu, relu->sum, sum->output
  }

  @Test
  void rendersATrainingHistoryAsAnEmbeddedPngChart() throws Exception {
    exec("val h = History()");
    exec("for (e in 1..5) { for (s in 1..10) h.step(1.0 / (e * s)); h.endEpoch(); h.metric(\"accuracy\", e / 5.0) }");
    Map<?, ?> bundle = (Map<?, ?>) execRendered("h");
    String html = (String) bundle.get("text/html");
    Matcher m = Pattern.compile("<img [^>]*src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
    assertTrue(m.find(), html.substring(0, Math.min(200, html.length())));
    byte[] png = Base64.getDecoder().decode(m.group(1));
    assertEquals("PNG", new String(png, 1, 3, StandardCharsets.US_ASCII));
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    assertEquals(2 * 560, image.getWidth()); // the loss panel and the metrics panel
    assertEquals(340, image.getHeight());
    assertEquals(m.group(1), bundle.get("image/png"));
    assertEquals("History(steps=50, epochs=5, loss=0.05858, accuracy=1.000)", bundle.get("text/plain"));
  }

  private Object execRendered(String code) {
    return execEx(code).getRenderedValue();
  }

  // the text of column `col` of every layer row of a module summary
  private static List<String> cells(String html, int col) {
    List<String> out = new ArrayList<>();
    Matcher row = Pattern.compile("<tr class=\"layer\">(.*?)</tr>").matcher(html);
    while (row.find()) {
      Matcher cell = Pattern.compile("<td[^>]*>(.*?)</td>").matcher(row.group(1));
      for (int i = 0; i <= col; i++) cell.find();
      out.add(cell.group(1));
    }
    return out;
  }
}
