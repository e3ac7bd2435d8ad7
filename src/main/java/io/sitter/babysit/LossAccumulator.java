package io.sitter.babysit;

import java.io.Serializable;

/**
 * Mergeable partial sums over a sample of the training split, for the initial-loss and
 * regularization checks: each partition adds its examples, the driver merges the partitions
 * (Spark MLlib's aggregator pattern). Means are taken only after the merge, so the result does
 * not depend on how the sample is partitioned.
 */
final class LossAccumulator implements Serializable {
  private static final long serialVersionUID = 1L;

  private long count;
  private double lossSum;
  private double regularizedLossSum;
  private final long[] classCounts;

  LossAccumulator(int numClasses) {
    this.classCounts = new long[numClasses];
  }

  /** Adds a minibatch of {@code n} examples with mean losses {@code loss} and {@code regularizedLoss}. */
  LossAccumulator add(int n, double loss, double regularizedLoss, int[] labels) {
    count += n;
    lossSum += loss * n;
    regularizedLossSum += regularizedLoss * n;
    for (int label : labels) {
      classCounts[label]++;
    }
    return this;
  }

  LossAccumulator merge(LossAccumulator other) {
    if (other.classCounts.length != classCounts.length) {
      throw new IllegalArgumentException("cannot merge loss sums over " + other.classCounts.length
          + " classes into sums over " + classCounts.length);
    }
    count += other.count;
    lossSum += other.lossSum;
    regularizedLossSum += other.regularizedLossSum;
    for (int c = 0; c < classCounts.length; c++) {
      classCounts[c] += other.classCounts[c];
    }
    return this;
  }

  long count() {
    return count;
  }

  double meanLoss() {
    return lossSum / count;
  }

  double meanRegularizedLoss() {
    return regularizedLossSum / count;
  }

  /** Entropy (nats) of the label distribution of the examples added. */
  double labelEntropy() {
    double h = 0;
    for (long c : classCounts) {
      if (c > 0) {
        double p = (double) c / count;
        h -= p * Math.log(p);
      }
    }
    return h;
  }

  /** Share of the most frequent class. */
  double majorityShare() {
    long max = 0;
    for (long c : classCounts) {
      max = Math.max(max, c);
    }
    return (double) max / count;
  }
}
