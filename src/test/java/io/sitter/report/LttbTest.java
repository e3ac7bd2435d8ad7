package io.sitter.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LttbTest {

  @Test
  void shortSeriesAreKeptWhole() {
    double[] x = {1, 2, 3, 4};
    assertArrayEquals(new int[] {0, 1, 2, 3}, Lttb.select(x, new double[] {4, 3, 2, 1}, 4));
  }

  @Test
  void keepsEndsAndExactlyThresholdPointsInOrder() {
    Random rnd = new Random(1);
    int n = 10_000;
    double[] x = IntStream.range(0, n).mapToDouble(i -> i + 1).toArray();
    double[] y = IntStream.range(0, n).mapToDouble(i -> Math.sin(i / 300.0) + 0.1 * rnd.nextGaussian()).toArray();
    int[] kept = Lttb.select(x, y, 500);
    assertEquals(500, kept.length);
    assertEquals(0, kept[0]);
    assertEquals(n - 1, kept[kept.length - 1]);
    for (int i = 1; i < kept.length; i++) {
      assertTrue(kept[i] > kept[i - 1], "strictly ascending indices");
    }
  }

  /**
   * Recomputes the choice of every bucket by brute force from the paper's definition, with the
   * bucket bounds written independently (as fractions of the interior, not by the running index).
   */
  @Test
  void eachBucketKeepsThePointOfLargestTriangle() {
    Random rnd = new Random(2);
    int n = 1003;
    int threshold = 50;
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = i == 0 ? 0 : x[i - 1] + 0.5 + rnd.nextDouble();
      y[i] = rnd.nextGaussian();
    }
    int[] kept = Lttb.select(x, y, threshold);
    int buckets = threshold - 2;
    double size = (n - 2) / (double) buckets;
    int previous = 0;
    for (int b = 0; b < buckets; b++) {
      int from = 1 + (int) (b * size);
      int to = 1 + (int) ((b + 1) * size);
      int nextFrom = to;
      int nextTo = b == buckets - 1 ? n : 1 + (int) ((b + 2) * size);
      double mx = Arrays.stream(x, nextFrom, nextTo).average().orElseThrow();
      double my = Arrays.stream(y, nextFrom, nextTo).average().orElseThrow();
      int best = -1;
      double bestArea = -1;
      for (int j = from; j < to; j++) {
        // Half the cross product of (j - previous) and (mean - previous): the triangle's area.
        double area = 0.5 * Math.abs((x[j] - x[previous]) * (my - y[previous]) - (mx - x[previous]) * (y[j] - y[previous]));
        if (area > bestArea) {
          bestArea = area;
          best = j;
        }
      }
      assertEquals(best, kept[b + 1], "bucket " + b);
      previous = best;
    }
  }

  @Test
  void keepsASingleSpikeThatAveragingWouldHide() {
    int n = 5000;
    double[] x = IntStream.range(0, n).mapToDouble(i -> i).toArray();
    double[] y = new double[n];
    Arrays.fill(y, 1.0);
    y[3217] = 50.0;
    int[] kept = Lttb.select(x, y, 100);
    assertTrue(Arrays.stream(kept).anyMatch(i -> i == 3217), "the spike survives downsampling");
  }

  @Test
  void nonFinitePointsAreAlwaysKeptAndTheRestFitTheBudget() {
    int n = 3000;
    double[] x = IntStream.range(0, n).mapToDouble(i -> i).toArray();
    double[] y = IntStream.range(0, n).mapToDouble(Math::sqrt).toArray();
    y[10] = Double.NaN;
    y[2000] = Double.POSITIVE_INFINITY;
    y[2999] = Double.NaN;
    int[] kept = Lttb.select(x, y, 200);
    assertEquals(200, kept.length);
    for (int bad : new int[] {10, 2000, 2999}) {
      assertTrue(Arrays.stream(kept).anyMatch(i -> i == bad), "non-finite point " + bad + " kept");
    }
    assertTrue(Arrays.stream(kept).anyMatch(i -> i == 0), "first finite point kept");
    assertTrue(Arrays.stream(kept).anyMatch(i -> i == 2998), "last finite point kept");
    for (int i = 1; i < kept.length; i++) {
      assertTrue(kept[i] > kept[i - 1]);
    }
  }

  @Test
  void rejectsMismatchedInputAndTinyThresholds() {
    assertThrows(IllegalArgumentException.class, () -> Lttb.select(new double[2], new double[3], 10));
    assertThrows(IllegalArgumentException.class, () -> Lttb.select(new double[5], new double[5], 2));
  }
}
