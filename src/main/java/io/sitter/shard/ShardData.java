package io.sitter.shard;

import java.io.Serializable;

/**
 * One partition's share of the training split, as it is cached on its executor: examples sorted by
 * their {@code index}, features row-major. Plain Java arrays on the heap rather than INDArrays:
 * Spark's MEMORY_ONLY cache sizes deserialized blocks with its SizeEstimator, which sees the heap
 * but not ND4J's off-heap buffers, so cached INDArrays would be under-counted and could exhaust
 * native memory unseen; minibatches are cheap to cut from these arrays each round (a copy per
 * minibatch) and the per-epoch shuffle needs a new cut anyway.
 */
public final class ShardData implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int partition;
  private final int numFeatures;
  private final long[] index;
  private final float[] features;
  private final int[] labels;

  ShardData(int partition, int numFeatures, long[] index, float[] features, int[] labels) {
    if ((long) index.length * numFeatures != features.length || labels.length != index.length) {
      throw new IllegalArgumentException("inconsistent shard: " + index.length + " rows, " + features.length
          + " feature values for " + numFeatures + " features, " + labels.length + " labels");
    }
    this.partition = partition;
    this.numFeatures = numFeatures;
    this.index = index;
    this.features = features;
    this.labels = labels;
  }

  /** A shard from arrays (copied): for tests and single-JVM comparisons. */
  public static ShardData of(int partition, int numFeatures, long[] index, float[] features, int[] labels) {
    return new ShardData(partition, numFeatures, index.clone(), features.clone(), labels.clone());
  }

  public int partition() {
    return partition;
  }

  public int numFeatures() {
    return numFeatures;
  }

  public int size() {
    return index.length;
  }

  /** The input row index of example {@code i}. */
  public long index(int i) {
    return index[i];
  }

  public int label(int i) {
    return labels[i];
  }

  /** Copies example {@code i}'s features into {@code dst} at {@code offset}. */
  public void copyFeatures(int i, float[] dst, int offset) {
    System.arraycopy(features, i * numFeatures, dst, offset, numFeatures);
  }
}
