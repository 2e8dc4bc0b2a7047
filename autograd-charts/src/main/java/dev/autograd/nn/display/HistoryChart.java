package dev.autograd.nn.display;

import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws a training history with XChart: the loss per step (thin line) and per epoch (dots, placed
 * at the step that ended the epoch), on a log scale when it spans more than two decades; named
 * metrics in a second panel on the right, by epoch. Output: PNG bytes, an HTML {@code <img>} with a
 * data URI, or SVG.
 */
public final class HistoryChart {
  private HistoryChart() {}

  /** The size of one panel in pixels. */
  public static final int PANEL_WIDTH = 560, PANEL_HEIGHT = 340;

  /**
   * The chart as PNG bytes: {@code PANEL_WIDTH} wide, twice that with metrics, {@code PANEL_HEIGHT}
   * high.
   */
  public static byte[] png(
      List<Double> stepLosses, List<Double> epochLosses, Map<String, List<Double>> metrics) {
    List<XYChart> panels = panels(stepLosses, epochLosses, metrics);
    BufferedImage image =
        new BufferedImage(PANEL_WIDTH * panels.size(), PANEL_HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    paint(g, panels);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The chart as an HTML {@code <img>} whose source is a base64 PNG data URI. */
  public static String html(
      List<Double> stepLosses, List<Double> epochLosses, Map<String, List<Double>> metrics) {
    return imgTag(Base64.getEncoder().encodeToString(png(stepLosses, epochLosses, metrics)));
  }

  static String imgTag(String base64Png) {
    return "<img class=\"autograd-history\" alt=\"training history\" src=\"data:image/png;base64,"
        + base64Png
        + "\"/>";
  }

  /** The chart as an SVG document. */
  public static String svg(
      List<Double> stepLosses, List<Double> epochLosses, Map<String, List<Double>> metrics) {
    List<XYChart> panels = panels(stepLosses, epochLosses, metrics);
    VectorGraphics2D g = new VectorGraphics2D();
    paint(g, panels);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      new SVGProcessor()
          .getDocument(g.getCommands(), new PageSize(PANEL_WIDTH * panels.size(), PANEL_HEIGHT))
          .writeTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  static void writePng(
      List<Double> steps, List<Double> epochs, Map<String, List<Double>> metrics, Path path)
      throws IOException {
    write(path, png(steps, epochs, metrics));
  }

  static void writeSvg(
      List<Double> steps, List<Double> epochs, Map<String, List<Double>> metrics, Path path)
      throws IOException {
    write(path, svg(steps, epochs, metrics).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static void write(Path path, byte[] bytes) throws IOException {
    try (OutputStream o = Files.newOutputStream(path)) {
      o.write(bytes);
    }
  }

  private static void paint(Graphics2D g, List<XYChart> panels) {
    for (int i = 0; i < panels.size(); i++) {
      Graphics2D panel = (Graphics2D) g.create(i * PANEL_WIDTH, 0, PANEL_WIDTH, PANEL_HEIGHT);
      panels.get(i).paint(panel, PANEL_WIDTH, PANEL_HEIGHT);
      panel.dispose();
    }
  }

  private static List<XYChart> panels(
      List<Double> steps, List<Double> epochs, Map<String, List<Double>> metrics) {
    if (steps.isEmpty() && epochs.isEmpty() && metrics.isEmpty()) {
      throw new IllegalArgumentException(
          "the history is empty: record losses with step(loss) or epoch(loss) before drawing it");
    }
    List<XYChart> panels = new ArrayList<>();
    if (!steps.isEmpty() || !epochs.isEmpty()) panels.add(lossPanel(steps, epochs));
    if (!metrics.isEmpty()) panels.add(metricPanel(metrics));
    return panels;
  }

  private static XYChart lossPanel(List<Double> steps, List<Double> epochs) {
    boolean bySteps = !steps.isEmpty();
    XYChart c = chart("Loss", bySteps ? "step" : "epoch", "loss");
    List<Double> all = new ArrayList<>(steps);
    all.addAll(epochs);
    boolean log = spansDecades(all);
    c.getStyler().setYAxisLogarithmic(log);
    c.getStyler()
        .setPlotGridHorizontalLinesVisible(
            !log); // XChart draws a line per minor log tick: too many
    roundTicks(c, bySteps ? steps.size() : epochs.size(), all.get(0));
    if (bySteps) {
      XYSeries s = c.addSeries("per step", indices(steps.size(), 1), steps);
      s.setMarker(SeriesMarkers.NONE);
      s.setLineColor(
          epochs.isEmpty()
              ? new Color(29, 78, 216)
              : new Color(147, 197, 253)); // pale under epoch dots
      s.setLineStyle(new BasicStroke(1.2f));
    }
    if (!epochs.isEmpty()) {
      List<Double> x = new ArrayList<>();
      double perEpoch = bySteps ? (double) steps.size() / epochs.size() : 1;
      for (int e = 1; e <= epochs.size(); e++)
        x.add(bySteps ? Math.round(e * perEpoch) : (double) e);
      XYSeries s = c.addSeries("per epoch", x, epochs);
      s.setMarker(SeriesMarkers.CIRCLE);
      s.setMarkerColor(new Color(29, 78, 216));
      s.setLineColor(new Color(29, 78, 216));
      s.setLineStyle(new BasicStroke(2f));
    }
    return c;
  }

  private static XYChart metricPanel(Map<String, List<Double>> metrics) {
    XYChart c = chart("Metrics", "epoch", "");
    Color[] colors = {
      new Color(22, 163, 74),
      new Color(234, 88, 12),
      new Color(147, 51, 234),
      new Color(220, 38, 38)
    };
    Map.Entry<String, List<Double>> first = metrics.entrySet().iterator().next();
    roundTicks(c, first.getValue().size(), first.getValue().get(0));
    int i = 0;
    for (Map.Entry<String, List<Double>> m : metrics.entrySet()) {
      XYSeries s = c.addSeries(m.getKey(), indices(m.getValue().size(), 1), m.getValue());
      s.setMarker(m.getValue().size() <= 50 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
      s.setLineColor(colors[i % colors.length]);
      s.setMarkerColor(colors[i % colors.length]);
      i++;
    }
    return c;
  }

  private static XYChart chart(String title, String xTitle, String yTitle) {
    XYChart c =
        new XYChartBuilder()
            .width(PANEL_WIDTH)
            .height(PANEL_HEIGHT)
            .title(title)
            .xAxisTitle(xTitle)
            .yAxisTitle(yTitle)
            .build();
    XYStyler s = c.getStyler();
    s.setChartBackgroundColor(Color.WHITE);
    s.setPlotBackgroundColor(Color.WHITE);
    s.setPlotBorderVisible(false);
    s.setLegendPosition(Styler.LegendPosition.OutsideS);
    s.setLegendLayout(Styler.LegendLayout.Horizontal);
    s.setLegendBorderColor(Color.WHITE);
    s.setChartTitleBoxVisible(false);
    s.setPlotGridLinesColor(new Color(229, 231, 235));
    s.setPlotGridLinesStroke(new BasicStroke(1f));
    s.setYAxisLogarithmicDecadeOnly(true); // on a log axis, labels at 1, 10, 100 only
    return c;
  }

  // XChart puts x ticks on data points when its first series has equally spaced x (1, 18, 35, ...
  // for 300 steps); a first, invisible series of three unequally spaced points at a value already
  // on the chart makes it choose round ticks (0, 100, 200, ...) instead
  private static void roundTicks(XYChart c, int last, double y) {
    if (last < 3) return;
    XYSeries s = c.addSeries(" ", List.of(1.0, 2.0, (double) last), List.of(y, y, y));
    s.setMarker(SeriesMarkers.NONE);
    s.setLineColor(new Color(0, 0, 0, 0));
    s.setShowInLegend(false);
  }

  // a log axis reads better when the values are positive and span more than a factor of 100
  private static boolean spansDecades(List<Double> values) {
    double min = Double.MAX_VALUE, max = 0;
    for (double v : values) {
      if (!(v > 0) || Double.isInfinite(v)) return false;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    return max / min > 100;
  }

  private static List<Double> indices(int n, int from) {
    List<Double> x = new ArrayList<>(n);
    for (int i = 0; i < n; i++) x.add((double) (from + i));
    return x;
  }
}
