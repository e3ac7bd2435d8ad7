package io.sitter.bench.stats;

import java.io.Serializable;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import io.sitter.prep.FeatureRow;

/**
 * Executor-side pieces of the plain contestants: per-feature sums in double, folded by {@code
 * treeAggregate}. Static classes carrying only their parameters.
 */
final class SumFunctions {
  private SumFunctions() {}

  /** Count and per-feature sum of x (and, when {@code squares}, of x^2, or of (x - center)^2 when centered). */
  static final class Sums implements Serializable {
    private static final long serialVersionUID = 1L;
    long count;
    final double[] sum;
    final double[] sumSq;

    Sums(int numFeatures, boolean squares) {
      sum = new double[numFeatures];
      sumSq = squares ? new double[numFeatures] : null;
    }

    Sums merge(Sums o) {
      count += o.count;
      for (int j = 0; j < sum.length; j++) {
        sum[j] += o.sum[j];
      }
      if (sumSq != null) {
        for (int j = 0; j < sumSq.length; j++) {
          sumSq[j] += o.sumSq[j];
        }
      }
      return this;
    }
  }

  static final class Features implements Function<FeatureRow, double[]> {
    private static final long serialVersionUID = 1L;

    @Override
    public double[] call(FeatureRow row) {
      return row.getFeatures();
    }
  }

  /** First pass of the two-pass, and the one-pass sum/sum-of-squares when {@code sumSq} is kept. */
  static final class AddRow implements Function2<Sums, double[], Sums> {
    private static final long serialVersionUID = 1L;

    @Override
    public Sums call(Sums s, double[] x) {
      s.count++;
      double[] sum = s.sum;
      for (int j = 0; j < sum.length; j++) {
        sum[j] += x[j];
      }
      double[] sq = s.sumSq;
      if (sq != null) {
        for (int j = 0; j < sq.length; j++) {
          double v = x[j];
          sq[j] += v * v;
        }
      }
      return s;
    }
  }

  /** Second pass of the two-pass: per-feature sum of squared deviations from the broadcast mean, into {@code sum}. */
  static final class AddSquaredDeviations implements Function2<Sums, double[], Sums> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<double[]> mean;

    AddSquaredDeviations(Broadcast<double[]> mean) {
      this.mean = mean;
    }

    @Override
    public Sums call(Sums s, double[] x) {
      double[] m = mean.value();
      s.count++;
      double[] sum = s.sum;
      for (int j = 0; j < sum.length; j++) {
        double d = x[j] - m[j];
        sum[j] += d * d;
      }
      return s;
    }
  }

  static final class Merge implements Function2<Sums, Sums, Sums> {
    private static final long serialVersionUID = 1L;

    @Override
    public Sums call(Sums a, Sums b) {
      return a.merge(b);
    }
  }
}
