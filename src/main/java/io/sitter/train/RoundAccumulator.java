package io.sitter.train;

import io.sitter.stats.PooledMomentsAccumulator;
import java.io.Serializable;

/**
 * Example-weighted sums of one round, over the partitions merged so far: parameters and updater
 * state (weights n_i), loss and correct predictions, per-layer update-ratio sums, compute time, and
 * each BatchNorm layer's running statistics as pooled moments. Merged by {@code treeReduce}; the
 * driver divides. Sums are in double: averaging float parameters of many partitions in float would
 * lose bits that a single-partition run keeps exactly.
 *
 * <p>A task's own result carries its parameters and updater state as the floats the network holds
 * (set by the task); they become double sums only when two results meet, on the driver or in a
 * treeReduce combiner. Shipping the weighted sums as doubles from every task doubled the bytes
 * serialized, sent and read back each round (6.5 MB instead of 3.3 MB per partition for the
 * default network), which DL4J's own trainer, shipping floats, did not pay. The sums, and so the
 * merged parameters, are the same to the bit: (double) v * n is formed either way.
 */
final class RoundAccumulator implements Serializable {
  private static final long serialVersionUID = 1L;

  long examples;
  int tasks;
  double lossSum;
  long correct;
  /** One task's parameters and updater state, weighted by {@link #examples}; null once summed. */
  float[] params;
  float[] state;
  /** Sums over two or more tasks; null while this holds a single task's floats. */
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
      params = o.params;
      state = o.state;
      paramSum = o.paramSum;
      stateSum = o.stateSum;
      batchNorms = o.batchNorms;
      ratioSum = o.ratioSum;
      ratioCount = o.ratioCount;
      return this;
    }
    paramSum = add(paramSums(), o.params, o.paramSum, o.examples);
    stateSum = add(stateSums(), o.state, o.stateSum, o.examples);
    params = null;
    state = null;
    examples += o.examples;
    lossSum += o.lossSum;
    correct += o.correct;
    add(ratioSum, null, o.ratioSum, 1);
    for (int i = 0; i < ratioCount.length; i++) {
      ratioCount[i] += o.ratioCount[i];
    }
    for (int i = 0; i < batchNorms.length; i++) {
      batchNorms[i].merge(o.batchNorms[i]);
    }
    return this;
  }

  /** Example-weighted sums of the parameters so far (a single task's floats times its count). */
  double[] paramSums() {
    return paramSum != null ? paramSum : weighted(params, examples);
  }

  /** Example-weighted sums of the updater state so far. */
  double[] stateSums() {
    return stateSum != null ? stateSum : weighted(state, examples);
  }

  private static double[] weighted(float[] v, long n) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = (double) v[i] * n;
    }
    return d;
  }

  /** Adds another result, a single task's floats (weighted by n) or sums, into {@code into}. */
  private static double[] add(double[] into, float[] single, double[] sums, long n) {
    int length = single != null ? single.length : sums.length;
    if (into.length != length) {
      throw new IllegalStateException("partitions returned vectors of " + into.length + " and " + length);
    }
    if (single != null) {
      for (int i = 0; i < into.length; i++) {
        into[i] += (double) single[i] * n;
      }
    } else {
      for (int i = 0; i < into.length; i++) {
        into[i] += sums[i];
      }
    }
    return into;
  }
}
