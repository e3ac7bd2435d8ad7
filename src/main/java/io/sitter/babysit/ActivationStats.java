package io.sitter.babysit;

import io.sitter.config.ModelConfig;
import java.util.List;
import java.util.Objects;

/**
 * Statistics of one hidden layer's activations on the fixed probe batch: the numbers behind the
 * dead-unit, saturation and vanishing-activation monitors, and the histogram for the report.
 *
 * @param units the layer's width
 * @param examples the probe batch size
 * @param deadFraction share of units whose activation is exactly 0 for every example
 * @param mean mean over all examples and units
 * @param std population standard deviation over all examples and units (the report's act_std)
 * @param signalStd root mean square over units of each unit's population std across the examples:
 *     the part of the activations that carries the input. Unlike {@code std} it ignores constant
 *     per-unit offsets (learned biases), which otherwise mask a signal that has vanished
 * @param saturatedFraction share of activations at a squashing function's limits (tanh |a| > 0.99,
 *     sigmoid a < 0.01 or a > 0.99); 0 for the ReLU family, which does not saturate
 * @param distinctUnits how many different functions the units compute on the probe batch (units
 *     with identical activation columns count once); 1 for a wide layer means broken symmetry never
 *     happened (zero or constant init)
 */
public record ActivationStats(
    String layer,
    int units,
    int examples,
    double deadFraction,
    double mean,
    double std,
    double signalStd,
    double saturatedFraction,
    int distinctUnits,
    Histogram histogram) {

  public ActivationStats {
    Objects.requireNonNull(layer, "layer");
    Objects.requireNonNull(histogram, "histogram");
  }

  /**
   * Computes the statistics of {@code values}, row-major with one row per example and one column
   * per unit.
   *
   * @throws IllegalArgumentException when the array does not hold {@code examples x units} values
   */
  public static ActivationStats of(
      String layer, float[] values, int examples, int units, ModelConfig.Activation activation, int bins) {
    if (examples < 1 || units < 1 || values.length != (long) examples * units) {
      throw new IllegalArgumentException(layer + ": expected " + examples + " x " + units
          + " activations, got " + values.length);
    }
    boolean[] fired = new boolean[units];
    double sum = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    long saturated = 0;
    for (int i = 0; i < values.length; i++) {
      float a = values[i];
      if (a != 0f) {
        fired[i % units] = true;
      }
      sum += a;
      min = Math.min(min, a);
      max = Math.max(max, a);
      if (saturated(a, activation)) {
        saturated++;
      }
    }
    double mean = sum / values.length;
    // Two passes: the one-pass sum-of-squares formula cancels badly when the mean dwarfs the
    // spread, which is exactly the case of saturated sigmoids.
    double squares = 0;
    for (float a : values) {
      double d = a - mean;
      squares += d * d;
    }
    int dead = 0;
    for (boolean f : fired) {
      dead += f ? 0 : 1;
    }
    return new ActivationStats(
        layer, units, examples, (double) dead / units, mean, Math.sqrt(squares / values.length),
        signalStd(values, examples, units),
        (double) saturated / values.length, distinctColumns(values, examples, units), Histogram.of(values, min, max, bins));
  }

  private static double signalStd(float[] values, int examples, int units) {
    double sumVariance = 0;
    for (int u = 0; u < units; u++) {
      double m = 0;
      for (int i = 0; i < examples; i++) {
        m += values[i * units + u];
      }
      m /= examples;
      double sq = 0;
      for (int i = 0; i < examples; i++) {
        double d = values[i * units + u] - m;
        sq += d * d;
      }
      sumVariance += sq / examples;
    }
    return Math.sqrt(sumVariance / units);
  }

  private static int distinctColumns(float[] values, int examples, int units) {
    java.util.Set<java.util.List<Float>> columns = new java.util.HashSet<>();
    for (int u = 0; u < units; u++) {
      List<Float> column = new java.util.ArrayList<>(examples);
      for (int i = 0; i < examples; i++) {
        column.add(values[i * units + u]);
      }
      columns.add(column);
    }
    return columns.size();
  }

  /** Whether one activation sits at its function's limits. */
  static boolean saturated(double a, ModelConfig.Activation activation) {
    return switch (activation) {
      case TANH -> Math.abs(a) > 0.99;
      case SIGMOID -> a < 0.01 || a > 0.99;
      case RELU, LEAKYRELU, ELU -> false;
    };
  }

  /**
   * Counts in {@code counts.size()} equal bins spanning [min, max] of the values; a value equal to
   * {@code max} goes into the last bin. When all values are equal the first bin holds them all.
   */
  public record Histogram(double min, double max, List<Integer> counts) {
    public Histogram {
      counts = List.copyOf(counts);
    }

    static Histogram of(float[] values, double min, double max, int bins) {
      if (bins < 1) {
        throw new IllegalArgumentException("histogram bins must be >= 1, got " + bins);
      }
      int[] counts = new int[bins];
      double width = (max - min) / bins;
      for (float v : values) {
        int b = width > 0 ? (int) ((v - min) / width) : 0;
        counts[Math.min(Math.max(b, 0), bins - 1)]++;
      }
      return new Histogram(min, max, java.util.Arrays.stream(counts).boxed().toList());
    }
  }
}
