package dev.autograd.spark;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One training example of an RDD: its features (flattened; the trainer's {@code featureShape} gives
 * them back their shape) and its label (one value: a class index or a target; several: a target
 * vector).
 */
public final class Sample implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The features, flattened. */
  private final double[] features;

  /** The label: one value or a target vector. */
  private final double[] label;

  private Sample(double[] features, double[] label) {
    if (features == null || features.length == 0)
      throw new IllegalArgumentException("Sample: features must be a non-empty array");
    if (label == null || label.length == 0)
      throw new IllegalArgumentException("Sample: label must be a non-empty array");
    this.features = features;
    this.label = label;
  }

  /** A sample with one label value (a class index for classification, or a regression target). */
  public static Sample of(double[] features, double label) {
    return new Sample(features.clone(), new double[] {label});
  }

  /** A sample with a target vector. */
  public static Sample of(double[] features, double[] label) {
    return new Sample(features.clone(), label.clone());
  }

  /** Wraps the arrays without copying (the caller gives them up). */
  static Sample wrap(double[] features, double[] label) {
    return new Sample(features, label);
  }

  /** A copy of the features, flattened. */
  public double[] features() {
    return features.clone();
  }

  /** A copy of the label: one value (class index or target) or a target vector. */
  public double[] label() {
    return label.clone();
  }

  int featureCount() {
    return features.length;
  }

  int labelCount() {
    return label.length;
  }

  double feature(int i) {
    return features[i];
  }

  double labelValue(int i) {
    return label[i];
  }

  @Override
  public String toString() {
    return "Sample(" + features.length + " features, label " + Arrays.toString(label) + ")";
  }
}
