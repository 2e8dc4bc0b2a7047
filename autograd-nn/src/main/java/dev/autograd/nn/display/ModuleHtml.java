package dev.autograd.nn.display;

import dev.autograd.core.Tensor;
import dev.autograd.nn.Module;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A module as an HTML summary table for notebooks: one row per submodule under its PyTorch name
 * ({@code 0}, {@code fc1}, {@code encoder.0}), its type and printout, the shapes of the parameters
 * it owns and their count, then the total and trainable parameter counts.
 */
public final class ModuleHtml {
  private ModuleHtml() {}

  /** One row of the summary: a module, its dotted name, and the parameters it registered itself. */
  public record Row(
      String name,
      int depth,
      String type,
      String repr,
      Map<String, int[]> parameters,
      long count) {}

  /**
   * The rows of the summary, in {@link Module#namedModules()} order; the root is a row only when it
   * has no children.
   */
  public static List<Row> rows(Module module) {
    Map<String, Map<String, Tensor>> owned = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> p : module.namedParameters().entrySet()) {
      int dot = p.getKey().lastIndexOf('.');
      String owner = dot < 0 ? "" : p.getKey().substring(0, dot);
      owned
          .computeIfAbsent(owner, k -> new LinkedHashMap<>())
          .put(p.getKey().substring(dot + 1), p.getValue());
    }
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<String, Module> e : module.namedModules().entrySet()) {
      String name = e.getKey();
      Module m = e.getValue();
      if (name.isEmpty() && !m.children().isEmpty()) continue;
      Map<String, int[]> shapes = new LinkedHashMap<>();
      long count = 0;
      for (Map.Entry<String, Tensor> p : owned.getOrDefault(name, Map.of()).entrySet()) {
        shapes.put(p.getKey(), p.getValue().shape());
        count += p.getValue().numel();
      }
      int depth = name.isEmpty() ? 0 : name.split("\\.").length - 1;
      String repr = m.children().isEmpty() ? m.toString() : "";
      rows.add(
          new Row(
              name.isEmpty() ? "(root)" : name,
              depth,
              m.getClass().getSimpleName(),
              repr,
              shapes,
              count));
    }
    return rows;
  }

  /** Elements of all parameters that require grad. */
  public static long trainableParameters(Module module) {
    long n = 0;
    for (Tensor p : module.parameters()) if (p.requiresGrad()) n += p.numel();
    return n;
  }

  /** The summary as an HTML fragment (a table with a header line and a totals footer). */
  public static String render(Module module) {
    long total = module.numParameters(), trainable = trainableParameters(module);
    StringBuilder sb = new StringBuilder("<div class=\"autograd-module\">");
    sb.append("<div style=\"font-family:monospace;margin-bottom:4px\"><b>")
        .append(escape(module.getClass().getSimpleName()))
        .append("</b> &middot; ")
        .append(grouped(total))
        .append(" parameters &middot; ")
        .append(module.isTraining() ? "training mode" : "eval mode")
        .append("</div>");
    sb.append("<table style=\"font-family:monospace;border-collapse:collapse\">");
    sb.append("<tr>")
        .append(th("Name"))
        .append(th("Type"))
        .append(th("Module"))
        .append(th("Parameters"))
        .append(th("Param #"))
        .append("</tr>");
    for (Row r : rows(module)) {
      sb.append("<tr class=\"layer\">");
      sb.append(td("padding-left:" + (8 + 16 * r.depth()) + "px", escape(r.name())));
      sb.append(td("", escape(r.type())));
      sb.append(td("color:#4b5563", escape(r.repr())));
      List<String> shapes = new ArrayList<>();
      for (Map.Entry<String, int[]> p : r.parameters().entrySet())
        shapes.add(p.getKey() + " " + Arrays.toString(p.getValue()));
      sb.append(td("", escape(String.join(", ", shapes))));
      sb.append(td("text-align:right", r.parameters().isEmpty() ? "&ndash;" : grouped(r.count())));
      sb.append("</tr>");
    }
    sb.append("</table>");
    sb.append(
            "<div style=\"font-family:monospace;margin-top:4px\">Total params: <span class=\"total\">")
        .append(grouped(total))
        .append("</span> &middot; Trainable params: <span class=\"trainable\">")
        .append(grouped(trainable))
        .append("</span> &middot; Non-trainable params: ")
        .append(grouped(total - trainable))
        .append("</div>");
    return sb.append("</div>").toString();
  }

  private static String th(String s) {
    return "<th style=\"padding:2px 8px;text-align:left;border-bottom:1px solid #9ca3af\">"
        + s
        + "</th>";
  }

  private static String td(String style, String s) {
    return "<td style=\"padding:2px 8px;" + style + "\">" + s + "</td>";
  }

  /** {@code 1234567} as {@code 1,234,567}, as PyTorch summaries print counts. */
  static String grouped(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
