package io.sitter.train;

import io.sitter.stats.PooledMomentsAccumulator;
import java.io.Serializable;

/**
 * Example-weighted sums of one round, over the partitions merged so far: parameters and updater
 * state (weights n_i), loss and correct predictions, per-layer update-ratio sums, compute time, and
 * each BatchNorm layer's running statistics as pooled moments. Merged by {@code treeReduce}; the
 * driver divides. Sums are in double: averaging float parameters of many partitions in float would
 * lose bits that a single-partition run keeps exactly.
 */
final class RoundAccumulator implements Serializable {
  private static final long serialVersionUID = 1L;

  long examples;
  int tasks;
  double lossSum;
  long correct;
  double[] paramSum;
  double[] stateSum;
  PooledMomentsAccumulator[] batchNorms;
  double[] ratioSum;
  long[] ratioCount;
  double computeMax;
  double computeSum;

  RoundAccumulator merge(RoundAccumulator o) {
    tasks += o.tasks;
    computeMax = Math.max(computeMax, o.computeMax);
    computeSum += o.computeSum;
    if (o.examples == 0) {
      return this;
    }
    if (examples == 0) {
      examples = o.examples;
      lossSum = o.lossSum;
      correct = o.correct;
      paramSum = o.paramSum;
      stateSum = o.stateSum;
      batchNorms = o.batchNorms;
      ratioSum = o.ratioSum;
      ratioCount = o.ratioCount;
      return this;
    }
    examples += o.examples;
    lossSum += o.lossSum;
    correct += o.correct;
    add(paramSum, o.paramSum);
    add(stateSum, o.stateSum);
    add(ratioSum, o.ratioSum);
    for (int i = 0; i < ratioCount.length; i++) {
      ratioCount[i] += o.ratioCount[i];
    }
    for (int i = 0; i < batchNorms.length; i++) {
      batchNorms[i].merge(o.batchNorms[i]);
    }
    return this;
  }

  private static void add(double[] into, double[] from) {
    if (into.length != from.length) {
      throw new IllegalStateException("partitions returned vectors of " + into.length + " and " + from.length);
    }
    for (int i = 0; i < into.length; i++) {
      into[i] += from[i];
    }
  }
}
