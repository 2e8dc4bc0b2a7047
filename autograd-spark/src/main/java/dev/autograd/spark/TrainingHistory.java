package dev.autograd.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The record of a Spark training run: the loss of every step (the global batch's mean), the loss of
 * every epoch (the mean over its samples) and per-epoch metrics ({@code samples_per_second}). The
 * three lists are what autograd-nn's charts take: {@code HistoryChart.png(h.stepLosses(),
 * h.epochLosses(), h.metrics())}, or copy them into a {@code History}.
 */
public final class TrainingHistory implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The loss of every step. */
  private final List<Double> stepLosses = new ArrayList<>();

  /** The loss of every epoch. */
  private final List<Double> epochLosses = new ArrayList<>();

  /** Per-epoch metrics by name, e.g. {@code samples_per_second}. */
  private final Map<String, List<Double>> metrics = new LinkedHashMap<>();

  /** Wall time of every step on the driver, in seconds. */
  private final List<Double> stepSeconds = new ArrayList<>();

  void step(double loss) {
    stepLosses.add(loss);
  }

  void stepTime(double seconds) {
    stepSeconds.add(seconds);
  }

  void epoch(double loss) {
    epochLosses.add(loss);
  }

  void metric(String name, double value) {
    metrics.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
  }

  /** The loss of every step (the global batch's mean), in order (read-only). */
  public List<Double> stepLosses() {
    return Collections.unmodifiableList(stepLosses);
  }

  /** The loss of every epoch (the mean over its samples), in order (read-only). */
  public List<Double> epochLosses() {
    return Collections.unmodifiableList(epochLosses);
  }

  /**
   * Wall time of each step this run took on the driver (broadcast, tasks, all-reduce, update); not
   * kept across a resume.
   */
  public List<Double> stepSeconds() {
    return Collections.unmodifiableList(stepSeconds);
  }

  /** Metrics by name, each one value per epoch. */
  public Map<String, List<Double>> metrics() {
    Map<String, List<Double>> out = new LinkedHashMap<>();
    metrics.forEach((k, v) -> out.put(k, Collections.unmodifiableList(v)));
    return Collections.unmodifiableMap(out);
  }

  @Override
  public String toString() {
    String last =
        epochLosses.isEmpty()
            ? (stepLosses.isEmpty() ? "-" : String.valueOf(stepLosses.get(stepLosses.size() - 1)))
            : String.valueOf(epochLosses.get(epochLosses.size() - 1));
    return "TrainingHistory(steps="
        + stepLosses.size()
        + ", epochs="
        + epochLosses.size()
        + ", loss="
        + last
        + ")";
  }
}
