package io.sitter.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PooledMomentsAccumulatorTest {
  /** Mean and population variance of all rows, two-pass in double: the independent reference. */
  private static double[][] direct(float[][] rows) {
    int d = rows[0].length;
    double[] mean = new double[d];
    for (float[] r : rows) {
      for (int j = 0; j < d; j++) {
        mean[j] += r[j];
      }
    }
    for (int j = 0; j < d; j++) {
      mean[j] /= rows.length;
    }
    double[] var = new double[d];
    for (float[] r : rows) {
      for (int j = 0; j < d; j++) {
        var[j] += (r[j] - mean[j]) * (r[j] - mean[j]);
      }
    }
    for (int j = 0; j < d; j++) {
      var[j] /= rows.length;
    }
    return new double[][] {mean, var};
  }

  private static float[][] rows(Random rng, int n, int d, double offset, double scale) {
    float[][] x = new float[n][d];
    for (float[] r : x) {
      for (int j = 0; j < d; j++) {
        r[j] = (float) (offset + j + scale * rng.nextGaussian());
      }
    }
    return x;
  }

  @Test
  void poolingGroupStatisticsEqualsStatisticsOfTheConcatenatedData() {
    Random rng = new Random(3);
    float[][][] groups = {rows(rng, 17, 4, 0, 1), rows(rng, 5, 4, 3, 0.5), rows(rng, 40, 4, -2, 2)};
    PooledMomentsAccumulator pooled = new PooledMomentsAccumulator();
    int total = 0;
    for (float[][] g : groups) {
      double[][] s = direct(g);
      float[] m = new float[4];
      float[] v = new float[4];
      for (int j = 0; j < 4; j++) {
        m[j] = (float) s[0][j];
        v[j] = (float) s[1][j];
      }
      pooled.addGroup(g.length, m, v);
      total += g.length;
    }
    float[][] all = new float[total][];
    int i = 0;
    for (float[][] g : groups) {
      for (float[] r : g) {
        all[i++] = r;
      }
    }
    double[][] expected = direct(all);
    assertEquals(total, pooled.count());
    assertArrayEquals(expected[0], pooled.mean(), 1e-5);
    assertArrayEquals(expected[1], pooled.variance(), 1e-5);
  }

  @Test
  void pooledVarianceIsNotTheAverageOfVariances() {
    // Two groups with zero variance at different means: pooled variance is the spread of the means.
    PooledMomentsAccumulator p = new PooledMomentsAccumulator()
        .addGroup(1, new float[] {0f}, new float[] {0f})
        .addGroup(3, new float[] {4f}, new float[] {0f});
    assertEquals(3.0, p.mean()[0], 1e-12);
    assertEquals((1 * 9.0 + 3 * 1.0) / 4, p.variance()[0], 1e-12);
  }

  @Test
  void mergeInEitherOrderAndRowBlocksMatchTheDirectComputation() {
    Random rng = new Random(9);
    float[][] a = rows(rng, 33, 3, 1e4, 1e-2); // large offset, small spread: sum-of-squares would cancel
    float[][] b = rows(rng, 12, 3, 1e4, 1e-2);
    PooledMomentsAccumulator left = new PooledMomentsAccumulator().addRows(flat(a), a.length, 3);
    PooledMomentsAccumulator right = new PooledMomentsAccumulator().addRows(flat(b), b.length, 3);
    PooledMomentsAccumulator ab = new PooledMomentsAccumulator().merge(left).merge(right);
    PooledMomentsAccumulator ba = new PooledMomentsAccumulator().merge(right).merge(left);
    float[][] all = new float[45][];
    System.arraycopy(a, 0, all, 0, 33);
    System.arraycopy(b, 0, all, 33, 12);
    double[][] expected = direct(all);
    assertArrayEquals(expected[0], ab.mean(), 1e-9);
    assertArrayEquals(expected[1], ab.variance(), 1e-9 * expected[1][0] + 1e-12);
    assertArrayEquals(ab.mean(), ba.mean(), 1e-9);
    assertArrayEquals(ab.variance(), ba.variance(), 1e-12);
  }

  private static float[] flat(float[][] x) {
    float[] f = new float[x.length * x[0].length];
    for (int i = 0; i < x.length; i++) {
      System.arraycopy(x[i], 0, f, i * x[0].length, x[0].length);
    }
    return f;
  }
}
