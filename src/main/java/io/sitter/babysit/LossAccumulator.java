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
  /** Per class c, the sum over examples of -ln softmax_c: the loss each would have were its label c. */
  private final double[] negLogSums;
  /** Per feature, the sum of squares. */
  private final double[] featureSquares;

  LossAccumulator(int numClasses, int numFeatures) {
    this.classCounts = new long[numClasses];
    this.negLogSums = new double[numClasses];
    this.featureSquares = new double[numFeatures];
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

  /**
   * Adds the untrained network's softmax outputs {@code probabilities} (rows are examples) and the
   * examples' {@code features}, both row-major.
   */
  LossAccumulator addOutputs(float[] probabilities, float[] features) {
    int c = negLogSums.length;
    for (int i = 0; i < probabilities.length; i++) {
      // DL4J's MCXENT clips probabilities at 1e-10 the same way (LossMCXENT, softmaxClipEps).
      negLogSums[i % c] -= Math.log(Math.max(probabilities[i], 1e-10));
    }
    int f = featureSquares.length;
    for (int i = 0; i < features.length; i++) {
      featureSquares[i % f] += (double) features[i] * features[i];
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
      negLogSums[c] += other.negLogSums[c];
    }
    for (int j = 0; j < featureSquares.length; j++) {
      featureSquares[j] += other.featureSquares[j];
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

  /**
   * The loss the untrained network is expected to have when the labels are independent of its
   * outputs: the mean over examples of sum_c prior_c * (-ln softmax_c), priors the sample's class
   * shares. With tiny logits this is ln C; with the logits an init really gives, it is higher.
   */
  double expectedLoss() {
    double e = 0;
    for (int c = 0; c < classCounts.length; c++) {
      e += (double) classCounts[c] / count * negLogSums[c] / count;
    }
    return e;
  }

  /** The largest root mean square over the features. */
  double maxFeatureRms() {
    double max = 0;
    for (double s : featureSquares) {
      max = Math.max(max, Math.sqrt(s / count));
    }
    return max;
  }

  /** Index of the feature with the largest root mean square. */
  int maxFeature() {
    int at = 0;
    for (int j = 1; j < featureSquares.length; j++) {
      if (featureSquares[j] > featureSquares[at]) {
        at = j;
      }
    }
    return at;
  }

  /** Examples of each class. */
  long[] classCounts() {
    return classCounts.clone();
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
