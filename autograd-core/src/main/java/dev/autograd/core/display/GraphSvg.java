package dev.autograd.core.display;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes a laid-out {@link GraphModel} as SVG: boxes in layers, arrows from inputs to users. */
final class GraphSvg {
  private GraphSvg() {}

  private static final double CHAR_W = 7.4;
  private static final int LINE_H = 15, PAD = 8, GAP_X = 24, GAP_Y = 44, MARGIN = 16;

  static String fill(GraphModel.Kind kind) {
    switch (kind) {
      case LEAF:
        return "#dbeafe";
      case OUTPUT:
        return "#dcfce7";
      case BACKWARD:
        return "#e0e7ff";
      case EFFECT:
        return "#fee2e2";
      case GUARD:
        return "#fef9c3";
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
    sb.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-family=\"monospace\" font-size=\"12\">\n",
            totalW,
            totalH,
            totalW,
            totalH));
    sb.append(
        "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">"
            + "<path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#6b7280\"/></marker></defs>\n");
    Map<GraphModel.Edge, double[]> ends = ports(g, boxes);
    for (GraphModel.Edge e :
        g.edges) { // a vertical-tangent cubic from the input's bottom to the user's top
      double[] p = ends.get(e);
      double bend = Math.min(GAP_Y, (p[3] - p[1]) / 2);
      sb.append(
          String.format(
              Locale.ROOT,
              "<path class=\"edge\" d=\"M %.1f %.1f C %.1f %.1f %.1f %.1f %.1f %.1f\" fill=\"none\" stroke=\"#6b7280\" marker-end=\"url(#arrow)\"/>\n",
              p[0],
              p[1],
              p[0],
              p[1] + bend,
              p[2],
              p[3] - bend,
              p[2],
              p[3]));
    }
    for (GraphModel.Vertex v : g.vertices) {
      Box b = boxes.get(v);
      sb.append(
          String.format(
              Locale.ROOT,
              "<g class=\"node %s\" id=\"n%d\">",
              v.kind.name().toLowerCase(Locale.ROOT),
              v.id));
      sb.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"6\" fill=\"%s\" stroke=\"#374151\"/>",
              b.x,
              b.y,
              b.w,
              b.h,
              fill(v.kind)));
      double ty = b.y + PAD / 2.0 + LINE_H - 3;
      String[] lines = {v.title, v.detail, v.savedNote};
      for (int i = 0; i < lines.length; i++) {
        if (lines[i] == null) continue;
        String style = i == 2 ? " class=\"saved\" fill=\"#b45309\"" : ""; // the saved-tensor marker
        sb.append(
            String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\"%s>%s</text>",
                b.x + b.w / 2,
                ty,
                style,
                escape(lines[i])));
        ty += LINE_H;
      }
      sb.append("</g>\n");
    }
    return sb.append("</svg>\n").toString();
  }

  // Edge end points {x1, y1, x2, y2}: a box's incoming edges spread along its top and its outgoing
  // edges along its bottom, each side ordered by the x of the other end, so arrows do not pile up
  // on one point and neighbouring edges do not cross at the box.
  private static Map<GraphModel.Edge, double[]> ports(
      GraphModel g, Map<GraphModel.Vertex, Box> boxes) {
    Map<GraphModel.Vertex, List<GraphModel.Edge>> in = new HashMap<>(), out = new HashMap<>();
    for (GraphModel.Edge e : g.edges) {
      in.computeIfAbsent(e.to(), k -> new ArrayList<>()).add(e);
      out.computeIfAbsent(e.from(), k -> new ArrayList<>()).add(e);
    }
    Map<GraphModel.Edge, double[]> ends = new HashMap<>();
    for (GraphModel.Edge e : g.edges) ends.put(e, new double[4]);
    for (Map.Entry<GraphModel.Vertex, List<GraphModel.Edge>> v : in.entrySet()) {
      Box b = boxes.get(v.getKey());
      List<GraphModel.Edge> es = v.getValue();
      es.sort(Comparator.comparingDouble(e -> centre(boxes.get(e.from()))));
      for (int k = 0; k < es.size(); k++) {
        ends.get(es.get(k))[2] = b.x + b.w * (k + 1) / (es.size() + 1);
        ends.get(es.get(k))[3] = b.y;
      }
    }
    for (Map.Entry<GraphModel.Vertex, List<GraphModel.Edge>> v : out.entrySet()) {
      Box b = boxes.get(v.getKey());
      List<GraphModel.Edge> es = v.getValue();
      es.sort(Comparator.comparingDouble(e -> centre(boxes.get(e.to()))));
      for (int k = 0; k < es.size(); k++) {
        ends.get(es.get(k))[0] = b.x + b.w * (k + 1) / (es.size() + 1);
        ends.get(es.get(k))[1] = b.y + b.h;
      }
    }
    return ends;
  }

  private static double centre(Box b) {
    return b.x + b.w / 2;
  }

  private static int len(String s) {
    return s == null ? 0 : s.length();
  }

  static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
