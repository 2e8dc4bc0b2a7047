package dev.autograd.core.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.core.Tensor;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class DisplayTest {
  private static Document parse(String xml) throws Exception {
    return DocumentBuilderFactory.newInstance()
        .newDocumentBuilder()
        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  private static List<String> texts(Document d, String cls) {
    List<String> out = new ArrayList<>();
    NodeList groups = d.getElementsByTagName("g");
    for (int i = 0; i < groups.getLength(); i++) {
      Element g = (Element) groups.item(i);
      if (!g.getAttribute("class").contains(cls)) continue;
      out.add(g.getElementsByTagName("text").item(0).getTextContent());
    }
    return out;
  }

  @Test
  void svgHasOneNodePerOpAndLeafAndAnEdgePerInput() throws Exception {
    Tensor x = Tensor.scalar(2.0).requiresGrad_();
    Tensor y = x.pow(2).mul(x.exp()); // leaf x feeds pow and exp; both feed mul
    Document svg = parse(Graphs.toSvg(y));
    assertEquals("svg", svg.getDocumentElement().getTagName());
    List<String> ops = texts(svg, "op");
    assertEquals(
        List.of("ExpBackward0", "MulBackward0", "PowBackward0"), ops.stream().sorted().toList());
    assertEquals(List.of("leaf []"), texts(svg, "leaf"));
    assertEquals(List.of("tensor []"), texts(svg, "output"));
    // x->pow, x->exp, pow->mul, exp->mul, mul->output
    assertEquals(
        5, svg.getElementsByTagName("path").getLength() - 1); // edges, plus the arrow head's path
    assertEquals(5, Graphs.toSvg(y).split("class=\"edge\"", -1).length - 1);
    assertTrue(Graphs.toSvg(y).contains("saves"), "nodes show what they saved for backward");
  }

  @Test
  void savedMarkersDisappearAfterBackwardFreesThem() throws Exception {
    Tensor x = Tensor.of(new float[] {1, 2}).requiresGrad_();
    Tensor y = x.mul(x).sum();
    assertTrue(Graphs.toSvg(y).contains("saves [2] [2]"));
    y.backward();
    assertTrue(!Graphs.toSvg(y).contains("saves"));
  }

  @Test
  void dotNamesNodesAndEdges() {
    Tensor a = Tensor.ones(2, 3).requiresGrad_();
    String dot = Graphs.toDot(a.t().sum());
    assertTrue(dot.startsWith("digraph autograd {"));
    assertTrue(
        dot.contains("SumBackward0") && dot.contains("TBackward0") && dot.contains("leaf [2, 3]"));
    assertEquals(3, dot.split("->", -1).length - 1);
  }

  @Test
  void leafAndPlainTensorsRenderAsOneNode() throws Exception {
    assertEquals(1, parse(Graphs.toSvg(Tensor.ones(3))).getElementsByTagName("rect").getLength());
    assertEquals(
        List.of("leaf [3]"), texts(parse(Graphs.toSvg(Tensor.ones(3).requiresGrad_())), "leaf"));
  }

  @Test
  void tensorHtmlShowsHeaderAndClippedValues() throws Exception {
    Tensor x = Tensor.arange(0, 400, 1).reshape(20, 20).requiresGrad_();
    String html = TensorHtml.render(x, 4, 4);
    assertTrue(
        html.contains("shape [20, 20]")
            && html.contains("torch.float32")
            && html.contains("requires_grad=True"));
    Document d = parse(html.replace("&middot;", "&#183;").replace("&hellip;", "&#8230;"));
    NodeList rows = d.getElementsByTagName("tr");
    assertEquals(5, rows.getLength()); // 2 head rows, the ellipsis row, 2 tail rows
    assertEquals(5, ((Element) rows.item(0)).getElementsByTagName("td").getLength());
    assertEquals(
        "0.", ((Element) rows.item(0)).getElementsByTagName("td").item(0).getTextContent());
    assertEquals(
        "399.", ((Element) rows.item(4)).getElementsByTagName("td").item(4).getTextContent());
    assertTrue(TensorHtml.render(x.mul(2)).contains("grad_fn=MulBackward0"));
    assertTrue(TensorHtml.render(Tensor.ones(2, 2, 2)).contains("<pre>tensor([[[1., 1.],"));
  }
}
