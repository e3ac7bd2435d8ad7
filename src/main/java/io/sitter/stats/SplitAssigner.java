package io.sitter.stats;

import java.io.Serializable;
import java.util.List;

/**
 * Assigns rows to train (0), validation (1) and test (2) from a hash of the row's index and the
 * seed, never from partition order, so the same input and seed give the same rows in each split
 * whatever the number of partitions.
 *
 * <p>Unstratified, a row goes where its hash, read as a uniform number in [0, 1), falls among the
 * cumulative fractions (like {@code randomSplit}, but keyed on the row, not on its position in a
 * partition's iterator). Stratified, rows of one class are ranked by their hash and the first
 * {@code round(n_c * train)} ranks go to train, the next {@code round(n_c * val)} to validation and
 * the rest to test, so each split holds each class in the requested proportion up to one row.
 */
public final class SplitAssigner implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final int TRAIN = 0;
  public static final int VAL = 1;
  public static final int TEST = 2;
  public static final List<String> NAMES = List.of("train", "val", "test");

  private final double train;
  private final double val;
  private final double test;
  private final long seed;

  /** Fractions must be >= 0 with train > 0, summing to 1 (within 1e-6). */
  public SplitAssigner(double train, double val, double test, long seed) {
    if (!(train > 0 && val >= 0 && test >= 0) || Math.abs(train + val + test - 1.0) > 1e-6) {
      throw new IllegalArgumentException(
          "split fractions must be >= 0 with train > 0 and sum to 1, got " + train + "," + val + "," + test);
    }
    this.train = train;
    this.val = val;
    this.test = test;
    this.seed = seed;
  }

  public long seed() {
    return seed;
  }

  public double fraction(int split) {
    return split == TRAIN ? train : split == VAL ? val : test;
  }

  /**
   * A 64-bit hash of (index, seed): SplitMix64's finalizer (Steele, Lea, Flood 2014) over the index
   * offset by a mixed seed, so neighbouring indices and neighbouring seeds give unrelated values.
   */
  public static long hash(long index, long seed) {
    return mix(index * 0x9E3779B97F4A7C15L + mix(seed ^ 0x5DEECE66DL));
  }

  /** {@link #hash} as a uniform double in [0, 1). */
  public static double unit(long index, long seed) {
    return (hash(index, seed) >>> 11) * 0x1.0p-53;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** The split of row {@code index} without stratification. */
  public int assign(long index) {
    double u = unit(index, seed);
    if (u < train) {
      return TRAIN;
    }
    return u < train + val || test == 0 ? VAL : TEST;
  }

  /**
   * The split of the row ranked {@code rank} (0-based, by {@link #hash}, then index) among the
   * {@code classCount} rows of its class.
   */
  public int assignRanked(long rank, long classCount) {
    long nTrain = Math.round(classCount * train);
    long nVal = test == 0 ? classCount - nTrain : Math.min(classCount - nTrain, Math.round(classCount * val));
    if (rank < nTrain) {
      return TRAIN;
    }
    return rank < nTrain + nVal ? VAL : TEST;
  }
}
