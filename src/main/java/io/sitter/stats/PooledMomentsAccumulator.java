package io.sitter.stats;

import java.io.Serializable;

/**
 * Per-unit pooled mean and population variance of groups of examples, mergeable in any order.
 *
 * <p>Pooling, not averaging: for groups with n_i examples, means m_i and variances v_i the pooled
 * statistics are mean = sum n_i m_i / N and var = sum n_i (v_i + (m_i - mean)^2) / N. Kept as
 * (N, mean, M2 = N var) with Chan et al.'s pairwise update (the Welford/Chan merge of Tribuo's
 * MeanVarianceAccumulator), which is that formula without the cancellation of sum-of-squares in
 * double. Used to merge BatchNorm running statistics across partitions and to re-estimate them
 * exactly from activations.
 *
 * <p>It also keeps sum n_i log10(std_i) over the groups added, so {@link #geometricMeanStd()} can
 * give what averaging DL4J's default BatchNorm parameters ({@code useLogStd=true} stores
 * log10 of the std) across partitions would give: the size-weighted geometric mean of the groups'
 * stds. Kept only to measure that naive merge against pooling (scripts/bench/batchnorm-merge): it
 * ignores the spread between the groups' means and, by the AM-GM inequality, undershoots even
 * the groups' average variance, so it is never what training uses.
 */
public final class PooledMomentsAccumulator implements Serializable {
  private static final long serialVersionUID = 1L;

  private double count;
  private double[] mean;
  private double[] m2;
  /** Per unit, sum over added groups of (group size) x log10(group std). */
  private double[] logStdSum;

  public PooledMomentsAccumulator() {}

  /** Adds a group of {@code n} examples whose per-unit mean and population variance are given. */
  public PooledMomentsAccumulator addGroup(double n, float[] groupMean, float[] groupVar) {
    if (groupMean.length != groupVar.length) {
      throw new IllegalArgumentException("mean has " + groupMean.length + " units, variance " + groupVar.length);
    }
    double[] gm = new double[groupMean.length];
    double[] gm2 = new double[groupMean.length];
    for (int j = 0; j < gm.length; j++) {
      gm[j] = groupMean[j];
      gm2[j] = n * (double) groupVar[j];
    }
    return combine(n, gm, gm2, logStdSums(n, gm2));
  }

  /**
   * Adds {@code rows} examples stored row-major in {@code values} ({@code rows x units}); a
   * two-pass mean/M2 of the block in double, then one Chan merge.
   */
  public PooledMomentsAccumulator addRows(float[] values, int rows, int units) {
    if ((long) rows * units != values.length) {
      throw new IllegalArgumentException("expected " + rows + " x " + units + " values, got " + values.length);
    }
    if (rows == 0) {
      return this;
    }
    double[] bm = new double[units];
    for (int r = 0; r < rows; r++) {
      int o = r * units;
      for (int j = 0; j < units; j++) {
        bm[j] += values[o + j];
      }
    }
    for (int j = 0; j < units; j++) {
      bm[j] /= rows;
    }
    double[] bm2 = new double[units];
    for (int r = 0; r < rows; r++) {
      int o = r * units;
      for (int j = 0; j < units; j++) {
        double d = values[o + j] - bm[j];
        bm2[j] += d * d;
      }
    }
    return combine(rows, bm, bm2, logStdSums(rows, bm2));
  }

  /** Merges {@code other} into this one; {@code other} is unchanged. */
  public PooledMomentsAccumulator merge(PooledMomentsAccumulator other) {
    if (other.count == 0) {
      return this;
    }
    return combine(other.count, other.mean.clone(), other.m2.clone(), other.logStdSum.clone());
  }

  /** n log10(std) per unit of a group of n examples with the given M2 = n var (log10(0) is -infinity). */
  private static double[] logStdSums(double n, double[] groupM2) {
    double[] s = new double[groupM2.length];
    for (int j = 0; j < s.length; j++) {
      s[j] = n * 0.5 * Math.log10(groupM2[j] / n);
    }
    return s;
  }

  private PooledMomentsAccumulator combine(double nb, double[] mb, double[] m2b, double[] logStdB) {
    if (nb == 0) {
      return this;
    }
    if (count == 0) {
      count = nb;
      mean = mb;
      m2 = m2b;
      logStdSum = logStdB;
      return this;
    }
    if (mb.length != mean.length) {
      throw new IllegalArgumentException("cannot pool " + mean.length + " units with " + mb.length);
    }
    double n = count + nb;
    for (int j = 0; j < mean.length; j++) {
      double delta = mb[j] - mean[j];
      mean[j] += delta * nb / n;
      m2[j] += m2b[j] + delta * delta * count * nb / n;
      logStdSum[j] += logStdB[j];
    }
    count = n;
    return this;
  }

  /** Total weight (examples) pooled. */
  public double count() {
    return count;
  }

  /** Pooled per-unit mean. */
  public double[] mean() {
    requireData();
    return mean.clone();
  }

  /** Pooled per-unit population variance (divisor N). */
  public double[] variance() {
    requireData();
    double[] v = new double[m2.length];
    for (int j = 0; j < v.length; j++) {
      v[j] = Math.max(0.0, m2[j] / count);
    }
    return v;
  }

  /**
   * Per unit, the size-weighted geometric mean of the added groups' population stds,
   * 10^(sum n_i log10(std_i) / N): a group of zero variance makes it 0. Not a pooled statistic:
   * see the class comment.
   */
  public double[] geometricMeanStd() {
    requireData();
    double[] g = new double[logStdSum.length];
    for (int j = 0; j < g.length; j++) {
      g[j] = Math.pow(10, logStdSum[j] / count);
    }
    return g;
  }

  private void requireData() {
    if (count == 0) {
      throw new IllegalStateException("no examples pooled yet");
    }
  }
}
