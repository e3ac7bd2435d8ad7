package io.sitter.bench.stats;

import java.util.List;

/**
 * The reference every contestant is scored against: a two-pass mean and variance in double over
 * the collected rows, on the driver, with Neumaier-compensated sums so its own rounding stays far
 * below the 1e-9 the target asks for (60k plain double additions could already cost ~1e-12).
 */
final class Reference {
  private Reference() {}

  static Moments of(List<double[]> rows, int numFeatures) {
    int n = rows.size();
    double[] mean = new double[numFeatures];
    double[] std = new double[numFeatures];
    double[] column = new double[n];
    for (int j = 0; j < numFeatures; j++) {
      for (int i = 0; i < n; i++) {
        column[i] = rows.get(i)[j];
      }
      double m = compensatedSum(column) / n;
      for (int i = 0; i < n; i++) {
        double d = column[i] - m;
        column[i] = d * d;
      }
      mean[j] = m;
      std[j] = Math.sqrt(compensatedSum(column) / n);
    }
    return new Moments(n, mean, std);
  }

  /** Neumaier's variant of Kahan summation: also exact when an addend is larger than the running sum. */
  static double compensatedSum(double[] values) {
    double sum = 0;
    double c = 0;
    for (double v : values) {
      double t = sum + v;
      c += Math.abs(sum) >= Math.abs(v) ? (sum - t) + v : (v - t) + sum;
      sum = t;
    }
    return sum + c;
  }

  /**
   * Largest |x - ref| / |ref| over features. A feature whose reference is exactly 0 counts as 0
   * when x is 0 too and as +infinity otherwise (a constant-zero pixel must come out exactly 0).
   */
  static double maxRelativeError(double[] x, double[] ref) {
    double worst = 0;
    for (int j = 0; j < ref.length; j++) {
      double e;
      if (ref[j] == 0) {
        e = x[j] == 0 ? 0 : Double.POSITIVE_INFINITY;
      } else {
        e = Math.abs(x[j] - ref[j]) / Math.abs(ref[j]);
      }
      if (Double.isNaN(e)) {
        return e;
      }
      worst = Math.max(worst, e);
    }
    return worst;
  }
}
