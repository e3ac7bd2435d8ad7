package io.sitter.stats;

import java.util.List;

/** Shares the wild-scale data and the two-pass reference with tests in other packages. */
public final class FeatureStatisticsAccumulatorTestData {
  private FeatureStatisticsAccumulatorTestData() {}

  public static double[][] wild(int n) {
    return FeatureStatisticsAccumulatorTest.wildData(n, 11);
  }

  public static double[][] twoPass(List<double[]> rows) {
    return FeatureStatisticsAccumulatorTest.twoPass(rows);
  }
}
