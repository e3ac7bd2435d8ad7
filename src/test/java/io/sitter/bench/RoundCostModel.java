package io.sitter.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;

/**
 * The math of the cluster benchmark's round-cost model: the shape of Spark's {@code treeReduce},
 * least-squares fits, and the candidate ways the aggregation cost can grow with the partition count.
 *
 * <p>Least squares by commons-math3's {@link OLSMultipleLinearRegression} (QR decomposition): it
 * is already on the classpath through spark-core, so the fit needs no new dependency and no
 * hand-written solver.
 */
final class RoundCostModel {
  private RoundCostModel() {}

  /**
   * The fan-in of each level of {@code RDD.treeReduce(f, depth)}, from the partitions up to the
   * driver. Spark 3.5's {@code treeAggregate}: {@code scale = max(ceil(n^(1/depth)), 2)}; while
   * {@code n > scale + ceil(n / scale)} it adds a shuffle level that reduces the partials into
   * {@code n / scale} partitions (integer division, key {@code i % (n / scale)}); the last
   * partials go to the driver. So 4 partitions send 4 results to the driver, 8 make 2 reducers of
   * 4 and then 2 results, 100 make 10 reducers of 10 and then 10 results.
   */
  static List<Integer> treeFanIns(int partitions, int depth) {
    if (partitions < 1 || depth < 1) {
      throw new IllegalArgumentException("partitions and depth must be >= 1, got " + partitions + ", " + depth);
    }
    int scale = Math.max((int) Math.ceil(Math.pow(partitions, 1.0 / depth)), 2);
    List<Integer> fanIns = new ArrayList<>();
    int n = partitions;
    while (n > scale + Math.ceil((double) n / scale)) {
      int next = n / scale;
      fanIns.add((n + next - 1) / next); // the largest group: keys i % next over n partials
      n = next;
    }
    fanIns.add(n);
    return fanIns;
  }

  /**
   * Partials on the critical path of one {@code treeReduce} (depth 2, Spark's default): the sum
   * of the level fan-ins, because each level's reducers pull and merge their inputs one after
   * another while the reducers of a level run in parallel.
   */
  static int treePathPartials(int partitions) {
    return treeFanIns(partitions, 2).stream().mapToInt(Integer::intValue).sum();
  }

  /** Ways the aggregation's per-parameter cost can grow with n; the data decide among them. */
  enum Growth {
    /** Spark's actual depth-2 tree: partials on the critical path ({@link #treePathPartials}). */
    SPARK_TREE(RoundCostModel::treePathPartials),
    /** Every partial pulled and merged by the driver. */
    FLAT(n -> n),
    /** A binary tree: log2 levels plus the driver's one. */
    BINARY_TREE(n -> Math.ceil(Math.log(n) / Math.log(2) - 1e-9) + 1);

    final IntToDoubleFunction g;

    Growth(IntToDoubleFunction g) {
      this.g = g;
    }
  }

  /** An ordinary least-squares fit y = b0 + sum b_i x_i; {@code names} name b0..bk. */
  record Fit(String formula, List<String> names, double[] coefficients, double rSquared, int observations) {
    double predict(double... x) {
      double y = coefficients[0];
      for (int i = 0; i < x.length; i++) {
        y += coefficients[i + 1] * x[i];
      }
      return y;
    }
  }

  /**
   * Fits {@code y = b0 + b1 x1 + ...} (rows of {@code x} are observations).
   *
   * @throws IllegalArgumentException with fewer observations than coefficients + 1, or when the
   *     regressors are collinear (commons-math3 reports a singular matrix)
   */
  static Fit fit(String formula, List<String> names, double[][] x, double[] y) {
    int k = x.length == 0 ? 0 : x[0].length;
    if (names.size() != k + 1) {
      throw new IllegalArgumentException(formula + ": " + names.size() + " names for " + (k + 1) + " coefficients");
    }
    if (y.length <= k + 1) {
      throw new IllegalArgumentException(formula + ": " + y.length + " observations cannot fit " + (k + 1)
          + " coefficients and say anything about the fit (need at least " + (k + 2) + ")");
    }
    OLSMultipleLinearRegression ols = new OLSMultipleLinearRegression();
    ols.newSampleData(y, x);
    return new Fit(formula, List.copyOf(names), ols.estimateRegressionParameters(), ols.calculateRSquared(), y.length);
  }

  /**
   * The aggregation model {@code agg = c0 + c1 n + c2 P g(n)}: a fixed cost, a per-task cost
   * (scheduling, a result's round trip) and a per-parameter cost per partial on the critical path.
   */
  static Fit fitAggregate(Growth growth, double[] params, int[] partitions, double[] seconds) {
    double[][] x = new double[seconds.length][];
    for (int i = 0; i < x.length; i++) {
      x[i] = new double[] {partitions[i], params[i] * growth.g.applyAsDouble(partitions[i])};
    }
    return fit("aggregate_seconds = c0 + c1*n + c2*P*g(n), g = " + growth.name().toLowerCase(java.util.Locale.ROOT),
        List.of("c0", "c1", "c2"), x, seconds);
  }

  /** The growth whose aggregation fit explains the most variance (all have three coefficients). */
  static Growth bestGrowth(double[] params, int[] partitions, double[] seconds) {
    Growth best = null;
    double bestR2 = Double.NEGATIVE_INFINITY;
    for (Growth g : Growth.values()) {
      double r2 = fitAggregate(g, params, partitions, seconds).rSquared();
      if (r2 > bestR2) {
        bestR2 = r2;
        best = g;
      }
    }
    return best;
  }

  /** Median (the mean of the middle two for an even count); NaN for none. */
  static double median(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> s = new ArrayList<>(values);
    s.sort(null);
    int m = s.size() / 2;
    return s.size() % 2 == 1 ? s.get(m) : (s.get(m - 1) + s.get(m)) / 2;
  }
}
