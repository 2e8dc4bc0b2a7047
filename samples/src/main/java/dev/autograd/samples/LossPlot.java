package dev.autograd.samples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/** Writes a loss curve (one or more series against the step number) as a PNG with XChart. */
public final class LossPlot {
  private LossPlot() {}

  /**
   * The default file of a sample's plot: {@code <dir>/<sample>.png}, where dir is the system
   * property {@code samples.plotDir} ({@code ./run} sets samples/target/plots) or target/plots.
   */
  public static Path defaultPath(String sample) {
    return Path.of(System.getProperty("samples.plotDir", "target/plots"), sample + ".png");
  }

  /**
   * Saves {@code series} (name and values; point i is at x = (i + 1) * xStep) to {@code file},
   * creating its directory, and prints where it went. A log y axis suits losses that fall over
   * orders of magnitude.
   */
  public static Path save(
      Path file,
      String title,
      String xLabel,
      double xStep,
      boolean logY,
      List<String> names,
      List<List<Double>> series) {
    XYChart chart =
        new XYChartBuilder()
            .width(800)
            .height(500)
            .title(title)
            .xAxisTitle(xLabel)
            .yAxisTitle("loss")
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    chart.getStyler().setMarkerSize(0);
    chart.getStyler().setYAxisLogarithmic(logY);
    chart.getStyler().setPlotGridLinesVisible(true);
    chart.getStyler().setXAxisDecimalPattern("0.##");
    for (int s = 0; s < series.size(); s++) {
      List<Double> ys = series.get(s);
      double[] x = new double[ys.size()], y = new double[ys.size()];
      for (int i = 0; i < x.length; i++) {
        x[i] = (i + 1) * xStep;
        y[i] = ys.get(i);
      }
      chart.addSeries(names.get(s), x, y);
    }
    try {
      Path dir = file.toAbsolutePath().getParent();
      if (dir != null) Files.createDirectories(dir);
      BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path written = file.toString().endsWith(".png") ? file : Path.of(file + ".png");
    System.out.println("loss curve: " + written.toAbsolutePath().normalize());
    return written;
  }

  /** One series named "training loss". */
  public static Path save(Path file, String title, String xLabel, List<Double> losses) {
    return save(file, title, xLabel, 1, false, List.of("training loss"), List.of(losses));
  }
}
