package io.sitter.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The one-pass accumulator against an independent two-pass computation in double. */
class FeatureStatisticsAccumulatorTest {
  /** Features on scales 1e-3 .. 1e4, one with a large offset (mean 1e4, std 1e-2), one constant. */
  static double[][] wildData(int n, long seed) {
    Random r = new Random(seed);
    double[][] rows = new double[n][];
    for (int i = 0; i < n; i++) {
      rows[i] =
          new double[] {
            1e-3 * r.nextGaussian(),
            5 + r.nextGaussian(),
            1e4 * r.nextGaussian() - 3e3,
            1e4 + 1e-2 * r.nextGaussian(),
            r.nextDouble() * 1e-3 + 2e-3,
            7.25
          };
    }
    return rows;
  }

  /** Two passes in double: the mean first, then the mean squared deviation (numpy's var, ddof 0). */
  static double[][] twoPass(List<double[]> rows) {
    int d = rows.get(0).length;
    double[] mean = new double[d];
    double[] std = new double[d];
    for (double[] row : rows) {
      for (int j = 0; j < d; j++) {
        mean[j] += row[j];
      }
    }
    for (int j = 0; j < d; j++) {
      mean[j] /= rows.size();
    }
    for (double[] row : rows) {
      for (int j = 0; j < d; j++) {
        double dev = row[j] - mean[j];
        std[j] += dev * dev;
      }
    }
    for (int j = 0; j < d; j++) {
      std[j] = Math.sqrt(std[j] / rows.size());
    }
    return new double[][] {mean, std};
  }

  static void assertRelative(double expected, double actual, double tolerance, String what) {
    double scale = Math.max(Math.abs(expected), Double.MIN_NORMAL);
    assertEquals(0.0, Math.abs(actual - expected) / scale, tolerance, what + ": expected " + expected + ", got " + actual);
  }

  @Test
  void matchesTwoPassWithinOneInABillionOnWildScales() {
    List<double[]> rows = List.of(wildData(5000, 1));
    FeatureStatisticsAccumulator acc = new FeatureStatisticsAccumulator(6);
    rows.forEach(acc::add);
    FeatureStatistics s = acc.result();
    double[][] expected = twoPass(rows);
    assertEquals(5000, s.count());
    for (int j = 0; j < 6; j++) {
      assertRelative(expected[0][j], s.mean()[j], 1e-9, "mean of feature " + j);
      if (j < 5) {
        assertRelative(expected[1][j], s.std()[j], 1e-9, "std of feature " + j);
      }
      int jj = j;
      assertEquals(rows.stream().mapToDouble(r -> r[jj]).min().orElseThrow(), s.min()[j], 0.0);
      assertEquals(rows.stream().mapToDouble(r -> r[jj]).max().orElseThrow(), s.max()[j], 0.0);
    }
    assertEquals(0.0, s.std()[5], 0.0, "a constant feature has exactly zero std");
    assertEquals(List.of(5), s.zeroVarianceFeatures());
  }

  @Test
  void mergingPartsInAnyOrderEqualsTheWhole() {
    List<double[]> rows = new ArrayList<>(List.of(wildData(3001, 2)));
    FeatureStatisticsAccumulator whole = new FeatureStatisticsAccumulator(6);
    rows.forEach(whole::add);
    int[] cuts = {0, 1, 700, 2999, 3001};
    List<FeatureStatisticsAccumulator> parts = new ArrayList<>();
    for (int k = 0; k + 1 < cuts.length; k++) {
      FeatureStatisticsAccumulator p = new FeatureStatisticsAccumulator(6);
      rows.subList(cuts[k], cuts[k + 1]).forEach(p::add);
      parts.add(p);
    }
    parts.add(new FeatureStatisticsAccumulator(6));
    Collections.shuffle(parts, new Random(3));
    FeatureStatisticsAccumulator merged = new FeatureStatisticsAccumulator(6);
    parts.forEach(merged::merge);
    FeatureStatistics a = whole.result();
    FeatureStatistics b = merged.result();
    assertEquals(a.count(), b.count());
    for (int j = 0; j < 6; j++) {
      assertRelative(a.mean()[j], b.mean()[j], 1e-12, "merged mean " + j);
      assertEquals(a.std()[j], b.std()[j], 1e-12 * Math.max(1, a.std()[j]), "merged std " + j);
      assertEquals(a.min()[j], b.min()[j], 0.0);
      assertEquals(a.max()[j], b.max()[j], 0.0);
    }
    Collections.shuffle(rows, new Random(4));
    FeatureStatisticsAccumulator shuffled = new FeatureStatisticsAccumulator(6);
    rows.forEach(shuffled::add);
    for (int j = 0; j < 5; j++) {
      assertRelative(a.std()[j], shuffled.result().std()[j], 1e-9, "row order must not matter, feature " + j);
    }
  }

  @Test
  void rejectsWrongWidthsAndEmptyResults() {
    FeatureStatisticsAccumulator acc = new FeatureStatisticsAccumulator(2);
    assertThrows(IllegalArgumentException.class, () -> acc.add(new double[3]));
    assertThrows(IllegalStateException.class, acc::result);
    assertThrows(IllegalArgumentException.class, () -> acc.merge(new FeatureStatisticsAccumulator(3)));
  }
}
