package dev.autograd.core.display;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Writes a laid-out {@link GraphModel} as SVG: boxes in layers, arrows from inputs to users. */
final class GraphSvg {
  private GraphSvg() {}

  private static final int CHAR_W = 7, LINE_H = 15, PAD = 8, GAP_X = 24, GAP_Y = 44, MARGIN = 16;

  static String fill(GraphModel.Kind kind) {
    switch (kind) {
      case LEAF:
        return "#dbeafe";
      case OUTPUT:
        return "#dcfce7";
      default:
        return "#f3f4f6";
    }
  }

  private static final class Box {
    double x, y, w, h;
  }

  static String render(GraphModel g) {
    Map<GraphModel.Vertex, Box> boxes = new HashMap<>();
    double width = 0, y = MARGIN;
    double[] layerWidths = new double[g.layers.size()];
    for (int i = 0; i < g.layers.size(); i++) {
      double lw = 0, lh = 0;
      for (GraphModel.Vertex v : g.layers.get(i)) {
        Box b = new Box();
        int lines = 1 + (v.detail != null ? 1 : 0) + (v.savedNote != null ? 1 : 0);
        int chars = Math.max(v.title.length(), Math.max(len(v.detail), len(v.savedNote)));
        b.w = chars * CHAR_W + 2 * PAD;
        b.h = lines * LINE_H + PAD;
        lw += b.w + (lw > 0 ? GAP_X : 0);
        lh = Math.max(lh, b.h);
        boxes.put(v, b);
      }
      layerWidths[i] = lw;
      width = Math.max(width, lw);
      for (GraphModel.Vertex v : g.layers.get(i)) boxes.get(v).y = y;
      y += lh + GAP_Y;
    }
    for (int i = 0; i < g.layers.size(); i++) { // centre each layer
      double x = MARGIN + (width - layerWidths[i]) / 2;
      for (GraphModel.Vertex v : g.layers.get(i)) {
        Box b = boxes.get(v);
        b.x = x;
        x += b.w + GAP_X;
      }
    }
    double totalW = width + 2 * MARGIN, totalH = y - GAP_Y + MARGIN;
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-family=\"monospace\" font-size=\"12\">\n",
        totalW, totalH, totalW, totalH));
    sb.append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">"
        + "<path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#6b7280\"/></marker></defs>\n");
    for (GraphModel.Edge e : g.edges) {
      Box a = boxes.get(e.from()), b = boxes.get(e.to());
      sb.append(String.format(Locale.ROOT,
          "<line class=\"edge\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#6b7280\" marker-end=\"url(#arrow)\"/>\n",
          a.x + a.w / 2, a.y + a.h, b.x + b.w / 2, b.y));
    }
    for (GraphModel.Vertex v : g.vertices) {
      Box b = boxes.get(v);
      sb.append(String.format(Locale.ROOT, "<g class=\"node %s\" id=\"n%d\">", v.kind.name().toLowerCase(Locale.ROOT), v.id));
      sb.append(String.format(Locale.ROOT,
          "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"6\" fill=\"%s\" stroke=\"#374151\"/>",
          b.x, b.y, b.w, b.h, fill(v.kind)));
      double ty = b.y + PAD / 2.0 + LINE_H - 3;
      String[] lines = {v.title, v.detail, v.savedNote};
      for (int i = 0; i < lines.length; i++) {
        if (lines[i] == null) continue;
        String style = i == 2 ? " class=\"saved\" fill=\"#b45309\"" : ""; // the saved-tensor marker
        sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\"%s>%s</text>",
            b.x + b.w / 2, ty, style, escape(lines[i])));
        ty += LINE_H;
      }
      sb.append("</g>\n");
    }
    return sb.append("</svg>\n").toString();
  }

  private static int len(String s) {
    return s == null ? 0 : s.length();
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
