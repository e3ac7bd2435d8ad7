package io.sitter.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sitter.stats.PooledMomentsAccumulator;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BatchNormMergeTest {
  @Test
  void naiveMergeOfTwoEqualPartitionsWithStds1And4HasStd2WherePoolingHasVariance8Point5() {
    PooledMomentsAccumulator parts = new PooledMomentsAccumulator()
        .merge(new PooledMomentsAccumulator().addGroup(100, new float[] {3}, new float[] {1}))
        .merge(new PooledMomentsAccumulator().addGroup(100, new float[] {3}, new float[] {16}));

    assertEquals(4.0, BatchNormMerge.NAIVE_LOG_STD.variance(parts)[0], 1e-12); // (sqrt(1 * 4))^2
    assertEquals(8.5, BatchNormMerge.POOLED.variance(parts)[0], 1e-12); // (1 + 16) / 2, equal means
    assertEquals(3.0, BatchNormMerge.NAIVE_LOG_STD.mean(parts)[0], 1e-12);
  }

  @Test
  void naiveMergeIsTheExampleWeightedGeometricMeanOfThePartitionStds() {
    Random rng = new Random(11);
    int units = 6;
    int[] sizes = {128, 3, 500, 77};
    float[][] means = new float[sizes.length][units];
    float[][] vars = new float[sizes.length][units];
    PooledMomentsAccumulator left = new PooledMomentsAccumulator();
    PooledMomentsAccumulator right = new PooledMomentsAccumulator();
    for (int p = 0; p < sizes.length; p++) {
      for (int j = 0; j < units; j++) {
        means[p][j] = (float) (5 * rng.nextGaussian());
        vars[p][j] = (float) Math.exp(3 * rng.nextGaussian());
      }
      // merged as a tree, as treeReduce does: (0 + 1) + (2 + 3)
      (p < 2 ? left : right).merge(new PooledMomentsAccumulator().addGroup(sizes[p], means[p], vars[p]));
    }
    PooledMomentsAccumulator all = left.merge(right);

    double total = 0;
    for (int n : sizes) {
      total += n;
    }
    double[] expectedVar = new double[units];
    double[] expectedMean = new double[units];
    for (int j = 0; j < units; j++) {
      // Independent of the log10 sums: prod_i std_i^(n_i / N) in natural logs, squared.
      double lnStd = 0;
      for (int p = 0; p < sizes.length; p++) {
        lnStd += sizes[p] / total * 0.5 * Math.log(vars[p][j]);
        expectedMean[j] += sizes[p] / total * means[p][j];
      }
      expectedVar[j] = Math.exp(2 * lnStd);
    }
    double[] naive = BatchNormMerge.NAIVE_LOG_STD.variance(all);
    for (int j = 0; j < units; j++) {
      assertEquals(expectedVar[j], naive[j], 1e-12 * expectedVar[j], "unit " + j);
    }
    assertArrayEquals(expectedMean, BatchNormMerge.NAIVE_LOG_STD.mean(all), 1e-9);
  }

  @Test
  void pooledMergeIsTheVarianceOfTheUnionAndNaiveUndershootsItWhenPartitionsDiffer() {
    // Partitions of one unit's activations whose means differ, as with shards skewed by label.
    Random rng = new Random(5);
    double[][] data = new double[3][];
    int[] sizes = {400, 250, 350};
    double[] centers = {-2, 0.5, 3};
    PooledMomentsAccumulator parts = new PooledMomentsAccumulator();
    for (int p = 0; p < 3; p++) {
      data[p] = new double[sizes[p]];
      for (int i = 0; i < sizes[p]; i++) {
        data[p][i] = (float) (centers[p] + rng.nextGaussian());
      }
      double[] mv = meanAndVariance(data[p]);
      parts.merge(new PooledMomentsAccumulator().addGroup(sizes[p], new float[] {(float) mv[0]}, new float[] {(float) mv[1]}));
    }
    double[] union = meanAndVariance(concat(data));

    double pooled = BatchNormMerge.POOLED.variance(parts)[0];
    double naive = BatchNormMerge.NAIVE_LOG_STD.variance(parts)[0];
    assertEquals(union[1], pooled, 1e-6 * union[1]); // float-rounded group statistics
    assertEquals(union[0], BatchNormMerge.POOLED.mean(parts)[0], 1e-6);
    assertTrue(naive < 0.5 * pooled, "naive " + naive + " vs pooled " + pooled + ": the spread of the means is lost");
  }

  @Test
  void aPartitionWithZeroVarianceMakesTheNaiveStdZero() {
    PooledMomentsAccumulator parts = new PooledMomentsAccumulator()
        .merge(new PooledMomentsAccumulator().addGroup(10, new float[] {1}, new float[] {0}))
        .merge(new PooledMomentsAccumulator().addGroup(10, new float[] {1}, new float[] {2}));
    assertEquals(0.0, BatchNormMerge.NAIVE_LOG_STD.variance(parts)[0]);
    assertEquals(1.0, BatchNormMerge.POOLED.variance(parts)[0], 1e-12);
  }

  private static double[] meanAndVariance(double[] x) {
    double m = 0;
    for (double v : x) {
      m += v;
    }
    m /= x.length;
    double ss = 0;
    for (double v : x) {
      ss += (v - m) * (v - m);
    }
    return new double[] {m, ss / x.length};
  }

  private static double[] concat(double[][] parts) {
    int n = 0;
    for (double[] p : parts) {
      n += p.length;
    }
    double[] all = new double[n];
    int o = 0;
    for (double[] p : parts) {
      System.arraycopy(p, 0, all, o, p.length);
      o += p.length;
    }
    return all;
  }
}
