package io.sitter.train;

import io.sitter.stats.PooledMomentsAccumulator;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
  /** Set by {@link #ofTasks}: the tasks whose vectors {@link #paramMeans} and {@link #stateMeans} average. */
  transient RoundAccumulator[] parts;

  RoundAccumulator merge(RoundAccumulator o) {
    if (o.examples != 0 && examples != 0) {
      paramSum = add(paramSums(), o.params, o.paramSum, o.examples);
      stateSum = add(stateSums(), o.state, o.stateSum, o.examples);
      params = null;
      state = null;
    } else if (o.examples != 0) {
      params = o.params;
      state = o.state;
      paramSum = o.paramSum;
      stateSum = o.stateSum;
    }
    return mergeAllButVectors(o);
  }

  /** Everything {@link #merge} merges except the parameter and updater-state vectors. */
  private RoundAccumulator mergeAllButVectors(RoundAccumulator o) {
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
      batchNorms = o.batchNorms;
      ratioSum = o.ratioSum;
      ratioCount = o.ratioCount;
      return this;
    }
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

  /**
   * The tasks' results of a round in partition order, merged as {@link #merge} would merge them one
   * after the other, except that the parameters and updater state are not summed here: {@link
   * #paramMeans} and {@link #stateMeans} sum and divide in one pass, to the same bits, without the
   * two double[] sums (6.5 MB for the default network, a fresh humongous allocation for G1 every
   * round).
   */
  static RoundAccumulator ofTasks(RoundAccumulator[] tasks) {
    RoundAccumulator acc = new RoundAccumulator();
    List<RoundAccumulator> fitted = new ArrayList<>();
    for (RoundAccumulator t : tasks) {
      if (t.examples != 0) {
        if (t.params == null) {
          throw new IllegalArgumentException("ofTasks takes single tasks' results, not merged sums");
        }
        fitted.add(t);
      }
      acc.mergeAllButVectors(t);
    }
    acc.parts = fitted.toArray(new RoundAccumulator[0]);
    return acc;
  }

  /** Example-weighted means of the parameters: sum over tasks of n_i x_i, in double, over N. */
  float[] paramMeans() {
    return parts != null ? means(parts, true) : divide(paramSums(), examples);
  }

  /** Example-weighted means of the updater state. */
  float[] stateMeans() {
    return parts != null ? means(parts, false) : divide(stateSums(), examples);
  }

  /** Values averaged per block in {@link #means}: 8 KiB of double sums, which stay in L1 cache. */
  private static final int MEAN_BLOCK = 1024;

  private static float[] means(RoundAccumulator[] parts, boolean params) {
    float[][] v = new float[parts.length][];
    long n = 0;
    for (int p = 0; p < parts.length; p++) {
      v[p] = params ? parts[p].params : parts[p].state;
      if (v[p].length != v[0].length) {
        throw new IllegalStateException("partitions returned vectors of " + v[0].length + " and " + v[p].length);
      }
      n += parts[p].examples;
    }
    // In blocks, partition by partition: the same sums in the same order (0 + n_0 x_0 + n_1 x_1 ...,
    // so the same bits) as one element at a time, but the inner loops are plain array loops that the
    // JIT vectorizes; element by element, the loop over partitions and the division per element ran
    // scalar (2,300 vs 3,300 microseconds for the default network's 815,000 values, two partitions).
    int length = v[0].length;
    float[] out = new float[length];
    double[] sum = new double[Math.min(MEAN_BLOCK, length)];
    double count = n;
    for (int from = 0; from < length; from += MEAN_BLOCK) {
      int m = Math.min(MEAN_BLOCK, length - from);
      Arrays.fill(sum, 0, m, 0.0);
      for (int p = 0; p < parts.length; p++) {
        float[] x = v[p];
        double weight = parts[p].examples;
        for (int j = 0; j < m; j++) {
          sum[j] += (double) x[from + j] * weight;
        }
      }
      for (int j = 0; j < m; j++) {
        out[from + j] = (float) (sum[j] / count);
      }
    }
    return out;
  }

  private static float[] divide(double[] sums, long n) {
    float[] out = new float[sums.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (sums[i] / n);
    }
    return out;
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
