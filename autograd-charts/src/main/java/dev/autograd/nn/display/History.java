package dev.autograd.nn.display;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A record of a training run: the loss of every optimizer step, the loss of every epoch and any
 * named per-epoch metrics (e.g. {@code accuracy}). Notebooks show it as a chart ({@link
 * HistoryChart}); {@link #toPng} and {@link #toSvg} write the same chart to a file.
 */
public final class History {
  private final List<Double> stepLosses = new ArrayList<>();
  private final List<Double> epochLosses = new ArrayList<>();
  private final Map<String, List<Double>> metrics = new LinkedHashMap<>();
  private int epochStart;

  /** An empty history. */
  public History() {}

  /** Records the loss of one optimizer step. */
  public History step(double loss) {
    stepLosses.add(loss);
    return this;
  }

  /** Records the loss of one epoch. */
  public History epoch(double loss) {
    epochLosses.add(loss);
    epochStart = stepLosses.size();
    return this;
  }

  /** Ends an epoch, recording the mean of the step losses since the previous epoch as its loss. */
  public History endEpoch() {
    int n = stepLosses.size() - epochStart;
    if (n == 0)
      throw new IllegalStateException(
          "endEpoch(): no step losses were recorded since the previous epoch; call step(loss) first");
    double sum = 0;
    for (int i = epochStart; i < stepLosses.size(); i++) sum += stepLosses.get(i);
    return epoch(sum / n);
  }

  /** Records one value (usually per epoch) of the metric {@code name}. */
  public History metric(String name, double value) {
    metrics.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    return this;
  }

  /** The loss of every step, in order (read-only). */
  public List<Double> stepLosses() {
    return Collections.unmodifiableList(stepLosses);
  }

  /** The loss of every epoch, in order (read-only). */
  public List<Double> epochLosses() {
    return Collections.unmodifiableList(epochLosses);
  }

  /** Metrics by name, in the order first recorded. */
  public Map<String, List<Double>> metrics() {
    Map<String, List<Double>> out = new LinkedHashMap<>();
    for (Map.Entry<String, List<Double>> e : metrics.entrySet())
      out.put(e.getKey(), Collections.unmodifiableList(e.getValue()));
    return Collections.unmodifiableMap(out);
  }

  /** The chart as an HTML {@code <img>} with an embedded PNG (what notebooks show). */
  public String toHtml() {
    return HistoryChart.html(stepLosses, epochLosses, metrics);
  }

  /** Writes the chart as a PNG file. */
  public void toPng(Path path) throws IOException {
    HistoryChart.writePng(stepLosses, epochLosses, metrics, path);
  }

  /** Writes the chart as an SVG file. */
  public void toSvg(Path path) throws IOException {
    HistoryChart.writeSvg(stepLosses, epochLosses, metrics, path);
  }

  @Override
  public String toString() {
    StringBuilder sb =
        new StringBuilder("History(steps=")
            .append(stepLosses.size())
            .append(", epochs=")
            .append(epochLosses.size());
    List<Double> losses = epochLosses.isEmpty() ? stepLosses : epochLosses;
    if (!losses.isEmpty())
      sb.append(String.format(Locale.ROOT, ", loss=%.4g", losses.get(losses.size() - 1)));
    for (Map.Entry<String, List<Double>> e : metrics.entrySet()) {
      List<Double> v = e.getValue();
      sb.append(String.format(Locale.ROOT, ", %s=%.4g", e.getKey(), v.get(v.size() - 1)));
    }
    return sb.append(')').toString();
  }
}
