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
 */
public final class PooledMomentsAccumulator implements Serializable {
  private static final long serialVersionUID = 1L;

  private double count;
  private double[] mean;
  private double[] m2;

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
    return combine(n, gm, gm2);
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
    return combine(rows, bm, bm2);
  }

  /** Merges {@code other} into this one; {@code other} is unchanged. */
  public PooledMomentsAccumulator merge(PooledMomentsAccumulator other) {
    if (other.count == 0) {
      return this;
    }
    return combine(other.count, other.mean.clone(), other.m2.clone());
  }

  private PooledMomentsAccumulator combine(double nb, double[] mb, double[] m2b) {
    if (nb == 0) {
      return this;
    }
    if (count == 0) {
      count = nb;
      mean = mb;
      m2 = m2b;
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

  private void requireData() {
    if (count == 0) {
      throw new IllegalStateException("no examples pooled yet");
    }
  }
}
