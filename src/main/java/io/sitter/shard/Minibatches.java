package io.sitter.shard;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Cuts a shard into DL4J minibatches: each epoch a permutation of the shard seeded from (seed,
 * epoch, partition), then consecutive runs of {@code batchSize} examples (the last one shorter).
 * A pure function of its arguments, so a re-run task reproduces the same minibatches and a
 * single-JVM test can replay them.
 */
public final class Minibatches {
  private Minibatches() {}

  /** Minibatches of a shard of {@code n} examples per epoch. */
  public static int batchCount(int n, int batchSize) {
    return (n + batchSize - 1) / batchSize;
  }

  /** The order in which partition {@code partition} visits its {@code n} examples in {@code epoch}. */
  public static int[] permutation(long seed, int epoch, int partition, int n) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    SplittableRandom rng = new SplittableRandom(TaskSeeds.mix(seed, 0x5A17L, epoch, partition));
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** Minibatch {@code b} of an epoch: features FLOAT [rows, numFeatures], one-hot labels FLOAT [rows, numClasses]. */
  public static DataSet batch(ShardData shard, int[] permutation, int b, int batchSize, int numClasses) {
    int from = b * batchSize;
    int rows = rows(shard, b, batchSize);
    int d = shard.numFeatures();
    float[] x = new float[rows * d];
    float[] y = new float[rows * numClasses];
    for (int r = 0; r < rows; r++) {
      int i = permutation[from + r];
      shard.copyFeatures(i, x, r * d);
      y[r * numClasses + shard.label(i)] = 1f;
    }
    return new DataSet(
        Nd4j.create(x, new long[] {rows, d}, DataType.FLOAT), Nd4j.create(y, new long[] {rows, numClasses}, DataType.FLOAT));
  }

  /** The class labels of minibatch {@code b} of an epoch, in the row order of {@link #batch}. */
  public static int[] labels(ShardData shard, int[] permutation, int b, int batchSize) {
    int from = b * batchSize;
    int to = Math.min(from + batchSize, shard.size());
    int[] y = new int[Math.max(0, to - from)];
    for (int r = 0; r < y.length; r++) {
      y[r] = shard.label(permutation[from + r]);
    }
    return y;
  }

  /** All of a shard's examples in index order, as one FLOAT feature matrix (for inference passes). */
  public static INDArray features(ShardData shard, int from, int to) {
    int d = shard.numFeatures();
    float[] x = new float[(to - from) * d];
    for (int i = from; i < to; i++) {
      shard.copyFeatures(i, x, (i - from) * d);
    }
    return Nd4j.create(x, new long[] {to - from, d}, DataType.FLOAT);
  }

  /** How many examples minibatch {@code b} holds (the last one may be short); past the shard is an error. */
  static int rows(ShardData shard, int b, int batchSize) {
    int from = b * batchSize;
    int to = Math.min(from + batchSize, shard.size());
    if (from >= to) {
      throw new IllegalArgumentException("minibatch " + b + " is past the shard's " + shard.size() + " examples");
    }
    return to - from;
  }
}
