package dev.autograd.nn.display;

import dev.autograd.core.CompiledFunction;
import dev.autograd.core.Tensor;
import dev.autograd.core.display.GraphView;
import dev.autograd.core.display.TensorHtml;
import dev.autograd.nn.Module;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a notebook shows for the library's values, as a Jupyter MIME bundle (MIME type to content):
 * tensors and modules as HTML tables, autograd graphs and compiled functions' traces as SVG,
 * training histories as a PNG chart, each with a {@code text/plain} fallback. The Kotlin notebook
 * integration renders through this.
 */
public final class NotebookDisplay {
  private NotebookDisplay() {}

  /** The MIME bundle for {@code value}, or null when the library has no rendering for its type. */
  public static Map<String, String> bundle(Object value) {
    Map<String, String> b = new LinkedHashMap<>();
    if (value instanceof Tensor t) {
      b.put("text/html", TensorHtml.render(t));
    } else if (value instanceof GraphView g) {
      String svg = g.svg();
      b.put("text/html", svg);
      b.put("image/svg+xml", svg);
    } else if (value instanceof CompiledFunction f) {
      b.put("text/html", compiledHtml(f));
    } else if (value instanceof Module m) {
      b.put("text/html", ModuleHtml.render(m));
    } else if (value instanceof History h) {
      return history(h.stepLosses(), h.epochLosses(), h.metrics(), h.toString());
    } else {
      return null;
    }
    b.put("text/plain", String.valueOf(value));
    return b;
  }

  // What was compiled: the text of toString() (guards, steps, buffers), then each trace drawn.
  private static String compiledHtml(CompiledFunction f) {
    StringBuilder html =
        new StringBuilder("<div class=\"autograd-compiled\"><pre>")
            .append(ModuleHtml.escape(f.toString()))
            .append("</pre>");
    for (int n = 1; n <= f.traceCount(); n++) {
      html.append("<div class=\"trace\"><b>trace ")
          .append(n)
          .append("</b><br/>")
          .append(f.view(n).svg())
          .append("</div>");
    }
    return html.append("</div>").toString();
  }

  /**
   * The bundle of a history chart given by its parts (for history types other than {@link
   * History}).
   */
  public static Map<String, String> history(
      List<Double> stepLosses,
      List<Double> epochLosses,
      Map<String, List<Double>> metrics,
      String text) {
    byte[] png = HistoryChart.png(stepLosses, epochLosses, metrics);
    String base64 = Base64.getEncoder().encodeToString(png);
    Map<String, String> b = new LinkedHashMap<>();
    b.put("text/html", HistoryChart.imgTag(base64));
    b.put("image/png", base64);
    b.put("text/plain", text);
    return b;
  }
}
