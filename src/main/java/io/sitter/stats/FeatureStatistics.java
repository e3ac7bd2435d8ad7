package io.sitter.stats;

import java.util.ArrayList;
import java.util.List;

/**
 * Frozen per-feature statistics: count, mean, population standard deviation (ddof 0, numpy's
 * default), min and max. Immutable: arrays are copied in and out.
 */
public final class FeatureStatistics {
  private final long count;
  private final double[] mean;
  private final double[] std;
  private final double[] min;
  private final double[] max;

  public FeatureStatistics(long count, double[] mean, double[] std, double[] min, double[] max) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1, got " + count);
    }
    int d = mean.length;
    if (std.length != d || min.length != d || max.length != d) {
      throw new IllegalArgumentException("mean, std, min and max must have the same length " + d);
    }
    this.count = count;
    this.mean = mean.clone();
    this.std = std.clone();
    this.min = min.clone();
    this.max = max.clone();
  }

  public long count() {
    return count;
  }

  public int numFeatures() {
    return mean.length;
  }

  public double[] mean() {
    return mean.clone();
  }

  public double[] std() {
    return std.clone();
  }

  public double[] min() {
    return min.clone();
  }

  public double[] max() {
    return max.clone();
  }

  /** The mean over every value of every row: every feature has {@link #count()} values. */
  public double overallMean() {
    double sum = 0;
    for (double m : mean) {
      sum += m;
    }
    return sum / mean.length;
  }

  /** Indices (0-based) of the features whose values are all equal. */
  public List<Integer> zeroVarianceFeatures() {
    List<Integer> zero = new ArrayList<>();
    for (int j = 0; j < std.length; j++) {
      if (std[j] == 0.0) {
        zero.add(j);
      }
    }
    return List.copyOf(zero);
  }
}
