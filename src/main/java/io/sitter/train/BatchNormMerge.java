package io.sitter.train;

import io.sitter.stats.PooledMomentsAccumulator;

/**
 * How a round's merge combines the partitions' BatchNorm running statistics. Training always
 * pools; the naive alternative exists so scripts/bench/batchnorm-merge can measure what pooling
 * buys (a package-private seam: no configuration key reaches it).
 */
enum BatchNormMerge {
  /** mean = sum n_i m_i / N, var = sum n_i (v_i + (m_i - mean)^2) / N: the statistics of the union of the partitions' data. */
  POOLED {
    @Override
    double[] variance(PooledMomentsAccumulator partitions) {
      return partitions.variance();
    }
  },
  /**
   * What averaging DL4J's default BatchNorm parameters does: with {@code useLogStd=true} a layer
   * keeps log10 of its running std, so averaging parameters (weighted by examples, as the rest are
   * averaged) gives the geometric mean of the partitions' stds; the means are averaged.
   */
  NAIVE_LOG_STD {
    @Override
    double[] variance(PooledMomentsAccumulator partitions) {
      double[] std = partitions.geometricMeanStd();
      double[] var = new double[std.length];
      for (int j = 0; j < var.length; j++) {
        var[j] = std[j] * std[j];
      }
      return var;
    }
  };

  /** The merged running mean: the example-weighted average of the partitions' means, in both. */
  double[] mean(PooledMomentsAccumulator partitions) {
    return partitions.mean();
  }

  abstract double[] variance(PooledMomentsAccumulator partitions);
}
